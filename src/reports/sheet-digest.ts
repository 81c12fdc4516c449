import { createHash, Hash } from 'node:crypto';
import type ExcelJS from 'exceljs';

/** One sheet of a written workbook, in brief: its rows and a SHA-256 of every cell's value. */
export interface SheetDigest {
  name: string;
  /** Rows written (frame, headers, body, legend). */
  rows: number;
  /** SHA-256 (hex) of the rows' cell values in order, the values in `ignore` left out. */
  sha256: string;
}

type RowWriter = { _writeRow(row: ExcelJS.Row): void };

/**
 * Watches a streaming workbook as it is written: every sheet added from now on has its rows hashed
 * as they are committed (values only: styles, widths and the page header are not compared). Values
 * equal to one of `ignore` (生成时间, which differs on every rendering) count as empty. `result()`
 * answers the sheets in the order they were added.
 */
export function watchSheets(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  ignore: readonly string[],
): () => SheetDigest[] {
  const sheets: { name: string; rows: number; hash: Hash }[] = [];
  const skip = new Set(ignore);
  const plain = (_k: string, v: unknown): unknown =>
    typeof v === 'bigint' ? v.toString() : typeof v === 'string' && skip.has(v) ? '' : v;
  const add = wb.addWorksheet.bind(wb);
  wb.addWorksheet = (name?: string, options?: Partial<ExcelJS.AddWorksheetOptions>) => {
    const ws = add(name, options);
    const sheet = { name: ws.name, rows: 0, hash: createHash('sha256') };
    sheets.push(sheet);
    const writer = ws as unknown as RowWriter;
    const write = writer._writeRow.bind(writer);
    writer._writeRow = (row: ExcelJS.Row) => {
      sheet.rows++;
      sheet.hash.update(`${row.number}:${JSON.stringify(row.values, plain)}\n`);
      write(row);
    };
    return ws;
  };
  return () => sheets.map((s) => ({ name: s.name, rows: s.rows, sha256: s.hash.digest('hex') }));
}
