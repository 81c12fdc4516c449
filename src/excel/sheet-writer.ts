import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { dayjs } from '../common/dates';
import { fenToWan } from '../common/money';
import { textWidth } from './cells';

/** Number formats of SPEC §4. */
export const FMT = {
  seats: '#,##0',
  wan: '#,##0.00',
  area: '#,##0.00',
  percent: '0%',
  rate: '0.0%',
  int: '0',
} as const;

export const FILL = {
  header: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } },
  overdue: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } },
  red: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } },
  yellow: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } },
  blue: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } },
  total: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
} as const satisfies Record<string, ExcelJS.Fill>;

const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};

/**
 * The one place money becomes a float: a cell shows 万元 as a number (Excel has no decimal type).
 * The value is the decimal string's nearest double, so it displays exactly with `#,##0.00`.
 */
export const wanCell = (fen: number | bigint | string | null | undefined): number | null =>
  fen === null || fen === undefined ? null : Number(fenToWan(fen));

export const hundredthsCell = (v: number | null | undefined): number | null =>
  v === null || v === undefined ? null : v / 100;

/** A date-only value as a cell: built at UTC midnight so it does not shift a day (STACK pitfall 6). */
export const dateCell = (iso: string | null | undefined): Date | null =>
  iso ? dayjs.utc(iso).toDate() : null;

export interface ColumnSpec {
  header: string;
  key: string;
  numFmt?: string;
  /** Widest expected content, for fitted widths. */
  sample?: string[];
  min?: number;
}

/** A streaming workbook written to a file (STACK pitfall 8): columns and styles before any row. */
export function streamingWorkbook(path: string): ExcelJS.stream.xlsx.WorkbookWriter {
  return new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: fs.createWriteStream(path),
    useStyles: true,
    useSharedStrings: false,
  });
}

/** A4 landscape, fit to width, header rows frozen and repeated on every printed page. */
export function addSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: ColumnSpec[],
  headerRows = 1,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `1:${headerRows}`,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    views: [{ state: 'frozen', ySplit: headerRows, xSplit: 0 }],
    properties: { defaultRowHeight: 18 },
  });
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.min(
      60,
      Math.max(
        c.min ?? 6,
        textWidth(c.header) + 2,
        ...(c.sample ?? []).map((s) => textWidth(s) + 2),
      ),
    ),
    // formats live on the column so cells inherit them; no cell borders: exceljs serialises a
    // border for every cell it styles, which tripled the time to write a province's report
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  return ws;
}

/** Styles a header row. */
export function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.height = 30;
  row.eachCell((c) => {
    c.fill = FILL.header;
    c.border = BORDER;
  });
}

/**
 * Fills a highlighted row (overdue, totals), or only the given columns of it: every styled cell
 * costs exceljs a style of its own, so a sheet of 20,000 alerts colours its 等级 cell only.
 */
export function styleBody(row: ExcelJS.Row, fill?: ExcelJS.Fill, columns?: number[]): void {
  if (!fill) return;
  if (columns) for (const c of columns) row.getCell(c).fill = fill;
  else row.eachCell({ includeEmpty: true }, (c) => (c.fill = fill));
}

/** `SUM` of a column's data rows, with its cached result (STACK pitfall 9). */
export function sumFormula(
  col: string,
  from: number,
  to: number,
  result: number,
): ExcelJS.CellFormulaValue {
  return { formula: to >= from ? `SUM(${col}${from}:${col}${to})` : '0', result, date1904: false };
}

/** What drainSheet reads of exceljs's streaming internals: the sheet's buffer and its pipe into the zip. */
interface SheetStream {
  buffers?: unknown[];
  pipes?: Writable[];
}

/**
 * Waits until the zip has taken what was written to a streaming sheet. exceljs writes rows into a
 * buffer that is piped into the compressor without heeding back-pressure, and a sheet is only
 * piped once the zip reaches it: rows written faster than they deflate pile up (64 MB of buffers
 * in a province's report). Call it every few hundred rows.
 */
export async function drainSheet(ws: ExcelJS.Worksheet): Promise<void> {
  const s = (ws as unknown as { _stream?: SheetStream })._stream;
  for (let i = 0; s && i < 100_000; i++) {
    // the compressor is a readable-stream v2 Transform: no writableNeedDrain, only its state
    const busy = s.pipes?.find(
      (p) =>
        p.writableNeedDrain ??
        (p as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain,
    );
    if (busy) await once(busy, 'drain');
    else if ((s.buffers?.length ?? 0) > 16)
      await new Promise((r) => setTimeout(r, 1)); // > 1 MB waiting for the zip to reach this sheet
    else break;
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Paces a long streaming sheet, called after each row: every 500 rows it lets the zip catch up
 * (drainSheet); every 10,000 rows it collects garbage when enough has piled up, so the rows' XML
 * buffers (V8 collects them only after 64 MB more) do not grow with the sheet.
 */
export class SheetPacer {
  private rows = 0;

  constructor(private readonly ws: ExcelJS.Worksheet) {}

  async row(): Promise<void> {
    if (++this.rows % 500 !== 0) return;
    await drainSheet(this.ws);
  }
}
