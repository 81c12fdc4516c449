import ExcelJS from 'exceljs';
import * as path from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { fieldLabel } from '../../src/common/vocabulary';
import { createTestApp, TestApp, workbookAt } from '../support/app';

const fixture = path.join(__dirname, '..', 'fixtures', 'import', 'ok', 'liannan-reference.xlsx');

/** 本月变动's 录入更正 rows as 录入时间-less "操作人|操作|项目名称|变更内容" lines. */
function typedRows(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  let typed = false;
  ws.eachRow((r) => {
    if (r.getCell(1).value === '录入时间') typed = true;
    else if (typed)
      out.push(
        [2, 3, 4, 5]
          .map((c) => String(r.getCell(c).value ?? ''))
          .join('|')
          .replace(/^([^|]*)\|([^|]*)\|([^|]*)\|/, '$2|$3|$1|'),
      );
  });
  return out;
}

/**
 * 本月变动 is the month's business in words (issue 29, point 4): the month the reference data was
 * loaded in, with a progress report, a budget revision, a funding line, a region move and an import.
 */
describe('本月变动 in words', () => {
  let t: TestApp;
  let month: string;
  let sheet: ExcelJS.Worksheet;
  let cells: string[];
  const ids: Record<string, number> = {};
  let regions: { id: number; name: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    const http = t.http();
    regions = (await http.get('/api/regions').expect(200)).body;
    const regionId = (n: string) => regions.find((r) => r.name === n)!.id;
    const first = await t.db.read
      .getRepository(AuditLog)
      .findOne({ where: { action: 'seed', entity: 'project' }, order: { id: 'ASC' } });
    month = new Date(new Date(first!.at).getTime() + 8 * 3600_000).toISOString().slice(0, 7);
    const items = (await http.get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      planYear: number;
    }[];
    for (const p of items) ids[`${p.name}/${p.planYear}`] = p.id;
    const today = new Date(t.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

    const kid = ids['三排镇横坑幼儿园/2021'];
    await http
      .post(`/api/projects/${kid}/progress`)
      .send({
        reportedOn: today,
        status: 'under_construction',
        progressPercent: 35,
        investmentCompletedWan: '400.5',
      })
      .expect(201);
    await http
      .post(`/api/projects/${kid}/budget-revisions`)
      .send({ effectiveOn: today, budgetWan: '20500.125', reason: '增加运动场' })
      .expect(201);
    await http
      .post(`/api/projects/${kid}/funding`)
      .send({ source: 'county_budget', committedWan: '1234.567', committedOn: today })
      .expect(201);
    const moved = ids['寨岗中学（初中）/2023'];
    const v = (await http.get(`/api/projects/${moved}`).expect(200)).body.version as number;
    await http
      .patch(`/api/projects/${moved}`)
      .send({ version: v, regionId: regionId('乐昌市'), planId: null })
      .expect((r) => {
        if (r.status !== 200) throw new Error(JSON.stringify(r.body));
      });
    // an import: 14 new projects, then the same table with two figures changed
    await http
      .post('/api/imports/projects')
      .attach('file', fixture)
      .field('regionId', String(regionId('源城区')))
      .expect(201);
    const changed = new ExcelJS.Workbook();
    await changed.xlsx.readFile(fixture);
    changed.worksheets[0].getCell('K4').value = 1400.5;
    changed.worksheets[0].getCell('H5').value = '2021年9月';
    await http
      .post('/api/imports/projects')
      .attach('file', Buffer.from(await changed.xlsx.writeBuffer()), '修订.xlsx')
      .field('regionId', String(regionId('源城区')))
      .expect(201);

    const wb = await workbookAt(http, `/api/reports/monthly?month=${month}`);
    sheet = wb.getWorksheet('本月变动')!;
    cells = [];
    sheet.eachRow((r) =>
      r.eachCell((c) => {
        if (c.value !== null && c.value !== undefined && c.value !== '')
          cells.push(String(c.value));
      }),
    );
  });
  afterAll(() => t.close());

  it('prints no identifier, no "system" and no region id', () => {
    expect(cells.length).toBeGreaterThan(10);
    // known safe Latin text: a person's username (users have no other name) and a workbook's
    // file name (an import's 原因 names the file it came from)
    const safe = (c: string) =>
      c.replace(/\badmin\b/g, '').replace(/[\w.\-\u4e00-\u9fff]+\.xlsx/g, '');
    expect(cells.filter((c) => /[A-Za-z]{3,}/.test(safe(c)))).toEqual([]);
    expect(cells.filter((c) => /system/i.test(c))).toEqual([]);
    expect(cells.filter((c) => /地区：\d/.test(c))).toEqual([]);
  });

  it('names the first load and each import in one line, with exact counts', async () => {
    const seeded = await t.db.read
      .getRepository(AuditLog)
      .countBy({ action: 'seed', entity: 'project' });
    const rows = typedRows(sheet);
    expect(rows.filter((r) => r.startsWith('系统|首次载入|'))).toEqual([
      `系统|首次载入|${seeded}个项目|首次载入规划表：新增${seeded}个项目`,
    ]);
    expect(rows.filter((r) => r.includes('导入规划表'))).toEqual([
      'admin|导入|14个项目|导入规划表：新增14个项目',
      'admin|导入|2个项目|导入规划表：新增0个项目，更新2个',
    ]);
    expect(rows.some((r) => r.includes('录入更正') || r.startsWith('系统|新增项目'))).toBe(false);
  });

  it('writes each change in words: people, regions, money, statuses and dates', () => {
    const rows = typedRows(sheet);
    expect(rows).toContain(
      'admin|修改项目|寨岗中学（初中）|地区：连南瑶族自治县 → 乐昌市；所属规划：连南瑶族自治县教育发展“十四五”规划 → （空）',
    );
    expect(rows).toContain(
      'admin|概算调整项目|三排镇横坑幼儿园|资金测算：1,330.00万元 → 20,500.13万元',
    );
    const funding = rows.find((r) => r.startsWith('admin|新增资金|三排镇横坑幼儿园|'));
    expect(funding).toMatch(/资金来源：（空） → 县级财政/);
    expect(funding).toMatch(/已落实：（空） → 1,234.57万元/);
    const progress = rows.find((r) => r.startsWith('admin|进度填报项目|三排镇横坑幼儿园|'));
    expect(progress).toMatch(/状态：谋划储备 → 在建/);
    expect(progress).toMatch(/形象进度：（空） → 35%/);
    expect(progress).toMatch(/累计完成投资：（空） → 400.50万元/);
  });

  it('has a label for every field the audit log names', async () => {
    const all = await t.db.read.getRepository(AuditLog).find();
    const unlabelled = new Set<string>();
    for (const a of all)
      for (const k of Object.keys(a.changes ?? {}))
        if (!fieldLabel(k, a.entity)) unlabelled.add(`${a.entity}.${k}`);
    expect([...unlabelled]).toEqual([]);
  });
});
