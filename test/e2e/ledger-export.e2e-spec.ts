import type ExcelJS from 'exceljs';
import { STATUS_LABELS } from '../../src/common/vocabulary';
import { createTestApp, downloadXlsx, regionIds, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

interface Listed {
  name: string;
  regionId: number;
  planYear: number | null;
  status: string;
  budgetWan: string | null;
  seats: Record<string, number>;
}

/** A cell's shown value: a formula's cached result, a header's text without its line break. */
function shown(c: ExcelJS.Cell): unknown {
  const v = c.value as unknown;
  if (v && typeof v === 'object' && 'formula' in v)
    return (v as unknown as { result?: unknown }).result ?? 0; // exceljs writes no cached 0
  return typeof v === 'string' ? v.replace(/\n/g, '') : v;
}
const rowValues = (ws: ExcelJS.Worksheet, n: number, width: number) =>
  Array.from({ length: width }, (_, i) => shown(ws.getRow(n).getCell(i + 1)));

/** Issue 38, point 4: 项目台账's 导出 writes the ledger as the officer sees it. */
describe(`导出 of 项目台账 (${DIALECT})`, () => {
  let t: TestApp;
  let liannan: number;

  beforeAll(async () => {
    t = await createTestApp();
    liannan = (await regionIds(t))['连南瑶族自治县'];
  });
  afterAll(() => t.close());

  const listed = async (filters: string): Promise<Listed[]> =>
    (await t.http().get(`/api/projects?${filters}&sort=id&pageSize=200`).expect(200)).body
      .items as Listed[];

  it('the chosen columns in their order, the filters, 合计 equal to /api/projects/totals', async () => {
    const filters = `regionId=${liannan}&sort=id`;
    const { wb, name } = await downloadXlsx(
      t.http(),
      `/api/projects/ledger.xlsx?${filters}&columns=name,budget,status,planYear`,
    );
    expect(name).toBe('项目台账-连南瑶族自治县-2026-12-02.xlsx');
    const ws = wb.getWorksheet('项目台账')!;
    expect(shown(ws.getCell('A1'))).toBe('连南瑶族自治县 · 学校建设项目台账');
    expect(shown(ws.getCell('A2'))).toBe(
      '截至日期：2026-12-02\u3000\u3000筛选条件：区县：连南瑶族自治县\u3000\u3000单位：万元',
    );
    // one header row (no seat columns), in the order asked for, 序号 first
    expect(rowValues(ws, 3, 6)).toEqual([
      '序号',
      '项目名称',
      '资金测算（万元）',
      '状态',
      '年度',
      null,
    ]);
    const projects = await listed(`regionId=${liannan}`);
    const totals = (await t.http().get(`/api/projects/totals?regionId=${liannan}`).expect(200))
      .body as { count: number; budgetWan: string; budgetUnknown: number };
    expect(projects.length).toBe(totals.count);
    projects.forEach((p, i) => {
      expect(rowValues(ws, 4 + i, 5)).toEqual([
        i + 1,
        p.name,
        p.budgetWan === null ? '未测算' : Number(p.budgetWan),
        STATUS_LABELS[p.status as keyof typeof STATUS_LABELS],
        p.planYear,
      ]);
    });
    const sum = ws.getRow(4 + projects.length);
    expect(shown(sum.getCell(1))).toBe('合计');
    expect(shown(sum.getCell(2))).toBe(`共 ${totals.count} 个项目`);
    expect(sum.getCell(3).value).toEqual({
      formula: `SUM(C4:C${3 + projects.length})`,
      result: Number(totals.budgetWan),
    });
    expect(totals.budgetWan).toBe('62271.00');
    expect(ws.getColumn(3).numFmt).toBe('#,##0.00');
    // print-ready: A4 landscape, fitted to the width, title and header repeated on every page
    expect(ws.pageSetup).toMatchObject({
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:3',
    });
  });

  it('the screen’s default columns (学位 under one heading) and a status filter: only the matching rows', async () => {
    const { wb } = await downloadXlsx(
      t.http(),
      `/api/projects/ledger.xlsx?regionId=${liannan}&status=planned&planYear=2025`,
    );
    const ws = wb.worksheets[0];
    expect(shown(ws.getCell('A2'))).toContain(
      '筛选条件：区县：连南瑶族自治县；年度：2025年；状态：谋划储备',
    );
    expect(rowValues(ws, 3, 17)).toEqual([
      '序号',
      '年度',
      '项目名称',
      '区县',
      '计划新增学位数（个）',
      '计划新增学位数（个）',
      '计划新增学位数（个）',
      '计划新增学位数（个）',
      '计划新增学位数（个）',
      '建筑面积（㎡）',
      '用地（亩）',
      '资金测算（万元）',
      '计划完成',
      '状态',
      '形象进度',
      '预警',
      null,
    ]);
    expect(rowValues(ws, 4, 9).slice(4)).toEqual([
      '幼儿园',
      '小学',
      '初中',
      '高中阶段',
      '特殊教育',
    ]);
    const projects = await listed(`regionId=${liannan}&status=planned&planYear=2025`);
    const totals = (
      await t.http().get(`/api/projects/totals?regionId=${liannan}&status=planned&planYear=2025`)
    ).body as { count: number; seats: Record<string, number>; budgetWan: string };
    expect(projects.length).toBe(totals.count);
    expect(projects.length).toBeGreaterThan(0);
    const names = projects.map((_, i) => shown(ws.getRow(5 + i).getCell(3)));
    expect(names).toEqual(projects.map((p) => p.name));
    const sum = ws.getRow(5 + projects.length);
    expect(rowValues(sum.worksheet, sum.number, 9)).toEqual([
      '合计',
      null,
      `共 ${totals.count} 个项目`,
      null,
      // a stage with no seats at all is blank, as on screen
      ...['kindergarten', 'primary', 'juniorMiddle', 'seniorSecondary', 'specialEducation'].map(
        (s) => totals.seats[s] || null,
      ),
    ]);
    expect(shown(sum.getCell(12))).toBe(Number(totals.budgetWan));
    expect(ws.pageSetup.printTitlesRow).toBe('1:4');
  });

  it('leaves blank seats blank (rows and 合计), names the province’s 教育厅 and the region in the file name', async () => {
    const lechang = (await regionIds(t))['乐昌市'];
    await t
      .http()
      .post('/api/projects')
      .send({
        name: '导出空白学位测试小学',
        regionId: lechang,
        planYear: 2026,
        seats: { primary: 360 },
        plannedCompletion: '2027-08',
      })
      .expect(201);
    // the admin, no region chosen: the ledger of 广东省
    const { wb, name } = await downloadXlsx(
      t.http(),
      `/api/projects/ledger.xlsx?q=${encodeURIComponent('导出空白学位测试')}&columns=name,seats`,
    );
    expect(name).toBe('项目台账-广东省-2026-12-02.xlsx');
    const ws = wb.getWorksheet('项目台账')!;
    expect(shown(ws.getCell('A1'))).toBe('广东省 · 学校建设项目台账');
    expect(ws.headerFooter.oddHeader).toContain('填报单位：广东省教育厅');
    // the unit line names the units of the columns written, and only those
    expect(shown(ws.getCell('A2'))).toMatch(/\u3000\u3000单位：个$/);
    // 序号, 项目名称, 幼儿园, 小学, 初中, 高中阶段, 特殊教育
    expect(rowValues(ws, 5, 7)).toEqual([1, '导出空白学位测试小学', null, 360, null, null, null]);
    expect(rowValues(ws, 6, 7)).toEqual(['合计', '共 1 个项目', null, 360, null, null, null]);
    // a county's ledger: its 教育局, and its name in the file name
    const county = await downloadXlsx(
      t.http(),
      `/api/projects/ledger.xlsx?regionId=${lechang}&columns=name`,
    );
    expect(county.name).toBe('项目台账-乐昌市-2026-12-02.xlsx');
    expect(county.wb.worksheets[0].headerFooter.oddHeader).toContain('填报单位：乐昌市教育局');
    expect(shown(county.wb.worksheets[0].getCell('A2'))).not.toContain('单位：');
  });

  it('refuses a column the ledger does not have', async () => {
    const r = await t.http().get('/api/projects/ledger.xlsx?columns=name,bogus').expect(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
  });
});
