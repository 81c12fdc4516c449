import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Readable } from 'node:stream';
import { CellValue, normalizeCell } from './cells';
import type { InputSheet } from '../imports/plan-table.parser';

export class WorkbookTooLarge extends Error {
  constructor(readonly what: 'sheets' | 'rows', readonly limit: number, readonly sheet?: string) {
    super(`${what} over ${limit}`);
  }
}

export class NotAWorkbook extends Error {}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeXml = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (XML_ENTITIES[e] ?? m),
  );

/** The shared strings table, read directly from the zip (for files that store it after the sheets). */
async function sharedStrings(buffer: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(buffer);
  const file = zip.file('xl/sharedStrings.xml');
  if (!file) return [];
  const xml = await file.async('string');
  const out: string[] = [];
  for (const si of xml.match(/<si>[\s\S]*?<\/si>|<si\/>/g) ?? []) {
    // rich text runs (<r><t>…</t></r>) are concatenated; phonetic runs (<rPh>) are not text
    const body = si.replace(/<rPh[\s\S]*?<\/rPh>/g, '');
    out.push([...body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decodeXml(m[1])).join(''));
  }
  return out;
}

/**
 * Reads an uploaded .xlsx with exceljs's streaming reader (STACK pitfall 7: the in-memory loader
 * hangs on whole-column data validations), with caps on sheets and rows. When the zip stores a
 * sheet before its shared strings, the reader yields `{ sharedString: n }`; those are resolved from
 * the shared strings table read separately.
 */
export async function readWorkbook(buffer: Buffer, caps: { maxSheets: number; maxRows: number }, onRow?: (n: number) => void): Promise<InputSheet[]> {
  const sheets: InputSheet[] = [];
  let sawSharedRefs = false;
  let total = 0;
  // Over a cap, the rest is read but not kept: stopping a streaming read half-way races with the
  // unzip stream's own teardown, and the upload size is capped already.
  let over: WorkbookTooLarge | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
      sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore', entries: 'emit',
    });
    for await (const ws of reader) {
      const w = ws as unknown as { name: string; [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row> };
      if (!over && sheets.length >= caps.maxSheets) over = new WorkbookTooLarge('sheets', caps.maxSheets);
      const sheet: InputSheet = { name: w.name ?? `Sheet${sheets.length + 1}`, rows: [] };
      if (!over) sheets.push(sheet);
      for await (const row of w) {
        if (over) continue;
        if (sheet.rows.length >= caps.maxRows) {
          over = new WorkbookTooLarge('rows', caps.maxRows, sheet.name);
          continue;
        }
        const cells: { value: CellValue; numFmt?: string }[] = [];
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          const value = normalizeCell(cell.value);
          if (value.kind === 'sharedString') sawSharedRefs = true;
          cells[col - 1] = { value, numFmt: cell.numFmt ?? undefined };
        });
        for (let i = 0; i < cells.length; i++) cells[i] ??= { value: { kind: 'empty' } };
        sheet.rows.push({ number: row.number, cells });
        if (onRow && ++total % 500 === 0) onRow(total);
      }
    }
  } catch (e) {
    throw new NotAWorkbook(e instanceof Error ? e.message : String(e));
  }
  if (over) throw over;
  if (sawSharedRefs) {
    const strings = await sharedStrings(buffer);
    for (const s of sheets)
      for (const r of s.rows)
        for (const c of r.cells)
          if (c.value.kind === 'sharedString') {
            const text = strings[c.value.index];
            c.value = text === undefined ? { kind: 'error', value: `#共享字符串${c.value.index}缺失` } : normalizeCell(text);
          }
  }
  return sheets;
}
