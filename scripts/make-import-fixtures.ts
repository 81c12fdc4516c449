/**
 * Writes the import fixtures under test/fixtures/import/{ok,not-ok}/ (committed; re-run after
 * changing a case). Each file is a shape staff's spreadsheets really come in.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', 'test', 'fixtures', 'import');

async function save(wb: ExcelJS.Workbook, dir: 'ok' | 'not-ok', name: string): Promise<Buffer> {
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  fs.writeFileSync(path.join(root, dir, name), buf);
  return buf;
}

async function main(): Promise<void> {
  fs.copyFileSync(
    path.join(__dirname, '..', 'seeds', 'liannan-2021-2025.xlsx'),
    path.join(root, 'ok', 'liannan-reference.xlsx'),
  );

  // one header row below a title and a blank row; synonyms; units without brackets; dates in
  // every shape; numbers stored as text with thousands separators; a correct 合计 row
  {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('项目表');
    ws.addRow(['某县学校建设项目（2026年填报）']);
    ws.addRow([]);
    ws.addRow([
      '序号',
      '项目名称',
      '年份',
      '幼儿园',
      '小学',
      '初中',
      '高中阶段',
      '计划竣工时间',
      '建筑面积',
      '用地面积（亩）',
      '总投资（万元）',
    ]);
    ws.addRow([
      1,
      '城东幼儿园（新建）',
      2026,
      '360',
      null,
      null,
      null,
      '2026.9',
      '5,600.5',
      '8.25',
      '3,210.123456',
    ]);
    ws.addRow([
      2,
      '城西小学（改扩建）',
      '2026年',
      null,
      900,
      null,
      null,
      '2027-08',
      12000,
      0,
      '1,000',
    ]);
    const r = ws.addRow([
      3,
      '第二中学',
      2027,
      null,
      null,
      1200,
      300,
      new Date(Date.UTC(2028, 5, 30)),
      30000.25,
      null,
      9876.5,
    ]);
    r.getCell(8).numFmt = 'yyyy-mm-dd';
    const r2 = ws.addRow([
      4,
      '城北幼儿园',
      2027,
      270,
      null,
      null,
      null,
      new Date(Date.UTC(2027, 11, 1)),
      3000,
      4.5,
      1500,
    ]);
    r2.getCell(8).numFmt = 'yyyy"年"m"月"';
    ws.addRow(['合计', null, null, 630, 900, 1200, 300, null, '50,600.75', 12.75, 15586.623456]);
    await save(wb, 'ok', 'one-header-row-synonyms.xlsx');
  }

  // a template staff downloaded and filled: whole-column data validations (the in-memory loader
  // hangs on these, docs/stack.md pitfall 7), and shared strings stored after the sheet
  {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow([
      '年度',
      '学校名称',
      '小计',
      '幼儿园',
      '小学',
      '初中',
      '高中（中职）',
      '计划完成时间',
      '建筑面积（平方米）',
      '用地需求（亩）',
      '资金测算（万元）',
    ]);
    ws.addRow([2026, '南山幼儿园', 180, 180, null, null, null, '2026年12月', 2400, 3, 1200]);
    ws.addRow([null, '北山小学', 450, null, 450, null, null, '2026年12月', 5200, null, 2600.5]);
    for (const col of ['A', 'C', 'D', 'E', 'F', 'G', 'I', 'J', 'K']) {
      (
        ws as unknown as { dataValidations: { add(ref: string, v: object): void } }
      ).dataValidations.add(`${col}2:${col}1048576`, {
        type: 'decimal',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [0],
        showErrorMessage: true,
        error: '请输入非负数',
      });
    }
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const zip = await JSZip.loadAsync(buf);
    const out = new JSZip();
    const names = Object.keys(zip.files);
    const order = [
      ...names.filter((n) => n !== 'xl/sharedStrings.xml'),
      ...names.filter((n) => n === 'xl/sharedStrings.xml'),
    ];
    for (const n of order)
      if (!zip.files[n].dir) out.file(n, await zip.files[n].async('nodebuffer'));
    fs.writeFileSync(
      path.join(root, 'ok', 'template-validations-shared-strings-last.xlsx'),
      await out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }),
    );
  }

  // every kind of broken row
  {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow([
      '年度',
      '学校名称',
      '小计',
      '幼儿园',
      '小学',
      '初中',
      '高中（中职）',
      '计划完成时间',
      '建筑面积（平方米）',
      '用地需求（亩）',
      '资金测算（万元）',
    ]);
    ws.addRow([2026, null, 90, 90, null, null, null, '2026年12月', 1000, 1, 100]); // row 2: missing name
    ws.addRow([2026, '甲幼儿园', 90, '九十', null, null, null, '2026年12月', 1000, 1, 100]); // row 3: text in a seat cell
    ws.addRow([2026, '乙小学', 45, null, 45, null, null, '2026年13月', 1000, 1, 100]); // row 4: month 13
    ws.addRow([2026, '丙中学', 100, null, null, 100, null, '2026年12月', 1000, 1, -50]); // row 5: negative budget
    ws.addRow([2026, '丁幼儿园', 60, 60, null, null, null, '2026年12月', 1000, -2, 100]); // row 6: negative land
    ws.addRow([2026, '戊小学', 45, null, 45.5, null, null, '2026年12月', 1000, 1, 100]); // row 7: fractional seats
    ws.addRow([2026, '己中学', 100, null, null, 100, null, '2026年12月', 1000, 1, '100.0000001']); // row 8: finer than a fen
    await save(wb, 'not-ok', 'broken-rows.xlsx');
  }

  // money in 元, not 万元
  {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['年度', '项目名称', '小学', '计划完成时间', '总投资（元）']);
    ws.addRow([2026, '某小学', 450, '2026年12月', 26000000]);
    await save(wb, 'not-ok', 'money-in-yuan.xlsx');
  }

  // no recognisable table
  {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('说明');
    ws.addRow(['这是一份说明，没有项目表']);
    ws.addRow(['联系人', '张三']);
    await save(wb, 'not-ok', 'no-table.xlsx');
  }

  // the same project twice
  {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow(['年度', '学校名称', '幼儿园', '计划完成时间', '资金测算（万元）']);
    ws.addRow([2026, '重复幼儿园', 90, '2026年12月', 100]);
    ws.addRow([2026, '重复幼儿园', 90, '2026年12月', 100]);
    await save(wb, 'not-ok', 'duplicate-rows.xlsx');
  }
  console.log('fixtures written');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
