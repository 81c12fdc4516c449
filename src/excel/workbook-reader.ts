import { CellValue, normalizeCell } from './cells';
import { ArchiveCaps, ArchiveRefused, DEFAULT_ARCHIVE_CAPS, ZipArchive } from './zip-archive';
import { attr, XmlHandler, XmlSyntaxError, XmlTokenizer } from './xml-tokens';

export { ArchiveRefused } from './zip-archive';

/** A sheet as read: its non-empty rows, each with its cells by column (0-based). */
export interface InputSheet {
  name: string;
  rows: { number: number; cells: { value: CellValue; numFmt?: string }[] }[];
}

/** Limits on what an uploaded workbook may make the reader keep (docs/limits.md). */
interface ReadCaps {
  maxSheets: number;
  /** Rows kept per sheet. */
  maxRows: number;
  /** Columns past this one are ignored (a plan table has about twenty). */
  maxColumns: number;
  /** One cell's text. */
  maxCellChars: number;
  /** Non-empty cells kept over the whole workbook. */
  maxCells: number;
  /** Characters in the shared strings table, and in inline strings, each. */
  maxTextChars: number;
  archive: ArchiveCaps;
}

const DEFAULT_READ_CAPS: Omit<ReadCaps, 'maxSheets' | 'maxRows'> = {
  maxColumns: 64,
  maxCellChars: 2_000,
  maxCells: 1_000_000,
  maxTextChars: 16_000_000,
  archive: DEFAULT_ARCHIVE_CAPS,
};

export class WorkbookTooLarge extends Error {
  constructor(
    readonly what: 'sheets' | 'rows' | 'cells' | 'text',
    readonly limit: number,
    readonly sheet?: string,
  ) {
    super(`${what} over ${limit}`);
  }
}

/** A cell the import must not take: too long, or text that was garbled before it reached us. */
export class CellRefused extends Error {
  constructor(
    readonly reason: 'too_long' | 'replacement_char',
    readonly sheet: string,
    readonly row: number,
    readonly column: number,
    readonly limit: number,
  ) {
    super(`${reason} at ${sheet}!${column}:${row}`);
  }
}

export class NotAWorkbook extends Error {}

/** A shared string longer than a cell may be: kept as its length only. */
interface TooLong {
  tooLong: number;
}

/** Built-in number formats that show dates (ECMA-376 §18.8.30, with the zh-CN ones). */
const BUILTIN_FORMATS: Record<number, string> = {
  14: 'yyyy/m/d',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'yyyy/m/d h:mm',
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"',
  35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

/** A number format that shows a date or time (quoted text and [..] sections do not count). */
function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhsb]/i.test(
    fmt
      .replace(/\[[^\]]*]/g, '')
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, ''),
  );
}

/** `AB12` → 28; 0 when the reference names no column. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
    if (col > 16_384) return 16_385;
  }
  return col;
}

/** Runs one part of the archive through a handler, yielding to other requests now and then. */
async function parsePart(
  zip: ZipArchive,
  name: string,
  handler: XmlHandler,
  chunkBytes?: number,
): Promise<boolean> {
  if (!zip.entries.has(name)) return false;
  const tokenizer = new XmlTokenizer(handler);
  let since = 0;
  for await (const text of zip.text(name, chunkBytes)) {
    tokenizer.write(text);
    since += text.length;
    if (since > 1 << 20) {
      since = 0;
      await new Promise((r) => setImmediate(r));
    }
  }
  tokenizer.end();
  return true;
}

/** A handler that only looks at some elements. */
const handler = (h: Partial<XmlHandler>): XmlHandler => ({
  open: () => undefined,
  close: () => undefined,
  text: () => undefined,
  ...h,
});

/** A zip that is no zip, or XML that is no XML: not a workbook, whatever part said so. */
function asWorkbookError(e: unknown): unknown {
  if ((e instanceof ArchiveRefused && e.problem === 'not_zip') || e instanceof XmlSyntaxError)
    return new NotAWorkbook(e.message);
  return e;
}

/** The archive's directory checked (entry count, declared sizes, ratios) without inflating anything. */
export function checkArchive(buffer: Buffer, caps: ArchiveCaps = DEFAULT_ARCHIVE_CAPS): void {
  try {
    ZipArchive.open(buffer, caps);
  } catch (e) {
    throw asWorkbookError(e);
  }
}

/**
 * Reads an uploaded .xlsx within bounds (docs/limits.md, docs/stack.md pitfalls 7, 13, 14). The archive is checked
 * before anything is parsed: entry count, each part's declared and actual size and compression
 * ratio. Parts are then read as streams through a UTF-8 decoder that joins characters split
 * between chunks; a cell's text is kept up to the cap, empty cells are never built, columns past
 * the cap are ignored, and reading stops at the first cap hit. Only the parts an import needs are
 * read (workbook, relationships, styles, shared strings, sheets), so whole-column data
 * validations and shared strings stored after the sheets cost nothing.
 */
export async function readWorkbook(
  buffer: Buffer,
  limits: { maxSheets: number; maxRows: number } & Partial<ReadCaps>,
  onRow?: (n: number) => void,
  options: { chunkBytes?: number } = {},
): Promise<InputSheet[]> {
  const caps: ReadCaps = { ...DEFAULT_READ_CAPS, ...limits };
  try {
    const zip = ZipArchive.open(buffer, caps.archive);
    await zip.verifySizes();
    return await readParts(zip, caps, onRow, options.chunkBytes);
  } catch (e) {
    throw asWorkbookError(e);
  }
}

/**
 * `base` + a relationship target: `/xl/a.xml` is absolute, `worksheets/s.xml` and `../x.xml`
 * relative to base's folder.
 */
function resolvePart(baseFolder: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = baseFolder ? baseFolder.split('/') : [];
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** A part's relationships: id → (type, resolved part name). */
async function relationships(
  zip: ZipArchive,
  part: string,
  chunkBytes: number | undefined,
): Promise<Map<string, { type: string; part: string }>> {
  const slash = part.lastIndexOf('/');
  const folder = slash < 0 ? '' : part.slice(0, slash);
  const name = part.slice(slash + 1);
  const out = new Map<string, { type: string; part: string }>();
  await parsePart(
    zip,
    `${folder ? `${folder}/` : ''}_rels/${name}.rels`,
    handler({
      open(tag, attrs) {
        if (tag === 'Relationship' && attr(attrs, 'TargetMode') !== 'External') {
          out.set(attr(attrs, 'Id') ?? '', {
            type: attr(attrs, 'Type') ?? '',
            part: resolvePart(folder, attr(attrs, 'Target') ?? ''),
          });
        }
      },
    }),
    chunkBytes,
  );
  return out;
}

async function readParts(
  zip: ZipArchive,
  caps: ReadCaps,
  onRow: ((n: number) => void) | undefined,
  chunkBytes: number | undefined,
): Promise<InputSheet[]> {
  // the workbook part: named by the package's relationships (xl/workbook.xml in every file seen so far)
  const root = await relationships(zip, '', chunkBytes);
  const workbookPart =
    [...root.values()].find((r) => r.type.endsWith('/officeDocument'))?.part ?? 'xl/workbook.xml';
  const workbookRels = await relationships(zip, workbookPart, chunkBytes);
  // workbook: sheet names in order, their relationship ids, the date system
  const sheetRefs: { name: string; rid: string }[] = [];
  let date1904 = false;
  const found = await parsePart(
    zip,
    workbookPart,
    handler({
      open(name, attrs) {
        if (name === 'sheet')
          sheetRefs.push({
            name: attr(attrs, 'name') ?? `Sheet${sheetRefs.length + 1}`,
            rid: attr(attrs, 'id') ?? '',
          });
        else if (name === 'workbookPr')
          date1904 = ['1', 'true'].includes(attr(attrs, 'date1904') ?? '');
      },
    }),
    chunkBytes,
  );
  if (!found) throw new NotAWorkbook(`no ${workbookPart}`);
  if (sheetRefs.length > caps.maxSheets) throw new WorkbookTooLarge('sheets', caps.maxSheets);
  const targets = new Map([...workbookRels].map(([id, r]) => [id, r.part]));
  const partOfType = (suffix: string, fallback: string) =>
    [...workbookRels.values()].find((r) => r.type.endsWith(suffix))?.part ?? fallback;

  // styles: which cell formats show dates
  const customFormats = new Map<number, string>();
  const cellFormats: number[] = [];
  let inCellXfs = false;
  await parsePart(
    zip,
    partOfType('/styles', 'xl/styles.xml'),
    handler({
      open(name, attrs) {
        if (name === 'numFmt')
          customFormats.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) {
          if (cellFormats.length >= 65_536) throw new WorkbookTooLarge('cells', 65_536);
          cellFormats.push(Number(attr(attrs, 'numFmtId') ?? 0));
        }
      },
      close(name) {
        if (name === 'cellXfs') inCellXfs = false;
      },
    }),
    chunkBytes,
  );
  const formatOf = (style: number): string | undefined => {
    const id = cellFormats[style];
    return id === undefined ? undefined : (customFormats.get(id) ?? BUILTIN_FORMATS[id]);
  };

  const shared = await sharedStrings(
    zip,
    partOfType('/sharedStrings', 'xl/sharedStrings.xml'),
    caps,
    chunkBytes,
  );

  const sheets: InputSheet[] = [];
  let cellsKept = 0;
  let inlineChars = 0;
  let rowsRead = 0;
  for (const ref of sheetRefs) {
    const sheet: InputSheet = { name: ref.name, rows: [] };
    sheets.push(sheet);
    const part = targets.get(ref.rid);
    if (!part) continue;
    let inData = false;
    let rowNo = 0;
    let cells: InputSheet['rows'][number]['cells'] | null = null;
    let col = 0;
    let type = '';
    let style = 0;
    let text = '';
    let textLength = 0;
    let where: 'v' | 'is' | null = null;
    let inIs = false;
    let phonetic = false;
    let keep = false;
    const refuse = (reason: CellRefused['reason'], limit: number) =>
      new CellRefused(reason, sheet.name, rowNo, col, limit);
    const append = (piece: string) => {
      textLength += piece.length;
      if (text.length <= caps.maxCellChars)
        text += piece.slice(0, caps.maxCellChars + 1 - text.length);
    };
    const finishCell = () => {
      if (!keep || !cells) return;
      if (textLength > caps.maxCellChars) throw refuse('too_long', caps.maxCellChars);
      let value: CellValue;
      if (type === 's') {
        const s = text === '' ? undefined : shared[Number(text)];
        if (s === undefined) value = { kind: 'error', value: `#共享字符串${text}缺失` };
        else if (typeof s !== 'string') throw refuse('too_long', caps.maxCellChars);
        else value = normalizeCell(s);
      } else if (type === 'inlineStr' || type === 'str') {
        inlineChars += textLength;
        if (inlineChars > caps.maxTextChars)
          throw new WorkbookTooLarge('text', caps.maxTextChars, sheet.name);
        value = normalizeCell(text);
      } else if (type === 'b') {
        value =
          text === ''
            ? { kind: 'empty' }
            : normalizeCell(text.trim() === '1' || text.trim() === 'true');
      } else if (type === 'e') {
        value = { kind: 'error', value: text };
      } else if (text.trim() === '') {
        value = { kind: 'empty' };
      } else if (type === 'd') {
        const d = new Date(text.trim());
        value = Number.isNaN(d.getTime())
          ? { kind: 'error', value: text }
          : { kind: 'date', value: d };
      } else {
        const n = Number(text);
        if (!Number.isFinite(n) || !/^\s*[-+]?[\d.]/.test(text))
          value = { kind: 'error', value: text };
        else if (isDateFormat(formatOf(style)))
          value = {
            kind: 'date',
            value: new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)),
          };
        else value = { kind: 'number', value: n };
      }
      if (value.kind === 'empty') return;
      if (value.kind === 'text' && value.value.includes('\uFFFD'))
        throw refuse('replacement_char', 0);
      if (++cellsKept > caps.maxCells)
        throw new WorkbookTooLarge('cells', caps.maxCells, sheet.name);
      cells[col - 1] = { value, numFmt: formatOf(style) };
    };
    await parsePart(
      zip,
      part,
      {
        open(name, attrs) {
          if (!inData) {
            if (name === 'sheetData') inData = true;
            return;
          }
          if (name === 'row') {
            const r = attr(attrs, 'r');
            rowNo = r ? Number(r) : rowNo + 1;
            cells = [];
            col = 0;
          } else if (name === 'c') {
            const r = attr(attrs, 'r');
            col = r ? columnOf(r) || col + 1 : col + 1;
            type = attr(attrs, 't') ?? '';
            style = Number(attr(attrs, 's') ?? 0);
            text = '';
            textLength = 0;
            keep = col <= caps.maxColumns;
          } else if (name === 'v') where = 'v';
          else if (name === 'is') inIs = true;
          else if (name === 'rPh') phonetic = true;
          else if (name === 't' && inIs && !phonetic) where = 'is';
        },
        text(piece) {
          if (where && keep) append(piece);
        },
        close(name) {
          if (!inData) return;
          if (name === 'v' || name === 't') where = null;
          else if (name === 'is') inIs = false;
          else if (name === 'rPh') phonetic = false;
          else if (name === 'c') finishCell();
          else if (name === 'row') {
            if (cells?.length) {
              if (sheet.rows.length >= caps.maxRows)
                throw new WorkbookTooLarge('rows', caps.maxRows, sheet.name);
              sheet.rows.push({ number: rowNo, cells });
              if (onRow && ++rowsRead % 500 === 0) onRow(rowsRead);
            }
            cells = null;
          } else if (name === 'sheetData') inData = false;
        },
      },
      chunkBytes,
    );
  }
  return sheets;
}

/** The shared strings table: rich-text runs joined, phonetic runs left out, each string capped. */
async function sharedStrings(
  zip: ZipArchive,
  part: string,
  caps: ReadCaps,
  chunkBytes: number | undefined,
): Promise<(string | TooLong)[]> {
  const out: (string | TooLong)[] = [];
  let current = '';
  let length = 0;
  let inT = false;
  let phonetic = false;
  let total = 0;
  await parsePart(
    zip,
    part,
    handler({
      open(name) {
        if (name === 'si') {
          current = '';
          length = 0;
        } else if (name === 't') inT = !phonetic;
        else if (name === 'rPh') phonetic = true;
      },
      text(piece) {
        if (!inT) return;
        length += piece.length;
        total += piece.length;
        if (total > caps.maxTextChars) throw new WorkbookTooLarge('text', caps.maxTextChars);
        if (current.length <= caps.maxCellChars)
          current += piece.slice(0, caps.maxCellChars + 1 - current.length);
      },
      close(name) {
        if (name === 't') inT = false;
        else if (name === 'rPh') phonetic = false;
        else if (name === 'si') {
          // each entry costs memory even when empty: count it against the same budget
          total += 16;
          if (total > caps.maxTextChars) throw new WorkbookTooLarge('text', caps.maxTextChars);
          out.push(length > caps.maxCellChars ? { tooLong: length } : current);
        }
      },
    }),
    chunkBytes,
  );
  return out;
}
