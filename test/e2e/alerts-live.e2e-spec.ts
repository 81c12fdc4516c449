import { AlertsService } from '../../src/alerts/alerts.service';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/common/clock';
import { Database } from '../../src/database/database';
import { STATUS_LABELS } from '../../src/projects/project-rules';
import { Agent, createTestApp, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

interface AlertItem {
  id: number;
  kind: string;
  severity: 'red' | 'yellow' | 'blue';
  projectId: number;
  milestoneId: number | null;
  regionId: number;
  daysOverdue: number;
  state: string;
  message: string;
  resolvedAt: string | null;
  ackNote: string | null;
  version: number;
}

const RANK: Record<string, number> = { red: 1, yellow: 2, blue: 3 };
const byId = (a: number, b: number) => a - b;

/**
 * Reads the four numbers that must agree for today, checks that they do, and returns them:
 * 首页 (GET /api/dashboard: 逾期, 红/黄/蓝), 预警中心 (GET /api/alerts counts, and its 项目逾期 list),
 * 项目台账 (GET /api/projects?alertLevel=…).
 */
async function agreed(agent: Agent) {
  const d = (await agent.get('/api/dashboard').expect(200)).body;
  const all = (await agent.get('/api/alerts?pageSize=200').expect(200)).body as {
    items: AlertItem[];
    total: number;
    counts: Record<string, number>;
  };
  const overdueAlerts = (
    await agent.get('/api/alerts?kind=project_overdue&pageSize=200').expect(200)
  ).body as { items: AlertItem[]; total: number };
  const levels: Record<string, number[]> = {};
  for (const l of ['red', 'yellow', 'blue'])
    levels[l] = (
      (await agent.get(`/api/projects?alertLevel=${l}&pageSize=200`).expect(200)).body.items as {
        id: number;
      }[]
    )
      .map((p) => p.id)
      .sort(byId);
  // each project's highest standing alert, from 预警中心's own list
  const highest = new Map<number, string>();
  for (const a of all.items) {
    const had = highest.get(a.projectId);
    if (!had || RANK[a.severity] < RANK[had]) highest.set(a.projectId, a.severity);
  }
  const fromAlerts = Object.fromEntries(
    ['red', 'yellow', 'blue'].map((l) => [
      l,
      [...highest]
        .filter(([, s]) => s === l)
        .map(([id]) => id)
        .sort(byId),
    ]),
  );
  expect(levels).toEqual(fromAlerts);
  expect(d.alerts).toEqual(all.counts);
  expect(all.total).toBe(all.counts.red + all.counts.yellow + all.counts.blue);
  expect(d.overdue).toBe(overdueAlerts.total);
  expect(new Set(overdueAlerts.items.map((a) => a.projectId)).size).toBe(overdueAlerts.total);
  const counties = d.counties as { overdue: number }[];
  if (counties.length) expect(counties.reduce((n, c) => n + c.overdue, 0)).toBe(d.overdue);
  return {
    overdue: d.overdue as number,
    alerts: d.alerts as Record<string, number>,
    projects: { red: levels.red.length, yellow: levels.yellow.length, blue: levels.blue.length },
    items: all.items,
  };
}

const numbers = (r: Awaited<ReturnType<typeof agreed>>) => ({
  overdue: r.overdue,
  alerts: r.alerts,
  projects: r.projects,
});

/**
 * Alerts follow the data at once (issue 29, point 2): every write that changes a project's alert
 * conditions brings that project's alerts up to date as of today in the same request, and 首页,
 * 预警中心 and 项目台账 count them alike. The reference data (连南, 14 projects, all still 谋划储备 with
 * their planned completions passed); today is 2026-12-02 (TEST_NOW).
 */
describe(`alerts follow the data at once (${DIALECT})`, () => {
  let t: TestApp;
  let county: Agent; // 连南 基建股
  let city: Agent; // 清远市
  let province: Agent; // 广东省
  let lechang: Agent; // 乐昌市 (another county, another city)
  // each test starts from the reference data and today's scan, so that it passes in any order
  beforeEach(async () => {
    t = await createTestApp();
    // the daily scan of today: the starting point every write moves on from
    expect((await t.http().post('/api/alerts/scan').expect(200)).body).toMatchObject({
      asOf: '2026-12-02',
      opened: 14,
    });
    county = await t.as('infrastructure', 3);
    city = await t.as('viewer', 2);
    province = await t.as('viewer', 1);
    lechang = await t.as('viewer', 5);
  });
  afterEach(() => t.close());

  const project = async (id: number) =>
    (await t.http().get(`/api/projects/${id}`).expect(200)).body as {
      version: number;
      alertLevel: string | null;
    };
  const alertsOf = async (agent: Agent, projectId: number, state = 'open,acknowledged,resolved') =>
    (
      (await agent.get(`/api/alerts?pageSize=200&state=${state}`).expect(200)).body
        .items as AlertItem[]
    ).filter((a) => a.projectId === projectId);

  it('agrees on the reference data: 逾期 14, 红色预警 14, 14 red projects, for every scope', async () => {
    const want = {
      overdue: 14,
      alerts: { red: 14, yellow: 0, blue: 0 },
      projects: { red: 14, yellow: 0, blue: 0 },
    };
    expect(numbers(await agreed(county))).toEqual(want);
    expect(numbers(await agreed(city))).toEqual(want);
    expect(numbers(await agreed(province))).toEqual(want);
    expect(numbers(await agreed(lechang))).toEqual({
      overdue: 0,
      alerts: { red: 0, yellow: 0, blue: 0 },
      projects: { red: 0, yellow: 0, blue: 0 },
    });
  });

  it('another day: 首页 counts that day’s conditions, as 预警中心 does for that day', async () => {
    for (const agent of [county, province]) {
      const d = (await agent.get('/api/dashboard?asOf=2023-02-15').expect(200)).body;
      const live = (await agent.get('/api/alerts?asOf=2023-02-15&pageSize=200').expect(200)).body;
      const overdue = (
        await agent.get('/api/alerts?asOf=2023-02-15&kind=project_overdue&pageSize=200').expect(200)
      ).body;
      // 三排镇横坑幼儿园 and 大坪镇中心幼儿园 (2021-08, 533 days: red), 大麦山, 淳溪, 民族小学 and
      // 三江镇 (2022-12, 46 days: yellow)
      expect([d.overdue, d.alerts]).toEqual([6, { red: 2, yellow: 4, blue: 0 }]);
      expect(live.counts).toEqual(d.alerts);
      expect(overdue.total).toBe(d.overdue);
    }
  });

  it('any day: 首页 counts what 预警中心 lists for that day, milestones included', async () => {
    // 首页 counts a day's conditions without writing their messages (alertSeverities, the
    // milestones read without names): the counts must stay 预警中心's, kind by kind.
    // 石泉中学（完全中学） (id 14): 立项 planned 2024-09-01 and reached 2024-11-20, 用地 due 2024-11-15
    const ms = (await county.get('/api/projects/14/milestones').expect(200)).body.items as {
      id: number;
      key: string;
      version: number;
    }[];
    const approval = ms.find((m) => m.key === 'approval')!;
    const land = ms.find((m) => m.key === 'land')!;
    await county
      .patch(`/api/projects/14/milestones/${approval.id}`)
      .send({ version: approval.version, plannedDate: '2024-09-01', actualDate: '2024-11-20' })
      .expect(200);
    await county
      .patch(`/api/projects/14/milestones/${land.id}`)
      .send({ version: land.version, plannedDate: '2024-11-15' })
      .expect(200);
    const kinds: string[] = [];
    for (const asOf of ['2021-06-10', '2023-02-15', '2024-10-31', '2024-11-30']) {
      const d = (await province.get(`/api/dashboard?asOf=${asOf}`).expect(200)).body;
      const live = (await province.get(`/api/alerts?asOf=${asOf}&pageSize=200`).expect(200))
        .body as { items: AlertItem[]; total: number; counts: Record<string, number> };
      expect({ asOf, counts: d.alerts }).toEqual({ asOf, counts: live.counts });
      expect(live.items.length).toBe(live.total);
      for (const a of live.items)
        if (a.projectId === 14) kinds.push(`${asOf} ${a.kind} ${a.severity} ${a.daysOverdue}`);
    }
    // 立项 late until reached; 用地 due soon, then late
    expect(kinds).toEqual([
      '2024-10-31 milestone_overdue yellow 60',
      '2024-10-31 milestone_due_soon blue -15',
      '2024-11-30 milestone_overdue blue 15',
    ]);
  });

  it('a progress report refreshes the message in the same request; a completion report resolves the red alert', async () => {
    // 三排镇中心学校附属幼儿园 (id 13): planned 2025-12, 336 days late today
    const [before] = await alertsOf(county, 13);
    expect(before).toMatchObject({ kind: 'project_overdue', severity: 'red', state: 'open' });
    expect(before.message).toContain(`当前状态：${STATUS_LABELS.planned}`);
    await county
      .post('/api/projects/13/progress')
      .send({ reportedOn: '2026-11-30', status: 'under_construction', progressPercent: 90 })
      .expect(201);
    const [building] = await alertsOf(county, 13);
    expect(building.id).toBe(before.id);
    expect(building.state).toBe('open');
    expect(building.daysOverdue).toBe(336);
    expect(building.message).toBe(
      `连南瑶族自治县 三排镇中心学校附属幼儿园：计划2025年12月完成，已逾期336天（当前状态：${STATUS_LABELS.under_construction}）`,
    );
    await county
      .post('/api/projects/13/progress')
      .send({
        reportedOn: '2026-12-02',
        status: 'completed',
        progressPercent: 100,
        actualCompletion: '2026-12-02',
      })
      .expect(201);
    // right after: resolved, gone from the standing list and from every count
    const [done] = await alertsOf(county, 13);
    expect(done.id).toBe(before.id);
    expect(done.state).toBe('resolved');
    expect(done.resolvedAt).not.toBeNull();
    expect(await alertsOf(county, 13, 'open,acknowledged')).toEqual([]);
    expect((await project(13)).alertLevel).toBeNull();
    const want = {
      overdue: 13,
      alerts: { red: 13, yellow: 0, blue: 0 },
      projects: { red: 13, yellow: 0, blue: 0 },
    };
    expect(numbers(await agreed(county))).toEqual(want);
    expect(numbers(await agreed(city))).toEqual(want);
    expect(numbers(await agreed(province))).toEqual(want);
  });

  it('a milestone made overdue opens its alert; marking it done resolves it; one due soon warns blue', async () => {
    // 石泉中学（完全中学） (id 14): its 立项 (approval) milestone, no date yet
    const ms = (await county.get('/api/projects/14/milestones').expect(200)).body.items as {
      id: number;
      key: string;
      version: number;
    }[];
    const approval = ms.find((m) => m.key === 'approval')!;
    const land = ms.find((m) => m.key === 'land')!;
    const r = await county
      .patch(`/api/projects/14/milestones/${approval.id}`)
      .send({ version: approval.version, plannedDate: '2026-10-01' })
      .expect(200);
    const late = (await alertsOf(county, 14)).filter((a) => a.milestoneId === approval.id);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      kind: 'milestone_overdue',
      severity: 'yellow',
      daysOverdue: 62,
      state: 'open',
    });
    // due soon: 2026-12-20 is 18 days away
    await county
      .patch(`/api/projects/14/milestones/${land.id}`)
      .send({ version: land.version, plannedDate: '2026-12-20' })
      .expect(200);
    const soon = (await alertsOf(county, 14)).filter((a) => a.milestoneId === land.id);
    expect(soon).toMatchObject([
      { kind: 'milestone_due_soon', severity: 'blue', daysOverdue: -18, state: 'open' },
    ]);
    // alerts, not projects: 14 stays one red project, the 黄/蓝 alerts count as alerts
    expect(numbers(await agreed(county))).toEqual({
      overdue: 14,
      alerts: { red: 14, yellow: 1, blue: 1 },
      projects: { red: 14, yellow: 0, blue: 0 },
    });
    expect(numbers(await agreed(province))).toMatchObject({
      alerts: { red: 14, yellow: 1, blue: 1 },
    });
    // a new milestone already late opens one too
    const added = (
      await county
        .post('/api/projects/14/milestones')
        .send({ key: 'site_survey', name: '地勘', plannedDate: '2026-11-20' })
        .expect(201)
    ).body;
    expect((await alertsOf(county, 14)).filter((a) => a.milestoneId === added.id)).toMatchObject([
      { kind: 'milestone_overdue', severity: 'blue', daysOverdue: 12, state: 'open' },
    ]);
    // done: resolved at once
    await county
      .patch(`/api/projects/14/milestones/${approval.id}`)
      .send({ version: r.body.version, actualDate: '2026-12-01' })
      .expect(200);
    expect((await alertsOf(county, 14)).filter((a) => a.milestoneId === approval.id)).toMatchObject(
      [{ kind: 'milestone_overdue', state: 'resolved' }],
    );
    expect(numbers(await agreed(county))).toEqual({
      overdue: 14,
      alerts: { red: 14, yellow: 0, blue: 2 },
      projects: { red: 14, yellow: 0, blue: 0 },
    });
  });

  it('moving a project to another county moves its alerts’ scope; new dates clear its overdue; archiving resolves them', async () => {
    // 寨岗镇中心幼儿园 (id 11) to 乐昌市 (韶关市)
    const p11 = await project(11);
    await t
      .http()
      .patch('/api/projects/11')
      .send({ version: p11.version, regionId: 5, planId: null })
      .expect(200);
    const [moved] = await alertsOf(lechang, 11);
    expect(moved).toMatchObject({ kind: 'project_overdue', regionId: 5, state: 'open' });
    expect(moved.message.startsWith('乐昌市 寨岗镇中心幼儿园：')).toBe(true);
    expect(await alertsOf(county, 11)).toEqual([]);
    expect(numbers(await agreed(lechang))).toEqual({
      overdue: 1,
      alerts: { red: 1, yellow: 0, blue: 0 },
      projects: { red: 1, yellow: 0, blue: 0 },
    });
    const connan = {
      overdue: 13,
      alerts: { red: 13, yellow: 0, blue: 0 },
      projects: { red: 13, yellow: 0, blue: 0 },
    };
    expect(numbers(await agreed(county))).toEqual(connan);
    expect(numbers(await agreed(city))).toEqual(connan);
    // the province sees both counties, 逾期 summed over its ranking
    expect(numbers(await agreed(province))).toEqual({
      overdue: 14,
      alerts: { red: 14, yellow: 0, blue: 0 },
      projects: { red: 14, yellow: 0, blue: 0 },
    });

    // 民族高级中学（修缮改造） (id 12): planned 2024-08, moved to 2027-06: no longer overdue
    const p12 = await project(12);
    await county
      .patch('/api/projects/12')
      .send({ version: p12.version, plannedCompletion: '2027-06' })
      .expect(200);
    expect((await alertsOf(county, 12)).map((a) => a.state)).toEqual(['resolved']);

    // 香坪镇中心幼儿园 (id 10) archived: its alert resolves with it
    const p10 = await project(10);
    await county
      .post('/api/projects/10/archive')
      .send({ version: p10.version, reason: '项目取消合并建设' })
      .expect(201);
    expect((await alertsOf(t.http(), 10)).map((a) => [a.kind, a.state])).toEqual([
      ['project_overdue', 'resolved'],
    ]);
    expect(numbers(await agreed(county))).toEqual({
      overdue: 11,
      alerts: { red: 11, yellow: 0, blue: 0 },
      projects: { red: 11, yellow: 0, blue: 0 },
    });
    expect(numbers(await agreed(province))).toEqual({
      overdue: 12,
      alerts: { red: 12, yellow: 0, blue: 0 },
      projects: { red: 12, yellow: 0, blue: 0 },
    });
  });

  it('a funding line that closes the gap resolves the 临近完工资金缺口 alert', async () => {
    // 民族高级中学（修缮改造） (id 12), planned 2024-08: under construction with a gap, due
    // within 90 days once its completion is moved to 2027-01
    await county
      .post('/api/projects/12/progress')
      .send({ reportedOn: '2026-12-02', status: 'under_construction', progressPercent: 50 })
      .expect(201);
    const p12 = await project(12);
    await county
      .patch('/api/projects/12')
      .send({ version: p12.version, plannedCompletion: '2027-01' })
      .expect(200);
    const gap = (await alertsOf(county, 12, 'open')).filter((a) => a.kind === 'funding_gap');
    expect(gap).toMatchObject([{ severity: 'blue', daysOverdue: -60, state: 'open' }]);
    expect(gap[0].message).toBe(
      '连南瑶族自治县 民族高级中学（修缮改造）：计划2027年1月完成（还有60天），资金缺口150.00万元',
    );
    const fin = await t.as('finance', 3);
    await fin
      .post('/api/projects/12/funding')
      .send({ source: 'county_budget', committedWan: '150', committedOn: '2026-12-01' })
      .expect(201);
    expect(
      (await alertsOf(county, 12)).filter((a) => a.kind === 'funding_gap').map((a) => a.state),
    ).toEqual(['resolved']);
    await agreed(county);
  });

  it('a refused write leaves the alerts as they were', async () => {
    const before = await alertsOf(county, 14);
    const p14 = await project(14);
    // a stale version: 409, nothing written, the overdue alert untouched
    await county
      .patch('/api/projects/14')
      .send({ version: p14.version + 100, plannedCompletion: '2027-06' })
      .expect(409);
    expect(await alertsOf(county, 14)).toEqual(before);
  });

  it('rolls back with the write: a refresh inside a failed transaction leaves the alerts untouched', async () => {
    const db = t.app.get(Database);
    const alerts = t.app.get(AlertsService);
    const before = await alertsOf(county, 14);
    expect(before.find((a) => a.kind === 'project_overdue')?.state).toBe('open');
    await expect(
      db.transaction(async (em) => {
        await em.query(
          "UPDATE project SET planned_completion = '2027-06', planned_completion_due = '2027-06-30' WHERE id = 14",
        );
        await alerts.refresh(em, SYSTEM_ACTOR, [14]);
        // inside the transaction the refresh saw the new date and resolved the alert
        const [row] = await em.query(
          "SELECT state FROM alert WHERE project_id = 14 AND kind = 'project_overdue'",
        );
        expect(row.state).toBe('resolved');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await alertsOf(county, 14)).toEqual(before);
  });

  it('an acknowledgement needs a 确认说明; an acknowledged alert still counts', async () => {
    const [a] = (await alertsOf(county, 14, 'open')).filter((x) => x.kind === 'project_overdue');
    for (const body of [{}, { note: '' }, { note: '   \n ' }]) {
      const r = await county
        .post(`/api/alerts/${a.id}/ack`)
        .send({ version: a.version, ...body })
        .expect(400);
      expect(r.body.errors).toEqual([
        { path: 'note', code: 'FIELD_REQUIRED', message: '此项必填：确认说明' },
      ]);
      expect(r.body.message).toContain('确认说明');
    }
    expect((await alertsOf(county, 14, 'open')).find((x) => x.id === a.id)?.state).toBe('open');
    const ok = await county
      .post(`/api/alerts/${a.id}/ack`)
      .send({ version: a.version, note: '  已督促施工单位加快进度 ' })
      .expect(200);
    expect(ok.body).toMatchObject({ state: 'acknowledged', ackNote: '已督促施工单位加快进度' });
    // standing until its condition clears: 首页, 预警中心 and 项目台账 still count it
    expect(numbers(await agreed(county))).toEqual({
      overdue: 14,
      alerts: { red: 14, yellow: 0, blue: 0 },
      projects: { red: 14, yellow: 0, blue: 0 },
    });
  });
  it('a scan beside concurrent writes leaves the stored alerts equal to today’s conditions', async () => {
    const ids = [1, 2, 3, 4, 5, 6];
    const rs = await Promise.all([
      t.http().post('/api/alerts/scan'),
      ...ids.map((id) =>
        county
          .post(`/api/projects/${id}/progress`)
          .send({ reportedOn: '2026-12-02', status: 'under_construction', progressPercent: 10 }),
      ),
      t.http().post('/api/alerts/scan'),
    ]);
    expect(rs.map((r) => r.status)).toEqual([200, 201, 201, 201, 201, 201, 201, 200]);
    const key = (a: AlertItem) =>
      [a.kind, a.projectId, a.milestoneId, a.severity, a.daysOverdue, a.message].join('|');
    const stored = (await t.http().get('/api/alerts?pageSize=200').expect(200)).body
      .items as AlertItem[];
    const live = (await t.http().get('/api/alerts?asOf=2026-12-02&pageSize=200').expect(200)).body
      .items as AlertItem[];
    expect(stored.map(key).sort()).toEqual(live.map(key).sort());
    expect(stored.filter((a) => ids.includes(a.projectId)).map((a) => a.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`当前状态：${STATUS_LABELS.under_construction}`),
      ]),
    );
    await agreed(province);
  });
});

/**
 * Time passes too: the first read of a business day whose daily scan has not run (before 08:00, or
 * on a database never scanned) runs it, so the four counts agree from midnight on. Here the
 * scheduler is on, as in `npm start`, and nothing scans on demand.
 */
describe(`a new day's alerts without waiting for the 08:00 scan (${DIALECT})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // 00:30 on 2026-12-02 in Shanghai (16:30 UTC the day before): no scan has run today
    t = await createTestApp({
      env: { SCHEDULER_ENABLED: 'true' },
      now: '2026-12-01T16:30:00.000Z',
    });
  });
  afterAll(() => t.close());

  it('the first read of the day runs its scan: the counts agree before 08:00, and again the next night', async () => {
    const county = await t.as('infrastructure', 3, 'infra_night');
    expect(numbers(await agreed(county))).toEqual({
      overdue: 14,
      alerts: { red: 14, yellow: 0, blue: 0 },
      projects: { red: 14, yellow: 0, blue: 0 },
    });
    // due today: not late today, one day late tomorrow
    const due = (
      await county
        .post('/api/projects')
        .send({ name: '跨日逾期测试小学', regionId: 3, plannedCompletion: '2026-12-02' })
        .expect(201)
    ).body.id as number;
    expect(numbers(await agreed(county)).overdue).toBe(14);
    // 00:30 the next night, before that day's 08:00 scan
    const clock = t.app.get(Clock);
    const start = Date.now();
    clock.now = () => new Date(Date.parse('2026-12-02T16:30:00.000Z') + (Date.now() - start));
    // a new day's sign-in (yesterday's session has lapsed)
    const next = await agreed(t.withToken(await t.login('infra_night', 'User-Pass-123')));
    expect(numbers(next)).toEqual({
      overdue: 15,
      alerts: { red: 14, yellow: 0, blue: 1 },
      projects: { red: 14, yellow: 0, blue: 1 },
    });
    expect(next.items.find((a) => a.projectId === due)).toMatchObject({
      kind: 'project_overdue',
      severity: 'blue',
      daysOverdue: 1,
    });
  });
});
