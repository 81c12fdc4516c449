import { AuditLog } from '../../src/audit/audit-log.entity';
import { createTestApp, regionIds, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

describe(`the reporting calendar, 催报 and 报送及时率 (${DIALECT})`, () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    ids = await regionIds(t);
  });
  afterAll(() => t.close());

  it('states a year’s due dates past 春节 and 国庆 with 调休, and takes an admin override for 2027', async () => {
    const y2026 = (await t.http().get('/api/admin/calendar/2026').expect(200)).body;
    expect(y2026).toMatchObject({ year: 2026, dueDay: 5, packageCoversYear: true, overrides: [] });
    expect(y2026.dueDates).toEqual([
      { month: '2025-12', dueOn: '2026-01-05' },
      { month: '2026-01', dueOn: '2026-02-05' },
      { month: '2026-02', dueOn: '2026-03-05' },
      { month: '2026-03', dueOn: '2026-04-07' }, // 清明 04-05…06
      { month: '2026-04', dueOn: '2026-05-06' }, // 劳动节 05-01…05
      { month: '2026-05', dueOn: '2026-06-05' },
      { month: '2026-06', dueOn: '2026-07-06' }, // a Sunday
      { month: '2026-07', dueOn: '2026-08-05' },
      { month: '2026-08', dueOn: '2026-09-07' }, // a Saturday
      { month: '2026-09', dueOn: '2026-10-08' }, // 国庆节 10-01…07
      { month: '2026-10', dueOn: '2026-11-05' },
      { month: '2026-11', dueOn: '2026-12-07' }, // a Saturday
    ]);

    // 2027: the package knows no holidays; the admin enters the notice's 春节
    const before = (await t.http().get('/api/admin/calendar/2027').expect(200)).body;
    expect(before.packageCoversYear).toBe(false);
    expect(before.dueDates[1]).toEqual({ month: '2027-01', dueOn: '2027-02-05' });
    const days = [
      { date: '2027-02-05', work: false, note: '春节' },
      { date: '2027-02-06', work: false, note: '春节' },
      { date: '2027-02-07', work: true, note: '春节调休上班' },
    ];
    const put = (await t.http().put('/api/admin/calendar/2027').send({ days }).expect(200)).body;
    expect(put.overrides).toEqual(days);
    expect(put.dueDates[1]).toEqual({ month: '2027-01', dueOn: '2027-02-07' });
    const audit = await t.db.read
      .getRepository(AuditLog)
      .findBy({ entity: 'work_calendar', entityId: 2027 });
    expect(audit.map((a) => [a.action, a.actorName, a.changes])).toEqual([
      ['update', 'admin', { days: { old: [], new: days } }],
    ]);

    // refused: a day of another year, a day twice, a bad year, and anyone but an admin
    const bad = await t
      .http()
      .put('/api/admin/calendar/2027')
      .send({ days: [days[0], { date: '2026-12-31', work: true }, days[0]] })
      .expect(400);
    expect(bad.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['days[1].date', 'CALENDAR_DAY_OUTSIDE_YEAR'],
      ['days[2].date', 'CALENDAR_DAY_DUPLICATE'],
    ]);
    expect((await t.http().get('/api/admin/calendar/27').expect(400)).body.errors[0].path).toBe(
      'year',
    );
    const officer = await t.as('infrastructure', ids['广东省']);
    await officer.get('/api/admin/calendar/2027').expect(403);
    await officer.put('/api/admin/calendar/2027').send({ days: [] }).expect(403);
    const countyAdmin = await t.as('admin', ids['连南瑶族自治县']);
    const refused = await countyAdmin
      .put('/api/admin/calendar/2027')
      .send({ days: [] })
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN_CALENDAR');
    // nothing changed by the refusals
    expect((await t.http().get('/api/admin/calendar/2027').expect(200)).body.overrides).toEqual(
      days,
    );
  });
});
