import { JobsService } from '../../src/jobs/jobs.service';
import { binary, createTestApp, regionIds, TestApp } from '../support/app';

/** Region scope at its edges (a job, a project that moves region, another region's plan) and an archived project. */
describe('region scope at its edges, and an archived project is read-only', () => {
  let t: TestApp;
  let liannan: number;
  let lechang: number;
  let qingyuan: number;

  beforeAll(async () => {
    t = await createTestApp({ env: { REPORT_SYNC_MAX_PROJECTS: '0' } });
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    lechang = regions['乐昌市'];
    qingyuan = regions['清远市'];
  });
  afterAll(() => t.close());

  /** The body and status of a request for a missing id of the same route, to compare with. */
  const same = async (
    r: { status: number; body: unknown },
    missing: { status: number; body: unknown },
  ) => {
    expect(r.status).toBe(404);
    expect(r.body).toEqual(missing.body);
  };

  it('a job is visible only inside its creator region scope: another county admin gets the 404 of a missing id', async () => {
    const adminA = await t.as('admin', liannan);
    const adminB = await t.as('admin', lechang);
    const cityAdmin = await t.as('admin', qingyuan);
    const start = await adminA
      .get(`/api/reports/monthly?month=2026-10&regionId=${liannan}`)
      .expect(202);
    await t.app.get(JobsService).settle();
    await adminA.get(start.body.statusUrl).expect(200);
    await cityAdmin.get(start.body.statusUrl).expect(200); // 清远市 holds 连南
    await t.http().get(start.body.statusUrl).expect(200); // the province admin
    const missing = await adminB.get('/api/jobs/00000000-0000-4000-8000-000000000000');
    await same(await adminB.get(start.body.statusUrl), missing);
    await same(
      await adminB.get(`${start.body.statusUrl}/result`),
      await adminB.get('/api/jobs/00000000-0000-4000-8000-000000000000/result'),
    );
    const file = await adminA
      .get(`${start.body.statusUrl}/result`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((file.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });

  it('alerts follow their project when it moves region: read and acknowledged by the new region only', async () => {
    const p = (
      await t
        .http()
        .post('/api/projects')
        .send({ name: '迁移测试小学', regionId: liannan, plannedCompletion: '2020-01' })
        .expect(201)
    ).body;
    await t.http().post('/api/alerts/scan?asOf=2026-11-23').expect(200);
    const alert = (
      await t.http().get(`/api/alerts?regionId=${liannan}&pageSize=200`).expect(200)
    ).body.items.find(
      (a: { projectId: number; kind: string }) =>
        a.projectId === p.id && a.kind === 'project_overdue',
    );
    expect(alert).toMatchObject({ regionId: liannan, state: 'open' });
    await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, regionId: lechang })
      .expect(200);
    const oldRegion = await t.as('infrastructure', liannan);
    const newRegion = await t.as('infrastructure', lechang);
    expect(
      (await oldRegion.get('/api/alerts?pageSize=200').expect(200)).body.items.map(
        (a: { id: number }) => a.id,
      ),
    ).not.toContain(alert.id);
    const moved = (await newRegion.get('/api/alerts?pageSize=200').expect(200)).body.items.find(
      (a: { id: number }) => a.id === alert.id,
    );
    expect(moved).toMatchObject({ regionId: lechang, projectId: p.id });
    const missing = await oldRegion.post('/api/alerts/999999/ack').send({ note: '已知悉' });
    await same(
      await oldRegion.post(`/api/alerts/${alert.id}/ack`).send({ note: '已知悉' }),
      missing,
    );
    // the new region scans without a conflict, and acknowledges
    await newRegion.post('/api/alerts/scan?asOf=2026-11-24').expect(200);
    await newRegion.post(`/api/alerts/${alert.id}/ack`).send({ note: '已知悉' }).expect(200);
    const again = await newRegion
      .post(`/api/alerts/${alert.id}/ack`)
      .send({ note: '已知悉' })
      .expect(400);
    expect(again.body.errors[0].message).toBe('只能确认尚未确认的预警：当前为“已确认”');
  });

  it('a project cannot point at another region’s plan: refused like a missing plan', async () => {
    const lechangPlan = (
      await t
        .http()
        .post('/api/plans')
        .send({ name: '乐昌规划', regionId: lechang, periodStart: 2026, periodEnd: 2030 })
        .expect(201)
    ).body;
    const cityPlan = (
      await t
        .http()
        .post('/api/plans')
        .send({ name: '清远市规划', regionId: qingyuan, periodStart: 2026, periodEnd: 2030 })
        .expect(201)
    ).body;
    const missing = await t
      .http()
      .post('/api/projects')
      .send({ name: '规划测试', regionId: liannan, planId: 999_999 })
      .expect(400);
    const other = await t
      .http()
      .post('/api/projects')
      .send({ name: '规划测试', regionId: liannan, planId: lechangPlan.id })
      .expect(400);
    expect(other.body).toEqual(missing.body);
    // its own county's plan or its city's plan are fine
    const p = (
      await t
        .http()
        .post('/api/projects')
        .send({ name: '规划测试', regionId: liannan, planId: cityPlan.id })
        .expect(201)
    ).body;
    const patch = await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, planId: lechangPlan.id })
      .expect(400);
    expect(patch.body).toEqual(missing.body);
    // a county user cannot read the other county's plan either
    const reader = await t.as('viewer', liannan);
    await same(
      await reader.get(`/api/plans/${lechangPlan.id}`),
      await reader.get('/api/plans/999999'),
    );
    await same(
      await reader.get(`/api/plans/${lechangPlan.id}/progress`),
      await reader.get('/api/plans/999999/progress'),
    );
  });

  it('an archived project is read-only: milestones, funding lines, payments and budget revisions refused', async () => {
    const p = (
      await t
        .http()
        .post('/api/projects')
        .send({ name: '归档只读测试', regionId: liannan, budgetWan: '100' })
        .expect(201)
    ).body;
    const m = (await t.http().get(`/api/projects/${p.id}/milestones`).expect(200)).body.items[0];
    const line = (
      await t
        .http()
        .post(`/api/projects/${p.id}/funding`)
        .send({ source: 'county_budget', committedWan: '50', committedOn: '2025-01-01' })
        .expect(201)
    ).body;
    const pay = (
      await t
        .http()
        .post(`/api/projects/${p.id}/payments`)
        .send({ paidOn: '2025-02-01', payee: '施工单位', amountWan: '10' })
        .expect(201)
    ).body;
    await t
      .http()
      .post(`/api/projects/${p.id}/archive`)
      .send({ version: p.version, reason: '项目取消' })
      .expect(201);
    const before = JSON.stringify(
      await t.db.read
        .query(`SELECT (SELECT COUNT(*) FROM milestone WHERE project_id = ${p.id}) AS m, (SELECT COUNT(*) FROM funding_line WHERE project_id = ${p.id}) AS f,
      (SELECT COUNT(*) FROM payment WHERE project_id = ${p.id}) AS pa, (SELECT COUNT(*) FROM budget_revision WHERE project_id = ${p.id}) AS b, (SELECT COUNT(*) FROM audit_log) AS a`),
    );
    const writes = [
      t.http().post(`/api/projects/${p.id}/milestones`).send({ key: 'extra', name: '额外' }),
      t
        .http()
        .patch(`/api/projects/${p.id}/milestones/${m.id}`)
        .send({ version: m.version, owner: '张三' }),
      t
        .http()
        .post(`/api/projects/${p.id}/funding`)
        .send({ source: 'special_bond', committedWan: '1', committedOn: '2025-03-01' }),
      t
        .http()
        .patch(`/api/projects/${p.id}/funding/${line.id}`)
        .send({ version: line.version, receivedWan: '5', receivedOn: '2025-03-02' }),
      t.http().delete(`/api/projects/${p.id}/funding/${line.id}`).send({ version: line.version }),
      t
        .http()
        .post(`/api/projects/${p.id}/payments`)
        .send({ paidOn: '2025-04-01', payee: '监理单位', amountWan: '1' }),
      t
        .http()
        .patch(`/api/projects/${p.id}/payments/${pay.id}`)
        .send({ version: pay.version, amountWan: '11' }),
      t.http().delete(`/api/projects/${p.id}/payments/${pay.id}`).send({ version: pay.version }),
      t
        .http()
        .post(`/api/projects/${p.id}/budget-revisions`)
        .send({ effectiveOn: '2025-05-01', budgetWan: '130', reason: '调整' }),
    ];
    for (const w of writes) {
      const r = await w;
      expect([r.status, r.body.code]).toEqual([400, 'PROJECT_ARCHIVED']);
    }
    expect(
      JSON.stringify(
        await t.db.read
          .query(`SELECT (SELECT COUNT(*) FROM milestone WHERE project_id = ${p.id}) AS m, (SELECT COUNT(*) FROM funding_line WHERE project_id = ${p.id}) AS f,
      (SELECT COUNT(*) FROM payment WHERE project_id = ${p.id}) AS pa, (SELECT COUNT(*) FROM budget_revision WHERE project_id = ${p.id}) AS b, (SELECT COUNT(*) FROM audit_log) AS a`),
      ),
    ).toBe(before);
    // reads still work
    await t.http().get(`/api/projects/${p.id}/funding`).expect(200);
  });
});
