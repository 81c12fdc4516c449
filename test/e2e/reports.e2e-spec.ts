import ExcelJS from 'exceljs';
import { JobsService } from '../../src/jobs/jobs.service';
import { createTestApp, regionIds, sumDecimals, TestApp, workbookAt } from '../support/app';

/** The value in column B of the first 汇总 row labelled `label`. */
function summaryValue(ws: ExcelJS.Worksheet, label: string, col = 2): unknown {
  let out: unknown;
  ws.eachRow((row) => {
    if (out === undefined && row.getCell(1).value === label) out = row.getCell(col).value;
  });
  return out;
}

// reading a cell back for comparison: the float is exceljs's, at the cell boundary
// eslint-disable-next-line no-restricted-syntax
const wan = (n: unknown) => (typeof n === 'number' ? n.toFixed(2) : String(n));

describe('monthly status report', () => {
  let t: TestApp;
  let ids: Record<string, number>;
  let liannan: number;
  let lechang: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    lechang = regions['乐昌市'];
    const items = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      planYear: number;
    }[];
    ids = Object.fromEntries(items.map((p) => [`${p.name}/${p.planYear}`, p.id]));
    const http = t.http();
    const report = (n: string, body: object) =>
      http.post(`/api/projects/${ids[n]}/progress`).send(body).expect(201);
    await report('三排镇横坑幼儿园/2021', {
      reportedOn: '2021-03-01',
      status: 'under_construction',
      progressPercent: 10,
    });
    await report('三排镇横坑幼儿园/2021', {
      reportedOn: '2024-09-05',
      status: 'completed',
      progressPercent: 100,
      actualCompletion: '2024-08-28',
      investmentCompletedWan: '1300.5',
    });
    await report('寨岗中学（初中）/2023', {
      reportedOn: '2024-03-01',
      status: 'under_construction',
      progressPercent: 30,
      investmentCompletedWan: '6000',
    });
    await report('寨岗中学（初中）/2023', {
      reportedOn: '2026-10-20',
      status: 'under_construction',
      progressPercent: 70,
      investmentCompletedWan: '14000.25',
    });
    const line = (n: string, body: object) =>
      http.post(`/api/projects/${ids[n]}/funding`).send(body).expect(201);
    await line('三排镇横坑幼儿园/2021', {
      source: 'county_budget',
      committedWan: '1234.57',
      committedOn: '2024-01-10',
      receivedWan: '1000.1',
      receivedOn: '2024-02-01',
    });
    await line('寨岗中学（初中）/2023', {
      source: 'special_bond',
      committedWan: '12000',
      committedOn: '2023-05-01',
      receivedWan: '9000',
      receivedOn: '2023-07-01',
    });
    await line('寨岗中学（初中）/2023', {
      source: 'central_budget',
      committedWan: '302.01',
      committedOn: '2026-11-01',
    });
    await http
      .post(`/api/projects/${ids['寨岗中学（初中）/2023']}/payments`)
      .send({ paidOn: '2025-06-30', payee: '某建设工程有限公司', amountWan: '8500.33' })
      .expect(201);
  });
  afterAll(() => t.close());

  it('has its sheets, in Chinese, laid out for print', async () => {
    const wb = await workbookAt(t.http(), '/api/reports/monthly?month=2026-10');
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '汇总',
      '项目明细',
      '项目联系人',
      '进度与资金',
      '逾期预警',
      '里程碑',
      '资金来源',
      '本月变动',
      '规划目标',
      '报送情况', // a report over several counties (here: everything)
    ]);
    const top: Record<string, number> = { 汇总: 2, 项目明细: 4, 进度与资金: 4 };
    for (const ws of wb.worksheets) {
      const n = top[ws.name] ?? 3;
      expect(ws.pageSetup).toMatchObject({
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        printTitlesRow: `1:${n}`,
      });
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: n });
    }
    const d = wb.getWorksheet('项目明细')!;
    expect(d.autoFilter).toBe('A4:O4');
    const heads = (ws: ExcelJS.Worksheet, r: number) =>
      (ws.getRow(r).values as unknown[]).slice(1).map((v) => String(v ?? '').replace(/\n/g, ''));
    expect(heads(d, 4).slice(4, 10)).toEqual([
      '小计',
      '幼儿园',
      '小学',
      '初中',
      '高中阶段',
      '特殊教育',
    ]);
    const p = wb.getWorksheet('进度与资金')!;
    expect(heads(p, 3)).toEqual([
      '序号',
      '地区',
      '学校名称',
      '状态',
      '形象进度',
      '累计完成投资（万元）',
      '资金（万元）',
      '资金（万元）',
      '资金（万元）',
      '资金（万元）',
      '资金（万元）',
      '实际竣工日期',
      '最近填报',
      '逾期天数',
    ]);
    expect(heads(p, 4).slice(6, 11)).toEqual([
      '资金测算',
      '已落实',
      '已到位',
      '已支付',
      '资金缺口',
    ]);
    expect(d.getColumn(14).numFmt).toBe('#,##0.00');
    expect(d.getColumn(5).numFmt).toBe('#,##0');
    expect(p.getColumn(5).numFmt).toBe('0%');
    expect(d.getColumn(4).width).toBeGreaterThanOrEqual(20);
  });

  it('totals equal the API’s roll-ups for the month end', async () => {
    const wb = await workbookAt(t.http(), '/api/reports/monthly?month=2026-10');
    const s = wb.getWorksheet('汇总')!;
    const api = (
      await t.http().get('/api/funding/summary?asOf=2026-10-31&groupBy=status').expect(200)
    ).body;
    const by = Object.fromEntries(api.groups.map((g: { key: string }) => [g.key, g]));
    expect(wan(summaryValue(s, '资金测算（概算）'))).toBe(api.total.budgetWan);
    expect(wan(summaryValue(s, '已落实资金'))).toBe(api.total.committedWan);
    expect(wan(summaryValue(s, '已到位资金'))).toBe(api.total.receivedWan);
    expect(wan(summaryValue(s, '已支付'))).toBe(api.total.paidWan);
    expect(wan(summaryValue(s, '资金缺口（全部项目）'))).toBe(api.total.gapWan);
    expect(wan(summaryValue(s, '其中：已竣工项目缺口'))).toBe(by.completed.gapWan);
    expect(wan(summaryValue(s, '其中：在建项目缺口'))).toBe(by.under_construction.gapWan);
    expect(wan(summaryValue(s, '已竣工及在建项目缺口合计'))).toBe(
      sumDecimals([by.completed.gapWan, by.under_construction.gapWan]),
    );
    expect([
      api.total.committedWan,
      api.total.gapWan,
      by.completed.gapWan,
      by.under_construction.gapWan,
    ]).toEqual(['13234.57', '49036.43', '95.43', '8240.00']);
    expect(summaryValue(s, '已竣工')).toBe(1);
    expect(summaryValue(s, '在建')).toBe(1);
    expect(summaryValue(s, '谋划储备')).toBe(12);
    expect(summaryValue(s, '合计')).toBe(14);
    expect(summaryValue(s, '幼儿园', 2)).toBe(1796);
    expect(summaryValue(s, '幼儿园', 3)).toBe(210);
    expect(wan(summaryValue(s, '累计完成投资'))).toBe('15300.75');
    // detail totals row: formulas with cached results equal to the same figures
    const d = wb.getWorksheet('项目明细')!;
    const total = d.getRow(19); // title, information, two header rows, 14 projects
    expect(total.getCell(4).value).toBe('合计');
    expect(total.getCell(14).value).toEqual({ formula: 'SUM(N5:N18)', result: 62271 });
    expect(total.getCell(5).value).toEqual({ formula: 'SUM(E5:E18)', result: 6936 });
    expect(total.getCell(13).value).toEqual({ formula: 'SUM(M5:M18)', result: 197.15 });
    const m = wb.getWorksheet('进度与资金')!.getRow(19);
    expect(m.getCell(3).value).toBe('合计');
    expect(m.getCell(7).value).toEqual({ formula: 'SUM(G5:G18)', result: 62271 });
    expect(m.getCell(8).value).toEqual({ formula: 'SUM(H5:H18)', result: 13234.57 });
    expect(m.getCell(11).value).toEqual({ formula: 'SUM(K5:K18)', result: 49036.43 });
    // rates beside the schedule: 开工率 2/14 by count
    expect(summaryValue(s, '开工率（已开工÷全部）')).toBeCloseTo(2 / 14, 6);
    expect(summaryValue(s, '资金支出率（已支付÷已到位）')).toBeCloseTo(8500.33 / 10000.1, 6);
  });

  it('shows each project as it stood, highlights overdue rows, keeps dates from shifting', async () => {
    const wb = await workbookAt(t.http(), '/api/reports/monthly?month=2026-10');
    const d = wb.getWorksheet('进度与资金')!;
    const rows: Record<string, ExcelJS.Row> = {};
    d.eachRow((r, n) => {
      if (n > 4) rows[String(r.getCell(3).value)] = r;
    });
    const sp = rows['三排镇横坑幼儿园'];
    expect(sp.getCell(4).value).toBe('已竣工');
    expect((sp.getCell(12).value as Date).toISOString()).toBe('2024-08-28T00:00:00.000Z');
    expect(sp.getCell(5).value).toBe(1);
    expect(sp.getCell(14).value).toBeNull();
    const zg = rows['寨岗中学（初中）'];
    expect([
      zg.getCell(4).value,
      zg.getCell(5).value,
      zg.getCell(6).value,
      zg.getCell(14).value,
    ]).toEqual(['在建', 0.7, 14000.25, 791]);
    let planned: unknown;
    wb.getWorksheet('项目明细')!.eachRow((r) => {
      if (r.getCell(4).value === '寨岗中学（初中）') planned = r.getCell(11).value;
    });
    expect(planned).toBe('2024年8月');
    expect((zg.getCell(1).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect((zg.getCell(14).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect((sp.getCell(1).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe(
      'FFFFC7CE',
    );
    const alerts = wb.getWorksheet('逾期预警')!;
    expect(alerts.getRow(3).values).toEqual([
      undefined,
      '序号',
      '预警等级',
      '预警类型',
      '项目名称',
      '里程碑',
      '逾期天数',
      '剩余天数',
      '责任人',
      '说明',
    ]);
    let listed = 0;
    alerts.eachRow((r, n) => {
      if (n > 3 && typeof r.getCell(1).value === 'number') listed++;
    });
    expect(listed).toBe(13); // then the legend: 图例：粉色底纹：红色预警, 图例：浅蓝底纹：表头
    expect(alerts.getRow(4).getCell(2).value).toBe('红色');
  });

  it('reproduces a past month from dated records', async () => {
    const wb = await workbookAt(t.http(), '/api/reports/monthly?month=2024-05');
    const s = wb.getWorksheet('汇总')!;
    // 截至日期 is stated once, on the information line (issue 29, point 5)
    expect(s.getRow(3).values).toEqual([
      undefined,
      '报表月份',
      '2024年5月',
      '生成时间',
      expect.stringMatching(/^2026-12-02 \d\d:\d\d$/),
    ]);
    expect(String(s.getCell('A2').value)).toContain('截至日期：2024-05-31');
    expect(summaryValue(s, '在建')).toBe(2);
    expect(summaryValue(s, '已竣工')).toBe(0);
    expect(wan(summaryValue(s, '已落实资金'))).toBe('13234.57');
    expect(wan(summaryValue(s, '已支付'))).toBe('0.00');
    const api = (await t.http().get('/api/funding/summary?asOf=2024-05-31').expect(200)).body;
    expect(wan(summaryValue(s, '资金缺口（全部项目）'))).toBe(api.total.gapWan);
    const d = wb.getWorksheet('进度与资金')!;
    let zg: ExcelJS.Row | undefined;
    d.eachRow((r) => {
      if (r.getCell(3).value === '寨岗中学（初中）') zg = r;
    });
    expect([zg!.getCell(5).value, zg!.getCell(6).value]).toEqual([0.3, 6000]);
  });

  it('lists the month’s changes from the audit log, and the plan targets', async () => {
    const month = new Date(t.now().getTime() + 8 * 3600_000).toISOString().slice(0, 7);
    const wb = await workbookAt(t.http(), `/api/reports/monthly?month=${month}`);
    const c = wb.getWorksheet('本月变动')!;
    expect(c.rowCount).toBeGreaterThan(8);
    // 录入更正: what was typed this month, from the audit log (录入时间|项目名称|操作人|操作|…)
    const texts: string[] = [];
    let typed = false;
    c.eachRow((r) => {
      if (r.getCell(1).value === '录入时间') typed = true;
      else if (typed)
        texts.push(`${r.getCell(3).value}|${r.getCell(4).value}|${r.getCell(2).value}`);
    });
    expect(texts).toContain('admin|新增资金|寨岗中学（初中）');
    expect(texts).toContain('admin|进度填报项目|三排镇横坑幼儿园');
    const p = wb.getWorksheet('规划目标')!;
    const targets: unknown[][] = [];
    p.eachRow((r, n) => {
      if (n > 3)
        targets.push([
          r.getCell(1).value,
          r.getCell(3).value,
          r.getCell(4).value,
          r.getCell(7).value,
          r.getCell(8).value,
        ]);
    });
    expect(targets).toContainEqual([
      '连南瑶族自治县教育发展“十四五”规划',
      '公办幼儿园学位',
      995,
      210,
      0,
    ]);
    expect(targets).toContainEqual([
      '连南瑶族自治县教育发展“十四五”规划',
      '公办小学学位',
      135,
      0,
      0,
    ]);
  });

  it('keeps to the caller’s region, and runs large reports as a job', async () => {
    const county = await t.as('viewer', lechang);
    const wb = await workbookAt(county, '/api/reports/monthly?month=2026-10');
    const detail = wb.getWorksheet('项目明细')!;
    expect(detail.getRow(5).getCell(4).value).toBe('合计'); // no project: the frame and an empty 合计
    // then a blank row and the legend (灰色底纹：合计行, 浅蓝底纹：表头), a blank row and the sign-off line
    expect(detail.rowCount).toBe(10);
    expect(wb.getWorksheet('汇总')!.getRow(1).getCell(1).value).toBe(
      '乐昌市 · 学校建设项目月度进展报表 · 2026年10月',
    );
    await county.get(`/api/reports/monthly?month=2026-10&regionId=${liannan}`).expect(404);
    const bad = await county.get('/api/reports/monthly?month=2026-13').expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'month', code: 'MONTH_INVALID' });
    await county.get('/api/reports/monthly?month=2099-01').expect(400);

    const job = await t
      .http()
      .get(`/api/reports/monthly?month=2026-10&regionId=${liannan}&async=true`)
      .expect(202);
    expect(job.body).toMatchObject({
      jobId: expect.any(String),
      statusUrl: `/api/jobs/${job.body.jobId}`,
    });
    await t.app.get(JobsService).settle();
    const status = (await t.http().get(job.body.statusUrl).expect(200)).body;
    expect(status).toMatchObject({
      kind: 'monthly_report',
      status: 'done',
      percent: 100,
      resultUrl: `/api/jobs/${job.body.jobId}/result`,
    });
    const file = await workbookAt(t.http(), status.resultUrl);
    expect(file.worksheets).toHaveLength(9);
    await county.get(status.resultUrl).expect(404);
  });
});
