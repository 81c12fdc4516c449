import ExcelJS from 'exceljs';
import { wanTextToFen, fenToWan } from '../../src/common/money';
import { bulkInsert } from '../../src/database/bulk';
import { FundingLine, Payment } from '../../src/funding/funding.entities';
import { Project } from '../../src/projects/project.entity';
import { binary, createTestApp, regionIds, TestApp } from '../support/app';

/** Issue "Hostile input", item 5: amounts have a maximum, and every roll-up of the maximum data is exact. */
describe('money never overflows', () => {
  let t: TestApp;
  let lechang: number;
  let shaoguan: number;
  const MAX = '100000000';
  const PROJECTS = 100;
  const LINES = 1_000;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    lechang = regions['乐昌市'];
    shaoguan = regions['韶关市'];
  });
  afterAll(() => t.close());

  const counts = async () => ({
    projects: await t.db.read.getRepository(Project).count(),
    lines: await t.db.read.getRepository(FundingLine).count(),
    payments: await t.db.read.getRepository(Payment).count(),
  });

  it('refuses an amount over 100,000,000 万元, a count over 1,000,000, naming each field; writes nothing', async () => {
    const before = await counts();
    const project = (await t.http().get(`/api/projects?pageSize=1`).expect(200)).body.items[0];
    const create = await t
      .http()
      .post('/api/projects')
      .send({
        name: '超大项目',
        regionId: lechang,
        budgetWan: '5000000000',
        floorAreaM2: '100000000.01',
        seats: { primary: 1_000_001 },
      })
      .expect(400);
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect([...create.body.errors].sort(byPath)).toEqual([
      { path: 'budgetWan', code: 'AMOUNT_TOO_LARGE', message: '金额不能超过100000000万元' },
      { path: 'floorAreaM2', code: 'VALUE_TOO_LARGE', message: '数值不能超过100000000' },
      { path: 'seats.primary', code: 'COUNT_TOO_LARGE', message: '数量不能超过1000000' },
    ]);
    const line = await t
      .http()
      .post(`/api/projects/${project.id}/funding`)
      .send({
        source: 'county_budget',
        committedWan: '9007199254.740991',
        committedOn: '2025-01-01',
      })
      .expect(400);
    expect(line.body.errors).toEqual([
      { path: 'committedWan', code: 'AMOUNT_TOO_LARGE', message: '金额不能超过100000000万元' },
    ]);
    const pay = await t
      .http()
      .post(`/api/projects/${project.id}/payments`)
      .send({ paidOn: '2025-01-01', payee: '某建设公司', amountWan: '100000000.000001' })
      .expect(400);
    expect(pay.body.errors[0]).toMatchObject({ path: 'amountWan', code: 'AMOUNT_TOO_LARGE' });
    expect(await counts()).toEqual(before);
    // exactly the maximum is accepted
    const ok = await t
      .http()
      .post(`/api/projects/${project.id}/funding`)
      .send({ source: 'county_budget', committedWan: MAX, committedOn: '2025-01-01' })
      .expect(201);
    expect(ok.body.committedWan).toBe('100000000.00');
  });

  it('the maximum amounts on the maximum lines: every roll-up exact, on county, city and province', async () => {
    const asOf = '2026-06-30';
    const baseline = {
      province: (await t.http().get(`/api/funding/summary?asOf=${asOf}`).expect(200)).body.total,
      city: (
        await t.http().get(`/api/funding/summary?asOf=${asOf}&regionId=${shaoguan}`).expect(200)
      ).body.total,
    };
    const ids: number[] = [];
    for (let i = 0; i < PROJECTS; i++) {
      const r = await t
        .http()
        .post('/api/projects')
        .send({
          name: `上限项目${i}`,
          regionId: lechang,
          planYear: 2025,
          budgetWan: MAX,
          seats: { primary: 1_000_000 },
        })
        .expect(201);
      ids.push(r.body.id);
    }
    const now = new Date().toISOString();
    const maxFen = 100_000_000n * 1_000_000n;
    await t.db.transaction(async (em) => {
      for (const id of ids) {
        await bulkInsert(
          em,
          'funding_line',
          [
            'project_id',
            'source',
            'committed_fen',
            'committed_on',
            'received_fen',
            'received_on',
            'version',
            'created_at',
            'updated_at',
          ],
          Array.from({ length: LINES }, () => [
            id,
            'special_bond',
            Number(maxFen),
            '2025-03-01',
            Number(maxFen),
            '2025-04-01',
            1,
            now,
            now,
          ]),
        );
        await bulkInsert(
          em,
          'payment',
          ['project_id', 'paid_on', 'payee', 'amount_fen', 'version', 'created_at', 'updated_at'],
          Array.from({ length: LINES }, () => [
            id,
            '2025-05-01',
            '某建设公司',
            Number(maxFen),
            1,
            now,
            now,
          ]),
        );
      }
    });
    // the 1,001st line and payment are refused
    const more = await t
      .http()
      .post(`/api/projects/${ids[0]}/funding`)
      .send({ source: 'county_budget', committedWan: '1', committedOn: '2025-01-01' })
      .expect(400);
    expect(more.body.errors).toEqual([
      {
        path: 'committedWan',
        code: 'TOO_MANY_LINES',
        message: '一个项目的资金来源或支付记录不能超过1000条',
      },
    ]);
    await t
      .http()
      .post(`/api/projects/${ids[0]}/payments`)
      .send({ paidOn: '2025-01-01', payee: '某', amountWan: '1' })
      .expect(400);

    const perProject = BigInt(LINES) * maxFen; // 10^17 fen
    const county = {
      projects: PROJECTS,
      projectsWithoutBudget: 0,
      budgetWan: fenToWan(BigInt(PROJECTS) * maxFen),
      committedWan: fenToWan(BigInt(PROJECTS) * perProject),
      receivedWan: fenToWan(BigInt(PROJECTS) * perProject),
      paidWan: fenToWan(BigInt(PROJECTS) * perProject),
      gapWan: '0.00',
      surplusWan: fenToWan(BigInt(PROJECTS) * (perProject - maxFen)),
    };
    expect(county).toMatchObject({
      committedWan: '10000000000000.00',
      surplusWan: '9990000000000.00',
    });
    for (const groupBy of ['status', 'region', 'planYear', 'source']) {
      const r = await t
        .http()
        .get(`/api/funding/summary?asOf=${asOf}&regionId=${lechang}&groupBy=${groupBy}`)
        .expect(200);
      expect(r.body.total).toEqual(county);
      if (groupBy === 'source')
        expect(r.body.groups).toEqual([
          expect.objectContaining({
            key: 'special_bond',
            committedWan: county.committedWan,
            receivedWan: county.receivedWan,
          }),
        ]);
    }
    const plus = (
      a: Record<string, string | number | null>,
      b: Record<string, string | number | null>,
    ) =>
      Object.fromEntries(
        Object.keys(b).map((k) => [
          k,
          k === 'projects' || k === 'projectsWithoutBudget'
            ? Number(a[k]) + Number(b[k])
            : fenToWan(wanTextToFen(String(a[k] ?? '0')) + wanTextToFen(String(b[k]))),
        ]),
      );
    for (const groupBy of ['status', 'region', 'source']) {
      const city = await t
        .http()
        .get(`/api/funding/summary?asOf=${asOf}&regionId=${shaoguan}&groupBy=${groupBy}`)
        .expect(200);
      expect(city.body.total).toEqual(plus(baseline.city, county));
      const province = await t
        .http()
        .get(`/api/funding/summary?asOf=${asOf}&groupBy=${groupBy}`)
        .expect(200);
      expect(province.body.total).toEqual(plus(baseline.province, county));
    }
    // the project view, the list, the alerts, the plans and the monthly report read the same data
    const view = await t.http().get(`/api/projects/${ids[0]}?asOf=${asOf}`).expect(200);
    expect(view.body.budgetWan).toBe('100000000.00');
    const list = await t.http().get(`/api/projects?regionId=${lechang}&pageSize=200`).expect(200);
    expect(list.body.total).toBe(PROJECTS);
    const infra = await t.as('infrastructure', lechang);
    await infra.post(`/api/alerts/scan?asOf=${asOf}`).expect(200);
    const alerts = await t.http().get(`/api/alerts?regionId=${lechang}&asOf=${asOf}`).expect(200);
    expect(alerts.body.items.some((a: { kind: string }) => a.kind === 'funding_gap')).toBe(false);
    const plans = (await t.http().get('/api/plans').expect(200)).body;
    for (const p of plans.items ?? plans)
      await t.http().get(`/api/plans/${p.id}/progress?asOf=${asOf}`).expect(200);
    const report = await t
      .http()
      .get(`/api/reports/monthly?month=2026-06&regionId=${lechang}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.body as never);
    const cells: number[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((c) => {
          const v = c.value as number | { result?: number } | null;
          const n =
            typeof v === 'number'
              ? v
              : typeof v === 'object' && v && typeof v.result === 'number'
                ? v.result
                : null;
          if (n !== null) cells.push(n);
        }),
      ),
    );
    // 10^13 万元 committed, received and paid: the totals row shows them (a float at the cell, exact at this size)
    expect(cells.filter((n) => n === 1e13).length).toBeGreaterThanOrEqual(3);
  });
});
