import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { watchSheets } from './sheet-digest';

describe('watchSheets', () => {
  it('hashes each row as JSON of its values, 生成时间 left out, the same as through a replacer', async () => {
    const sink = new PassThrough();
    sink.resume();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true });
    const stamp = '生成时间：2026-12-06 14:00';
    const result = watchSheets(wb, [stamp]);
    const rows: unknown[][] = [
      ['汇总', stamp, 1],
      [1, '连南瑶族自治县', 2026, '三江镇中心幼儿园', 360, null, 12.5],
      [2, new Date(Date.UTC(2026, 11, 5)), 10, { text: '链接', hyperlink: 'https://example.cn' }],
      [undefined, '', 0, false, '生成时间：别的日子'],
      [],
    ];
    const ws = wb.addWorksheet('汇总');
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
    await wb.commit();
    // the reference: every value through the replacer
    const skip = new Set([stamp]);
    const plain = (_k: string, v: unknown): unknown =>
      typeof v === 'bigint' ? v.toString() : typeof v === 'string' && skip.has(v) ? '' : v;
    const hash = createHash('sha256');
    rows.forEach((r, i) => {
      const values: unknown[] = [];
      r.forEach((v, c) => {
        if (v !== null && v !== undefined) values[c + 1] = v;
      });
      hash.update(`${i + 1}:${JSON.stringify(values, plain)}\n`);
    });
    expect(result()).toEqual([{ name: '汇总', rows: 5, sha256: hash.digest('hex') }]);
  });
});
