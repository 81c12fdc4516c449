import ExcelJS from 'exceljs';
import { AlertDelivery } from '../../src/alerts/alert.entities';
import { AlertsScheduler } from '../../src/alerts/alerts.scheduler';
import { DeliveryWorker } from '../../src/alerts/delivery.worker';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Clock } from '../../src/common/clock';
import { Database } from '../../src/database/database';
import { SubmissionReminder } from '../../src/submissions/reminder.entity';
import { Submission, SubmissionEvent } from '../../src/submissions/submission.entities';
import { createTestApp, downloadXlsx, pinClock, regionIds, TestApp } from '../support/app';
import { startReceiver } from '../support/receiver';
import { DIALECT } from '../support/test-db';

/**
 * A region's month as the cycle stores it, written directly: these tests are about what the
 * calendar, 催报 and 报送及时率 make of submissions, not how they are made (the cycle's own e2e).
 */
async function storeSubmission(
  db: Database,
  s: Pick<Submission, 'regionId' | 'month' | 'status' | 'dueOn' | 'lateDays' | 'firstSubmittedAt'> &
    Partial<Submission>,
): Promise<void> {
  await db.write.getRepository(Submission).insert({
    version: 1,
    submittedAt: s.firstSubmittedAt,
    submittedBy: 'seed',
    returnCount: 0,
    forced: false,
    seq: 1,
    fileSha256: '0'.repeat(64),
    filePath: `test/${s.regionId}-${s.month}.xlsx`,
    snapshot: { month: s.month, asOf: `${s.month}-28`, regions: [] },
    checks: [],
    createdAt: s.firstSubmittedAt,
    updatedAt: s.firstSubmittedAt,
    ...s,
  });
}

const text = (v: ExcelJS.CellValue): string | number =>
  v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? v : String(v ?? '');

describe(`the reporting calendar, 催报 and 报送及时率 (${DIALECT})`, () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let rx: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    rx = await startReceiver(() => ({ status: 200, body: { errcode: 0 } }));
    t = await createTestApp({
      env: { ALERT_WEBHOOKS: `${rx.url('/hook')},wecom:${rx.url('/wecom')}` },
    });
    ids = await regionIds(t);
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  /**
   * One story (each step builds on the last) and `--randomize` shuffles the tests of a file: the
   * steps run in order inside one test, each named in a failure.
   */
  const steps: { name: string; run: () => Promise<void> }[] = [];
  const step = (name: string, run: () => Promise<void>) => steps.push({ name, run });

  step(
    'states a year’s due dates past 春节 and 国庆 with 调休, and takes an admin override for 2027',
    async () => {
      const y2026 = (await t.http().get('/api/admin/calendar/2026').expect(200)).body;
      expect(y2026).toMatchObject({
        year: 2026,
        dueDay: 5,
        packageCoversYear: true,
        overrides: [],
      });
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
    },
  );

  step(
    '催报: a reviewer reminds a county once a day, never after it has submitted; each is an event, a message and an audit row',
    async () => {
      // 2026-12-02 (TEST_NOW): November's report is due 2026-12-07
      const heyuan = await t.as('infrastructure', ids['河源市']);
      const r = await heyuan
        .post('/api/submissions/remind')
        .send({ month: '2026-11', regionId: ids['龙川县'] })
        .expect(202);
      expect(r.body).toEqual({
        regionId: ids['龙川县'],
        month: '2026-11',
        eventId: expect.any(Number),
      });
      const text =
        '河源市催报：龙川县2026年11月月报尚未报送（截止日期2026年12月7日），请尽快报送。';
      const events = await t.db.read
        .getRepository(SubmissionEvent)
        .findBy({ regionId: ids['龙川县'], month: '2026-11' });
      expect(
        events.map((e) => [e.id, e.submissionId, e.action, e.fromStatus, e.toStatus, e.comment]),
      ).toEqual([[r.body.eventId, null, 'remind', null, null, text]]);
      // no submission was created for it
      expect(await t.db.read.getRepository(Submission).countBy({ regionId: ids['龙川县'] })).toBe(
        0,
      );
      const audit = await t.db.read
        .getRepository(AuditLog)
        .findBy({ entity: 'submission_event', entityId: r.body.eventId });
      expect(audit.map((a) => [a.action, a.actorName, a.changes.comment])).toEqual([
        ['remind', audit[0].actorName, { old: null, new: text }],
      ]);

      // through the outbox to both webhooks, in their formats
      const queued = await t.db.read
        .getRepository(AlertDelivery)
        .find({ where: { stateKey: `remind:${r.body.eventId}` }, order: { id: 'ASC' } });
      expect(queued.map((d) => [d.format, d.status])).toEqual([
        ['generic', 'pending'],
        ['wecom', 'pending'],
      ]);
      await t.app.get(DeliveryWorker).runOnce();
      const got = rx.received.filter((m) => JSON.stringify(m.body).includes('龙川县2026年11月'));
      expect(got.map((m) => m.path).sort()).toEqual(['/hook', '/wecom']);
      expect(got.find((m) => m.path === '/wecom')!.body).toEqual({
        msgtype: 'markdown',
        markdown: { content: `### 【催报】龙川县 2026年11月月报\n> ${text}` },
      });
      expect(got.find((m) => m.path === '/hook')!.body).toMatchObject({
        type: 'reminder',
        title: '【催报】龙川县 2026年11月月报',
        text,
      });

      // once a day per county: 429, whoever presses it and for whichever month
      const again = await heyuan
        .post('/api/submissions/remind')
        .send({ month: '2026-11', regionId: ids['龙川县'] })
        .expect(429);
      expect([again.body.code, again.body.message]).toEqual([
        'REMIND_TOO_SOON',
        '今天已催报过该县区，每个县区每天最多催报一次，请明天再催',
      ]);
      await t
        .http()
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: ids['龙川县'] })
        .expect(429);

      // the list shows it: 1 催报 of 龙川县's November
      const list = (await heyuan.get('/api/submissions?month=2026-11').expect(200)).body;
      const longchuan = list.items.find((i: { regionId: number }) => i.regionId === ids['龙川县']);
      expect([longchuan.status, longchuan.dueOn, longchuan.reminders]).toEqual([
        'not_submitted',
        '2026-12-07',
        1,
      ]);
      expect(longchuan.lastRemindedAt).toBe(events[0].at);

      // refused for a county that has submitted (409), nothing recorded
      const yuancheng = await t.as('infrastructure', ids['源城区']);
      const sub = await yuancheng
        .post('/api/submissions')
        .send({ month: '2026-11', force: true, note: '部分项目本月无进展' })
        .expect(201);
      expect([sub.body.status, sub.body.dueOn, sub.body.lateDays]).toEqual([
        'submitted',
        '2026-12-07',
        0,
      ]);
      const submitted = await heyuan
        .post('/api/submissions/remind')
        .send({ month: '2026-11', regionId: ids['源城区'] })
        .expect(409);
      expect([submitted.body.code, submitted.body.message]).toEqual([
        'REMIND_ALREADY_SUBMITTED',
        '该县区这个月的月报已报送，无需催报',
      ]);
      // a month not over: 400; the county itself, a sibling city, a viewer, the province over a county: refused
      expect(
        (
          await heyuan
            .post('/api/submissions/remind')
            .send({ month: '2026-12', regionId: ids['源城区'] })
            .expect(400)
        ).body.errors[0].path,
      ).toBe('month');
      const own = await t.as('infrastructure', ids['龙川县']);
      // days late count from the calendar's due date: September's was 2026-10-08 (after 国庆节)
      const late = await own
        .post('/api/submissions')
        .send({ month: '2026-09', force: true, note: '补报' })
        .expect(201);
      expect([late.body.dueOn, late.body.lateDays]).toEqual(['2026-10-08', 55]);
      // its detail lists the month's events, reminders included (none for September)
      expect(
        (await own.get(`/api/submissions/${late.body.id}`).expect(200)).body.events.map(
          (e: { action: string }) => e.action,
        ),
      ).toEqual(['submit']);
      await own
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: ids['龙川县'] })
        .expect(403);
      const shaoguan = await t.as('finance', ids['韶关市']);
      await shaoguan
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: ids['龙川县'] })
        .expect(404);
      const viewer = await t.as('viewer', ids['河源市']);
      await viewer
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: ids['龙川县'] })
        .expect(403);
      const province = await t.as('finance', ids['广东省']);
      const notParent = await province
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: ids['乐昌市'] })
        .expect(403);
      expect([notParent.body.code, notParent.body.message]).toEqual([
        'REMIND_NOT_REVIEWER',
        '只有上一级审核单位（或其上级的管理员）可以催报',
      ]);
      // the province reminds its city
      await province
        .post('/api/submissions/remind')
        .send({ month: '2026-11', regionId: ids['河源市'] })
        .expect(202);
      expect(
        await t.db.read
          .getRepository(SubmissionEvent)
          .countBy({ regionId: ids['源城区'], action: 'remind' }),
      ).toBe(0);

      // the next day, again
      const clock = t.app.get(Clock);
      await t.as('finance', ids['河源市'], 'heyuan_next_day');
      pinClock(clock, '2026-12-03T01:00:00.000Z');
      try {
        // a new sign-in: a day later the morning's sessions have lapsed
        const nextDay = t.withToken(await t.login('heyuan_next_day', 'User-Pass-123'));
        await nextDay
          .post('/api/submissions/remind')
          .send({ month: '2026-11', regionId: ids['龙川县'] })
          .expect(202);
      } finally {
        pinClock(clock, '2026-12-02T04:10:00.000Z');
      }
      expect(
        (await t.db.read.getRepository(SubmissionReminder).find({ order: { at: 'ASC' } })).map(
          (x) => [x.key, x.kind, x.month, x.dueOn, x.queued],
        ),
      ).toEqual([
        [`manual:${ids['龙川县']}:2026-12-02`, 'manual', '2026-11', '2026-12-07', 2],
        [`manual:${ids['河源市']}:2026-12-02`, 'manual', '2026-11', '2026-12-07', 2],
        [`manual:${ids['龙川县']}:2026-12-03`, 'manual', '2026-11', '2026-12-07', 2],
      ]);
    },
  );

  step(
    '报送及时率 in the 首页 ranking, 本期月报 on 首页, and the city report’s 报送情况 sheet',
    async () => {
      const months = [
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
      ];
      // 连南: every month falling due in 2026 so far, one of them (September's) two days late
      for (const month of months)
        await storeSubmission(t.db, {
          regionId: ids['连南瑶族自治县'],
          month,
          status: 'approved',
          dueOn: '2026-01-01', // not read: lateDays is what counts
          lateDays: month === '2026-09' ? 2 : 0,
          firstSubmittedAt: `${month}-28T02:00:00.000Z`,
        });
      // 源城区: September on time; October a day late, returned once, then approved
      await storeSubmission(t.db, {
        regionId: ids['源城区'],
        month: '2026-09',
        status: 'approved',
        dueOn: '2026-10-08',
        lateDays: 0,
        firstSubmittedAt: '2026-10-08T01:00:00.000Z',
      });
      await storeSubmission(t.db, {
        regionId: ids['源城区'],
        month: '2026-10',
        status: 'approved',
        dueOn: '2026-11-05',
        lateDays: 1,
        firstSubmittedAt: '2026-11-06T01:00:00.000Z',
        approvedAt: '2026-11-09T07:15:00.000Z',
        returnCount: 1,
      });

      // 首页 (2026-12-02): 11 months fell due this year (2025-12 … 2026-10); November's is due 12-07
      const all = (await t.http().get('/api/dashboard').expect(200)).body;
      expect(
        Object.fromEntries(
          all.counties.map((c: { name: string; timelinessRate: number | null }) => [
            c.name,
            c.timelinessRate,
          ]),
        ),
      ).toEqual({ 连南瑶族自治县: 0.909091, 源城区: 0.090909, 乐昌市: 0, 龙川县: 0 });
      expect(all.counties[0]).toHaveProperty('investmentRate'); // the existing rates stay
      expect(all.submission).toBeNull();
      // on 2026-01-05 (the first due date of the year, not yet passed) there is no rate yet
      const january = (await t.http().get('/api/dashboard?asOf=2026-01-05').expect(200)).body;
      expect(
        january.counties.map((c: { timelinessRate: number | null }) => c.timelinessRate),
      ).toEqual([null, null, null, null]);

      const city = await t.as('viewer', ids['河源市']);
      expect((await city.get('/api/dashboard').expect(200)).body.submission).toEqual({
        month: '2026-11',
        dueOn: '2026-12-07',
        status: null,
        lateDays: null,
        firstSubmittedAt: null,
        counts: {
          not_submitted: 1,
          submitted: 1,
          approved: 0,
          returned: 0,
          withdrawn: 0,
          total: 2,
        },
      });
      const county = await t.as('viewer', ids['连南瑶族自治县']);
      const own = (await county.get('/api/dashboard').expect(200)).body;
      expect(own.submission).toEqual({
        month: '2026-11',
        dueOn: '2026-12-07',
        status: 'not_submitted',
        lateDays: 0,
        firstSubmittedAt: null,
        counts: null,
      });
      expect(own.counties).toEqual([]);

      // the city's October report: 报送情况, as it stands on 2026-12-02
      const { wb } = await downloadXlsx(
        t.http(),
        `/api/reports/monthly?month=2026-10&regionId=${ids['河源市']}`,
      );
      const ws = wb.getWorksheet('报送情况')!;
      // the title and information rows are merged across the table
      expect([ws.getCell('A1').value, ws.getCell('A2').value]).toEqual([
        '河源市 · 学校建设项目月度进展报表 · 2026年10月',
        '填报单位：河源市教育局\u3000\u30002026年10月月报截止日期：2026-11-05\u3000\u3000截至日期：2026-12-02（报送状态）',
      ]);
      const rows = [3, 4, 5].map((n) =>
        Array.from({ length: 8 }, (_, i) => text(ws.getRow(n).getCell(i + 1).value)),
      );
      expect(rows).toEqual([
        [
          '县（区）',
          '报送状态',
          '截止日期',
          '首次报送时间',
          '通过时间',
          '逾期天数',
          '退回次数',
          '本年报送及时率',
        ],
        ['源城区', '已通过', '2026-11-05', '2026-11-06 09:00', '2026-11-09 15:15', 1, 1, 0.090909],
        ['龙川县', '未报送', '2026-11-05', '', '', 27, 0, 0],
      ]);
      expect(ws.getRow(4).getCell(8).numFmt).toBe('0.0%');
      // the sheet comes last; a county's own report has none
      expect(wb.worksheets.at(-1)!.name).toBe('报送情况');
      const countyReport = await downloadXlsx(
        t.http(),
        `/api/reports/monthly?month=2026-10&regionId=${ids['连南瑶族自治县']}`,
      );
      expect(countyReport.wb.getWorksheet('报送情况')).toBeUndefined();
    },
  );

  it('runs in order: the calendar, 催报, 报送及时率 and 报送情况', async () => {
    for (const s of steps) {
      try {
        await s.run();
      } catch (e) {
        if (e instanceof Error) e.message = `step「${s.name}」: ${e.message}`;
        throw e;
      }
    }
  }, 600_000);
});

describe(`automatic 催报 from the scheduler (${DIALECT})`, () => {
  it('reminds the counties not submitted 3 days and 1 day before the due date and the day after, once each', async () => {
    const rx = await startReceiver(() => ({ status: 200 }));
    const t = await createTestApp({
      env: { SCHEDULER_ENABLED: 'true', ALERT_WEBHOOKS: rx.url('/auto') },
    });
    try {
      const ids = await regionIds(t);
      await storeSubmission(t.db, {
        regionId: ids['连南瑶族自治县'],
        month: '2026-11',
        status: 'submitted',
        dueOn: '2026-12-07',
        lateDays: 0,
        firstSubmittedAt: '2026-12-01T02:00:00.000Z',
      });
      const scheduler = t.app.get(AlertsScheduler);
      const clock = t.app.get(Clock);
      const reminded = async () =>
        (
          await t.db.read
            .getRepository(SubmissionEvent)
            .find({ where: { action: 'auto_remind' }, order: { id: 'ASC' } })
        ).map((e) => `${e.at.slice(0, 10)} ${e.comment}`);
      const at = async (instant: string) => {
        pinClock(clock, instant);
        await scheduler.tick();
      };
      // November's report is due Monday 2026-12-07
      await at('2026-12-03T01:00:00.000Z'); // 12-03 09:00: nothing due
      await at('2026-12-03T23:30:00.000Z'); // 12-04 07:30: before the 08:00 start
      expect(await reminded()).toEqual([]);
      await at('2026-12-04T01:00:00.000Z'); // 12-04 09:00: 3 days before
      await at('2026-12-04T01:05:00.000Z'); // the next tick: nothing twice
      await at('2026-12-05T01:00:00.000Z');
      await at('2026-12-06T01:00:00.000Z'); // 1 day before
      await at('2026-12-07T01:00:00.000Z'); // the due day: nothing
      await at('2026-12-08T01:00:00.000Z'); // the day after
      await at('2026-12-08T09:00:00.000Z');
      const names = ['乐昌市', '源城区', '龙川县'].sort(
        (a, b) => ids[a] - ids[b], // counties in region order; 连南 has submitted
      );
      expect(await reminded()).toEqual([
        ...names.map(
          (n) => `2026-12-04 ${n}2026年11月月报将于2026年12月7日截止，还有3天，请按时报送。`,
        ),
        ...names.map(
          (n) => `2026-12-06 ${n}2026年11月月报将于明天（2026年12月7日）截止，请按时报送。`,
        ),
        ...names.map(
          (n) =>
            `2026-12-08 ${n}2026年11月月报已于2026年12月7日截止，至今未报送，已逾期1天，请尽快报送。`,
        ),
      ]);
      // delivered by the tick, once each
      const sent = rx.received.filter((m) => (m.body as { type?: string }).type === 'reminder');
      expect(sent).toHaveLength(9);
      const audit = await t.db.read
        .getRepository(AuditLog)
        .countBy({ entity: 'submission_event', action: 'auto_remind' });
      expect(audit).toBe(9);
    } finally {
      await t.close();
      await rx.close();
    }
  });
});
