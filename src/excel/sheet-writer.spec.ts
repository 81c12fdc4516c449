import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { addSheet, drainSheet, streamingWorkbook } from './sheet-writer';

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
