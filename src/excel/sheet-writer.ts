import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { dayjs } from '../common/dates';
import { fenToWan } from '../common/money';
import { textWidth } from './cells';

// exceljs's own escaping of XML text (not in its typings): rows written by writeBodyRow escape as
// exceljs's would
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { xmlEncode } = require('exceljs/lib/utils/utils') as {
  xmlEncode: (text: string) => string;
};

/** Number formats of docs/excel-layouts.md. */
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
  // a stronger blue than the header's, so the legend can tell them apart
  blue: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFBDD7EE' } },
  total: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
} as const satisfies Record<string, ExcelJS.Fill>;

/** What each fill is called in a sheet's legend (图例): the colour's name. */
export const FILL_NAMES: Record<keyof typeof FILL, string> = {
  header: '浅蓝底纹',
  overdue: '粉色底纹',
  red: '粉色底纹',
  yellow: '黄色底纹',
  blue: '蓝色底纹',
  total: '灰色底纹',
};
export type FillName = keyof typeof FILL;

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

/** `YYYY-MM-DD`: read at UTC midnight directly, without dayjs (a cell of every row of three sheets). */
const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date-only value as a cell: built at UTC midnight so it does not shift a day (docs/stack.md pitfall 6). */
export const dateCell = (iso: string | null | undefined): Date | null =>
  !iso ? null : DAY_ONLY.test(iso) ? new Date(`${iso}T00:00:00Z`) : dayjs.utc(iso).toDate();

export interface ColumnSpec {
  header: string;
  key: string;
  numFmt?: string;
  /** Widest expected content, for fitted widths. */
  sample?: string[];
  min?: number;
  /** At most this wide; longer text wraps (`wrap`). */
  max?: number;
  /** A fixed width, in characters of the default font. */
  width?: number;
  wrap?: boolean;
}

/** A streaming workbook written to a file (docs/stack.md pitfall 8): columns and styles before any row. */
export function streamingWorkbook(path: string): ExcelJS.stream.xlsx.WorkbookWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: fs.createWriteStream(path),
    useStyles: true,
    useSharedStrings: false,
  });
  // the workbook's default font (font 0, which every cell without a font of its own uses) is the
  // report's: a font on each body cell would cost exceljs a style lookup per cell (a province's
  // report took 20 s instead of 6)
  const styles = (wb as unknown as { styles: WorkbookStyles }).styles;
  if (!styles.model.fonts.length) styles._addFont(DEFAULT_FONT);
  return wb;
}

/** The part of exceljs's style manager that sets the default font. */
interface WorkbookStyles {
  model: { fonts: unknown[] };
  _addFont(font: Partial<ExcelJS.Font>): number;
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

/** The report's one font family (docs/excel-layouts.md: explicit on every styled cell, bold included). */
const FONT_NAME = '宋体';
/** Body text size: printed at ≥ 9 pt once fitted to the page width (test/e2e/report-print). */
const BODY_PT = 10;
/** The default font of every workbook written here (font 0 in styles.xml). */
const DEFAULT_FONT: Partial<ExcelJS.Font> = {
  name: FONT_NAME,
  size: BODY_PT,
  family: 3,
  charset: 134,
};
export const bodyFont = (o: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({
  name: FONT_NAME,
  size: BODY_PT,
  ...o,
});

/** A header that is wider than its column breaks before its bracket (`资金测算\n（万元）`), never inside. */
function wrapHeader(header: string, width: number): string {
  if (header.includes('\n') || textWidth(header) + 2 <= width) return header;
  const at = header.indexOf('（');
  return at > 0 ? `${header.slice(0, at)}\n${header.slice(at)}` : header;
}

const widestLine = (s: string) => Math.max(...s.split('\n').map((l) => textWidth(l)));

/** The widest part of a header that must stay on one line: the words before and the bracket. */
const headerSegment = (header: string) =>
  header.includes('（')
    ? Math.max(...header.split('（').map((part, i) => textWidth(i ? `（${part}` : part)))
    : widestLine(header);

/**
 * A column's width: its widest line of header or sample, counting a CJK character as two; never
 * narrower than a header's words, so 特殊教育 does not print as 特殊教 / 育 (seen in LibreOffice).
 */
function fittedWidth(c: ColumnSpec): number {
  const head = headerSegment(c.header);
  if (c.width) return Math.max(c.width, head);
  return Math.min(
    c.max ?? 60,
    Math.max(c.min ?? 6, head + 2, ...(c.sample ?? []).map((s) => widestLine(s) + 2)),
  );
}

export interface ReportFrame {
  /** Row 1, e.g. `连南瑶族自治县 · 学校建设项目月度进展报表 · 2026年11月`. */
  title: string;
  /** Row 2: 填报单位, 截至日期 and units — the sheet's one statement of its 截至日期. */
  info: string;
  /** 填报单位 and 打印日期 for the header of every printed page (e.g. 连南瑶族自治县教育局, 2026年12月5日). */
  page: { unit: string; printedOn: string };
  /** Headings over runs of columns (a second header row), e.g. 计划新增学位数（个） over the stages. */
  groups?: { label: string; keys: string[] }[];
  /** No header row: the sheet lays out its own sections below the frame (汇总). */
  noHeader?: boolean;
}

/**
 * A sheet of the monthly report with the document's frame (docs/excel-layouts.md): A4 landscape fitted to the
 * page width, a title row and an information line, one or two header rows (a group's heading
 * merged over its columns, other headings merged down), title and header repeated on every printed
 * page, frozen below them, footer 第 &P 页 共 &N 页, one font family. Rows added next are the body.
 */
export function addReportSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: ColumnSpec[],
  frame: ReportFrame,
): ExcelJS.Worksheet {
  const headerRows = frame.noHeader ? 0 : frame.groups?.length ? 2 : 1;
  const top = 2 + headerRows;
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      printTitlesRow: `1:${top}`,
      margins: { left: 0.3, right: 0.3, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddHeader: pageHeader(frame.page),
      evenHeader: pageHeader(frame.page),
      oddFooter: '&C第 &P 页 共 &N 页',
      evenFooter: '&C第 &P 页 共 &N 页',
    },
    views: [{ state: 'frozen', ySplit: top, xSplit: 0 }],
    // the default height (15) is not a custom one, so a row whose text wraps grows to hold it; a
    // custom default made LibreOffice print 连南瑶族自治县 over the row below
    properties: { defaultRowHeight: 15 },
  });
  const widths = columns.map(fittedWidth);
  const layout = new SheetLayout(columns, widths, headerRows ? ['header'] : []);
  LAYOUTS.set(ws, layout);
  ws.columns = columns.map((c, i) => ({
    key: c.key,
    width: widths[i],
    // the font is the workbook's default; a wrapping column's cells wrap
    style: {
      ...(c.wrap ? { alignment: { vertical: 'middle', wrapText: true } } : {}),
      ...(c.numFmt ? { numFmt: c.numFmt } : {}),
    },
  }));
  const last = columns.length;
  const title = ws.getRow(1);
  title.getCell(1).value = frame.title;
  title.getCell(1).font = bodyFont({ size: 16, bold: true });
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 30;
  ws.mergeCells(1, 1, 1, last);
  title.commit();
  const info = ws.getRow(2);
  info.getCell(1).value = frame.info;
  info.getCell(1).font = bodyFont();
  info.getCell(1).alignment = { horizontal: 'left', vertical: 'middle' };
  info.height = 20;
  ws.mergeCells(2, 1, 2, last);
  info.commit();
  if (!headerRows) return ws;
  const upper = ws.getRow(3);
  const lower = headerRows === 2 ? ws.getRow(4) : null;
  const groupOf = new Map<string, { label: string; keys: string[] }>();
  for (const g of frame.groups ?? []) for (const k of g.keys) groupOf.set(k, g);
  columns.forEach((c, i) => {
    const g = groupOf.get(c.key);
    const text = wrapHeader(c.header, widths[i]);
    if (!lower) upper.getCell(i + 1).value = text;
    else if (!g) {
      upper.getCell(i + 1).value = text;
      ws.mergeCells(3, i + 1, 4, i + 1);
    } else {
      lower.getCell(i + 1).value = text;
      if (g.keys[0] === c.key) {
        upper.getCell(i + 1).value = g.label;
        ws.mergeCells(3, i + 1, 3, i + g.keys.length);
      }
    }
  });
  for (const row of lower ? [upper, lower] : [upper]) {
    for (let i = 1; i <= last; i++) row.getCell(i).style = layout.header();
    row.height = lower ? 22 : 32;
    row.commit();
  }
  ws.autoFilter = { from: { row: top, column: 1 }, to: { row: top, column: last } };
  return ws;
}

/** The lines a submitted report ends with: who filled it in, checked it and answers for it. */
export function signOff(ws: ExcelJS.Worksheet, columns: number, asOf: string): void {
  ws.addRow([]).commit();
  const row = ws.addRow([
    `填表人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000审核人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000单位负责人：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000填报日期：${asOf.slice(0, 4)}年\u3000\u3000月\u3000\u3000日`,
  ]);
  row.getCell(1).font = bodyFont();
  row.height = 24;
  ws.mergeCells(row.number, 1, row.number, columns);
  row.commit();
}

/** Styles a header row. */
export function styleHeader(row: ExcelJS.Row): void {
  row.font = bodyFont({ bold: true });
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.height = 30;
  row.eachCell((c, i) => {
    if (typeof c.value === 'string')
      c.value = wrapHeader(c.value, row.worksheet.getColumn(i).width ?? 9);
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

/** `SUM` of a column's data rows, with its cached result (docs/stack.md pitfall 9). */
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

/** A page header's text: `&` is the header's escape character, so a literal one is doubled. */
const headerText = (s: string) => s.replace(/&/g, '&&');

/**
 * 填报单位 on the left and 打印日期 on the right of every printed page. The date is the day the
 * report was generated, written out: a field code (&D) prints the printing machine's date in its
 * own locale's format.
 */
function pageHeader(page: { unit: string; printedOn: string }): string {
  return `&L${headerText(`填报单位：${page.unit}`)}&R${headerText(`打印日期：${page.printedOn}`)}`;
}

/** Printed height of one line of 10 pt text in LibreOffice (Noto CJK: 1.45 em) and a row's padding, in points. */
const LINE_PT = 14.5;
const ROW_PAD_PT = 3;
/** The height of a row of one line (the sheet's default row height). */
export const ROW_PT = 15;

/** How many lines a text takes in a column `width` characters wide (CJK counted as two) when it wraps. */
export function wrappedLines(text: string, width: number): number {
  // a CJK character counts as two though LibreOffice prints it narrower (about 1.7 widths of a
  // digit): what that leaves over covers the cell's padding (谋划储备 fits a column 8 wide), and the
  // estimate errs on the tall side for text in Chinese
  const room = Math.max(1, width);
  let lines = 0;
  for (const part of text.split('\n')) lines += Math.max(1, Math.ceil(textWidth(part) / room));
  return lines;
}

/** A row's height that holds `lines` lines of body text; undefined (the default) for one line. */
export function heightFor(lines: number): number | undefined {
  return lines > 1 ? Math.ceil(lines * LINE_PT + ROW_PAD_PT) : undefined;
}

/** What a body row's cells look like besides their column's own format: a fill, bold (合计). */
interface BodyStyle {
  fill?: FillName;
  /** Fill only these columns (1-based); the whole row when left out. */
  columns?: number[];
  bold?: boolean;
  /** Number formats by column (0-based) where they differ from the column's (汇总's lines). */
  formats?: (string | undefined)[];
}

const BOLD_FONT = Object.freeze(bodyFont({ bold: true }));
const FROZEN_BORDER = Object.freeze(BORDER);

/**
 * A report sheet's columns and its shared style records. exceljs's style manager maps a style
 * object it has already seen (a WeakMap) straight to its id, but serialises every part of an
 * object it has not seen to find its id: a new style object per cell (what exceljs's own cells
 * carry, merged from their column) cost four fifths of a province report's time. So every body
 * cell is given one of a few frozen objects, each built once per sheet.
 */
class SheetLayout {
  /** The text columns, which wrap (and so decide a row's height). */
  readonly wraps: boolean[];
  private readonly styles = new Map<string, Partial<ExcelJS.Style>>();
  /** Fills used on the sheet, for its legend. */
  readonly fills = new Set<FillName>();

  constructor(
    readonly columns: ColumnSpec[],
    readonly widths: number[],
    fills: FillName[],
  ) {
    this.wraps = columns.map((c) => !!c.wrap || !c.numFmt);
    for (const f of fills) this.fills.add(f);
  }

  style(
    col: number,
    fill: FillName | undefined,
    bold: boolean,
    numFmt?: string,
  ): Partial<ExcelJS.Style> {
    const key = `${col}|${fill ?? ''}|${bold ? 1 : 0}|${numFmt ?? ''}`;
    let s = this.styles.get(key);
    if (!s) {
      const c = this.columns[col - 1];
      const style: Partial<ExcelJS.Style> = {
        border: FROZEN_BORDER,
        alignment: Object.freeze(
          this.wraps[col - 1] ? { vertical: 'middle', wrapText: true } : { vertical: 'middle' },
        ) as Partial<ExcelJS.Alignment>,
      };
      if (numFmt ?? c?.numFmt) style.numFmt = numFmt ?? c?.numFmt;
      if (fill) style.fill = FILL[fill];
      if (bold) style.font = BOLD_FONT;
      s = Object.freeze(style);
      this.styles.set(key, s);
    }
    return s;
  }

  /** A body cell's record for a row's look: the one rule of bodyRow and writeBodyRow. */
  cellStyle(col: number, look: BodyStyle): Partial<ExcelJS.Style> {
    if (!look.fill && !look.bold && !look.formats) return this.plain(col); // most rows
    const filled = look.fill && (!look.columns || look.columns.includes(col));
    return this.style(col, filled ? look.fill : undefined, !!look.bold, look.formats?.[col - 1]);
  }

  /** The lines a value takes in column `col`: more than one only for text in a wrapping column. */
  linesOf(col: number, v: unknown): number {
    if (!this.wraps[col - 1] || typeof v !== 'string' || v.length === 0) return 1;
    const width = this.widths[col - 1];
    return v.length * 2 <= width ? 1 : wrappedLines(v, width);
  }

  private readonly plainStyles: Partial<ExcelJS.Style>[] = [];

  /** A column's record without fill or bold: what most body cells get. */
  plain(col: number): Partial<ExcelJS.Style> {
    return (this.plainStyles[col] ??= this.style(col, undefined, false));
  }

  /** A legend's colour sample: the fill with the grid's border. */
  swatch(fill: FillName): Partial<ExcelJS.Style> {
    return this.style(0, fill, false);
  }

  /** A header row's cells: bold, centred, wrapping, the header fill, grid lines. */
  header(): Partial<ExcelJS.Style> {
    let s = this.styles.get('header');
    if (!s) {
      s = Object.freeze({
        font: BOLD_FONT,
        alignment: Object.freeze({ vertical: 'middle', horizontal: 'center', wrapText: true }),
        fill: FILL.header,
        border: FROZEN_BORDER,
      }) as Partial<ExcelJS.Style>;
      this.styles.set('header', s);
    }
    return s;
  }
}

/**
 * A header row inside a report sheet (汇总's sections): each cell of the table bold and centred on
 * the header fill, its text broken before a bracket when wider than its column.
 */
export function headerRow(row: ExcelJS.Row, height = 30): void {
  const l = layoutOf(row.worksheet);
  l.fills.add('header');
  for (let col = 1; col <= l.columns.length; col++) {
    const cell = row.getCell(col);
    if (typeof cell.value === 'string') cell.value = wrapHeader(cell.value, l.widths[col - 1]);
    cell.style = l.header();
  }
  row.height = height;
}

const LAYOUTS = new WeakMap<ExcelJS.Worksheet, SheetLayout>();

function layoutOf(ws: ExcelJS.Worksheet): SheetLayout {
  const l = LAYOUTS.get(ws);
  if (!l) throw new Error(`sheet ${ws.name} was not made by addReportSheet`);
  return l;
}

/**
 * The style of a body row itself (not its cells): none. exceljs gives every row a new `{}` and
 * looks each one up as a style it has not seen (its XML built to find it): 158,000 lookups in a
 * province's report. One frozen record, seen once per workbook, gives the same (default) style.
 */
const ROW_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/**
 * Styles a body row of a report sheet (call before `commit`): every cell of the table gets grid
 * lines and its column's format — one shared style record per column and look — optionally a fill
 * on some columns and bold; the row is as high as its longest wrapped text.
 */
export function bodyRow(row: ExcelJS.Row, look: BodyStyle = {}): void {
  const l = layoutOf(row.worksheet);
  (row as unknown as { style: Partial<ExcelJS.Style> }).style = ROW_STYLE;
  if (look.fill) l.fills.add(look.fill);
  let lines = 1;
  for (let col = 1; col <= l.columns.length; col++) {
    const cell = row.getCell(col);
    cell.style = l.cellStyle(col, look);
    lines = Math.max(lines, l.linesOf(col, cell.value));
  }
  const h = heightFor(lines);
  if (h) row.height = h;
}

/** What exceljs's streaming sheet keeps of its rows and its file (not in its typings). */
interface StreamingSheet {
  _rows: unknown[];
  _rowZero: number;
  startedData: boolean;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
  stream: { write(xml: string): unknown };
  _workbook: { styles: { addStyleModel(style: object, cellType?: number): number } };
}

/** Column letters of columns 1–52, as exceljs names them. */
const COLUMN_LETTERS = Array.from({ length: 53 }, (_, n) =>
  n === 0 ? '' : n <= 26 ? String.fromCharCode(64 + n) : `A${String.fromCharCode(38 + n)}`,
);

/** A value a body row's cell takes as it is; anything else (a formula, a link) goes through exceljs. */
type PlainValue = string | number | boolean | Date | null | undefined;
const isPlain = (v: unknown): v is PlainValue =>
  v === null ||
  v === undefined ||
  typeof v === 'string' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  typeof v === 'boolean' ||
  (v instanceof Date && !Number.isNaN(v.getTime()));

/** exceljs's serial day number of a date (its `utils.dateToExcel`, 1900 date system). */
const excelDay = (d: Date) => 25569 + d.getTime() / 86_400_000;

/**
 * `ws.addRow(values)`, {@link bodyRow} and `row.commit()` in one, for the thousands of rows of a
 * report's lists: the row's XML is written straight to the sheet, as exceljs writes the same row
 * (a spec compares the two). exceljs makes a Row, a Cell and a model per value, merges styles and
 * builds each row through its XML stream — most of a province report's time after its styles were
 * shared. A sheet that still holds uncommitted rows or shares its strings, a workbook held in
 * memory, a row of no values, or a value that is not a plain string, number, boolean or date takes
 * exceljs's own path.
 */
export function writeBodyRow(ws: ExcelJS.Worksheet, values: unknown[], look: BodyStyle = {}): void {
  const sheet = ws as unknown as Partial<StreamingSheet>;
  const l = layoutOf(ws);
  const n = l.columns.length;
  if (
    !Array.isArray(sheet._rows) ||
    sheet._rows.length > 0 ||
    (sheet as { useSharedStrings?: boolean }).useSharedStrings === true ||
    values.length > n ||
    n >= COLUMN_LETTERS.length ||
    !(0 in values) || // a hole first: exceljs then reads the array from column 0
    !values.every(isPlain) ||
    values.every((v) => v === null || v === undefined) // exceljs leaves out a row of no values
  ) {
    const row = ws.addRow(values);
    bodyRow(row, look);
    row.commit();
    return;
  }
  const w = sheet as StreamingSheet;
  if (!w.startedData) {
    w._writeColumns();
    w._writeOpenSheetData();
    w.startedData = true;
  }
  const styles = w._workbook.styles;
  // the row's own style first, as exceljs asks: a style's id is given in the order first seen
  const rowStyle = styles.addStyleModel(ROW_STYLE);
  const number = w._rowZero;
  if (look.fill) l.fills.add(look.fill);
  let lines = 1;
  let cells = '';
  for (let col = 1; col <= n; col++) {
    const v = values[col - 1] as PlainValue;
    const type =
      v === null || v === undefined
        ? ExcelJS.ValueType.Null
        : typeof v === 'string'
          ? ExcelJS.ValueType.String
          : typeof v === 'number'
            ? ExcelJS.ValueType.Number
            : typeof v === 'boolean'
              ? ExcelJS.ValueType.Boolean
              : ExcelJS.ValueType.Date;
    const id = styles.addStyleModel(l.cellStyle(col, look), type);
    cells += `<c r="${COLUMN_LETTERS[col]}${number}"${id ? ` s="${id}"` : ''}`;
    if (v === null || v === undefined) cells += '/>';
    else if (typeof v === 'string') {
      cells += ` t="str"><v>${xmlEncode(v)}</v></c>`;
      lines = Math.max(lines, l.linesOf(col, v));
    } else if (typeof v === 'number') cells += `><v>${xmlEncode(String(v))}</v></c>`;
    else if (typeof v === 'boolean') cells += ` t="b"><v>${v ? '1' : '0'}</v></c>`;
    else cells += `><v>${xmlEncode(String(excelDay(v)))}</v></c>`;
  }
  const h = heightFor(lines);
  w.stream.write(
    `<row r="${number}"${h ? ` ht="${h}" customHeight="1"` : ''} spans="1:${n}"` +
      `${rowStyle ? ` s="${rowStyle}" customFormat="1"` : ''} x14ac:dyDescent="0.25">${cells}</row>`,
  );
  w._rowZero = number + 1;
}

/**
 * A sheet's legend (图例): one line for each fill the sheet used — a swatch of the colour, then
 * what it means ("粉色底纹：已逾期项目"). `meanings` names every fill the sheet may use.
 */
export function legend(
  ws: ExcelJS.Worksheet,
  meanings: Partial<Record<FillName, string>>,
): ExcelJS.Row[] {
  const l = layoutOf(ws);
  const n = l.columns.length;
  const used = (Object.keys(meanings) as FillName[]).filter((f) => l.fills.has(f));
  if (!used.length) return [];
  const rows: ExcelJS.Row[] = [];
  const gap = ws.addRow([]);
  gap.commit();
  rows.push(gap);
  for (const f of used) {
    const row = ws.addRow([]);
    row.getCell(1).style = l.swatch(f);
    row.getCell(2).value = `图例：${FILL_NAMES[f]}：${meanings[f]}`;
    if (n > 2) ws.mergeCells(row.number, 2, row.number, n);
    row.commit();
    rows.push(row);
  }
  return rows;
}
