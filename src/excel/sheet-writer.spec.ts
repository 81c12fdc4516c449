import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import {
  addReportSheet,
  addSheet,
  bodyRow,
  dateCell,
  drainSheet,
  FMT,
  legend,
  streamingWorkbook,
  writeBodyRow,
} from './sheet-writer';
import { ZipArchive } from './zip-archive';

/** Bytes written into the sheet but not yet taken by the compressor (exceljs internals). */
function backlog(ws: ExcelJS.Worksheet): number {
  const s = (ws as unknown as { _stream?: { buffers?: unknown[]; pipes?: Writable[] } })._stream;
  const piped = (s?.pipes ?? []).reduce(
    (n, p) =>
      n +
      ((p as unknown as { _writableState?: { length: number } })._writableState?.length ??
        p.writableLength ??
        0),
    0,
  );
  return piped + (s?.buffers?.length ?? 0) * 65_536;
}

describe('drainSheet', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sheet-writer-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = async (drain: boolean) => {
    const file = path.join(dir, `${drain}.xlsx`);
    const wb = streamingWorkbook(file);
    const ws = addSheet(wb, '里程碑', [
      { header: '项目', key: 'a' },
      { header: '说明', key: 'b' },
      { header: '金额', key: 'c' },
    ]);
    let most = 0;
    for (let i = 0; i < 40_000; i++) {
      if (drain && i % 500 === 499) await drainSheet(ws);
      ws.addRow({
        a: `项目${i}`,
        b: `第${i}行的说明文字，足够长以便压缩需要一些时间`.repeat(3),
        c: i / 100,
      }).commit();
      if (i % 1000 === 0) most = Math.max(most, backlog(ws));
    }
    ws.commit();
    await wb.commit();
    return { most, file };
  };

  it('keeps what waits for the compressor small while a big sheet is written, and the file whole', async () => {
    const drained = await write(true);
    const undrained = await write(false);
    expect(undrained.most).toBeGreaterThan(8 * 1024 * 1024); // the problem it solves
    expect(drained.most).toBeLessThan(2 * 1024 * 1024);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(drained.file);
    const ws = wb.getWorksheet('里程碑')!;
    expect(ws.rowCount).toBe(40_001);
    expect(ws.getRow(40_001).getCell(1).value).toBe('项目39999');
  });
});

/** The text of each part of a written .xlsx, by name. */
async function parts(file: string): Promise<Map<string, string>> {
  const zip = ZipArchive.open(fs.readFileSync(file));
  const out = new Map<string, string>();
  for (const [name, e] of zip.entries) {
    const chunks: Buffer[] = [];
    for await (const c of zip.raw(e)) chunks.push(c);
    out.set(name, Buffer.concat(chunks).toString('utf8'));
  }
  return out;
}

/** An array whose first place is a hole, the rest `rest`. */
function holed(rest: unknown[]): unknown[] {
  const a: unknown[] = [];
  rest.forEach((v, i) => (a[i + 1] = v));
  return a;
}

describe('writeBodyRow', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'body-row-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // every kind of value and look a report's rows have, escapes and wrapped text included
  const ROWS: { values: unknown[]; look?: Parameters<typeof bodyRow>[1] }[] = [
    { values: [1, '连南瑶族自治县', '寨岗镇中心小学', 1234.5, dateCell('2026-03-31'), true] },
    { values: [2, 'A & B <c> "d" \'e\'', '', null, undefined, false] },
    { values: [3, '控制\u0001字符\u007f', '换行\n第二行', -0.1 - 0.2, 1e21, null] },
    {
      values: [4, '很长的说明'.repeat(12), '乙', 0, dateCell('2025-12-01'), null],
      look: { fill: 'overdue', columns: [1, 4] },
    },
    { values: ['合计', null, null, 98765.43, null, null], look: { fill: 'total', bold: true } },
    {
      values: [5, '丙', '丁', 0.25],
      look: { formats: [undefined, undefined, undefined, FMT.rate] },
    },
    { values: [6, '红色预警', '戊'], look: { fill: 'red', columns: [2] } },
    { values: [null, undefined, null] }, // no values: exceljs leaves the row out
    { values: holed(['乙', 7]) }, // a hole first: exceljs reads the array from column 0
  ];

  const write = async (direct: boolean) => {
    const file = path.join(dir, `${direct}.xlsx`);
    const wb = streamingWorkbook(file);
    const ws = addReportSheet(
      wb,
      '里程碑',
      [
        { header: '序号', key: 'no', numFmt: FMT.int },
        { header: '地区', key: 'region' },
        { header: '说明', key: 'note', width: 20, wrap: true },
        { header: '金额（万元）', key: 'wan', numFmt: FMT.wan },
        { header: '日期', key: 'day', numFmt: 'yyyy-mm-dd' },
        { header: '过渡', key: 'flag' },
      ],
      {
        title: '标题',
        info: '截至2026年11月30日',
        page: { unit: '某县教育局', printedOn: '2026年12月5日' },
      },
    );
    for (let i = 0; i < 3; i++)
      for (const r of ROWS) {
        if (direct) writeBodyRow(ws, r.values, r.look);
        else {
          const row = ws.addRow(r.values);
          bodyRow(row, r.look);
          row.commit();
        }
      }
    legend(ws, { overdue: '已逾期', total: '合计', red: '红色预警', header: '表头' });
    ws.commit();
    await wb.commit();
    return parts(file);
  };

  it('writes the XML exceljs writes for the same rows, styles and all', async () => {
    const [viaExceljs, direct] = [await write(false), await write(true)];
    expect([...direct.keys()].sort()).toEqual([...viaExceljs.keys()].sort());
    for (const [name, xml] of viaExceljs) {
      if (name === 'docProps/core.xml') continue; // the time it was written
      expect({ name, xml: direct.get(name) }).toEqual({ name, xml });
    }
    const sheet = direct.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('t="str"><v>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;</v>');
    expect(sheet.match(/<row r="\d+" ht="/g)?.length).toBeGreaterThanOrEqual(3); // wrapped rows grow
  });

  it('reads back as the values written', async () => {
    await write(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'true.xlsx'));
    const ws = wb.getWorksheet('里程碑')!;
    const first = ws.getRow(4);
    expect(first.getCell(2).value).toBe('连南瑶族自治县');
    expect(first.getCell(4).value).toBe(1234.5);
    expect((first.getCell(5).value as Date).toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(first.getCell(6).value).toBe(true);
    expect(ws.getRow(5).getCell(2).value).toBe('A & B <c> "d" \'e\'');
    expect(ws.getRow(7).getCell(1).fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
  });
});
