import ExcelJS from 'exceljs';
import { fenToWan, wanTextToFen } from '../../src/common/money';
import { binary, createTestApp, regionIds, TestApp } from '../support/app';

/** Issue "Sessions, scope gaps and the answers staff get", item 9: unknown is not zero for money. */
describe('a project without an estimate is 未测算, not 0', () => {
  let t: TestApp;
  let liannan: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
  });
  afterAll(() => t.close());

  it('created without budgetWan by infrastructure (the README example): budgetWan null, counted apart in every roll-up', async () => {
    const before = (
      await t.http().get(`/api/funding/summary?regionId=${liannan}&asOf=2026-11-23`).expect(200)
    ).body.total;
    const infra = await t.as('infrastructure', liannan);
    // the README's example, for the role it names
    const p = (
      await infra
        .post('/api/projects')
        .send({
          name: '测试镇中心小学（新建）',
          regionId: liannan,
          planYear: 2026,
          seats: { primary: 540 },
          floorAreaM2: '12345.67',
          landMu: '0',
          plannedCompletion: '2027-08',
        })
        .expect(201)
    ).body;
    expect(p).toMatchObject({
      budgetWan: null,
      gapWan: null,
      surplusWan: null,
      committedWan: '0.00',
    });
    const line = await t
      .http()
      .post(`/api/projects/${p.id}/funding`)
      .send({ source: 'county_budget', committedWan: '300', committedOn: '2025-01-01' })
      .expect(201);
    expect(line.body.warnings).toEqual([]);
    const after = (
      await t.http().get(`/api/funding/summary?regionId=${liannan}&asOf=2026-11-23`).expect(200)
    ).body.total;
    expect(after).toEqual({
      ...before,
      projects: before.projects + 1,
      projectsWithoutBudget: before.projectsWithoutBudget + 1,
      committedWan: fenToWan(wanTextToFen(before.committedWan) + 300_000_000n),
      // neither a 0 budget nor a surplus of 300: the project is left out of budget, gap and surplus
      budgetWan: before.budgetWan,
      gapWan: before.gapWan,
      surplusWan: before.surplusWan,
    });
    // no funding_gap alert for a project whose estimate is unknown
    await t.http().post('/api/alerts/scan?asOf=2026-11-23').expect(200);
    const alerts = (await t.http().get(`/api/alerts?regionId=${liannan}&pageSize=200`).expect(200))
      .body.items;
    expect(
      alerts.filter(
        (a: { projectId: number; kind: string }) =>
          a.projectId === p.id && a.kind === 'funding_gap',
      ),
    ).toEqual([]);
    // the report: the cell blank, the count stated
    const report = await t
      .http()
      .get(`/api/reports/monthly?month=2026-11&regionId=${liannan}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.body as never);
    const texts: string[] = [];
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain(
      `未测算资金的项目（不计入资金测算和缺口）：${after.projectsWithoutBudget}个`,
    );
    const detail = wb.getWorksheet('项目明细')!;
    let budgetCol = 0;
    detail.getRow(3).eachCell((c, col) => {
      if (String(c.value).startsWith('资金测算')) budgetCol = col;
    });
    let found = false;
    detail.eachRow((row) => {
      if (
        row.getCell(4).value === '测试镇中心小学（新建）' ||
        Object.values(row.values as unknown[]).includes('测试镇中心小学（新建）')
      ) {
        found = true;
        expect(row.getCell(budgetCol).value).toBeNull();
      }
    });
    expect(found).toBe(true);
    // finance sets the estimate later: from then on it counts
    const finance = await t.as('finance', liannan);
    await finance
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, budgetWan: '1000' })
      .expect(200);
    const later = (await t.http().get(`/api/projects/${p.id}`).expect(200)).body;
    expect(later).toMatchObject({ budgetWan: '1000.00', gapWan: '700.00' });
  });

  it('a plan table with a blank 资金测算 imports 未测算', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow(['年度', '学校名称', '小学', '资金测算（万元）']);
    ws.addRow([2026, '空白测算小学', 540, null]);
    const r = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', Buffer.from(await wb.xlsx.writeBuffer()), 'plan.xlsx')
      .field('regionId', String(liannan))
      .expect(201);
    const p = (await t.http().get(`/api/projects/${r.body.rows[0].projectId}`).expect(200)).body;
    expect(p.budgetWan).toBeNull();
  });
});
