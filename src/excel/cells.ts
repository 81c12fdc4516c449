import { daysInMonth } from '../common/dates';

/**
 * Every shape an imported cell comes in (docs/stack.md pitfall 10), reduced to text or a number or a
 * date, in one place: numbers, strings, Dates, `{ richText }`, `{ formula, result }`,
 * `{ sharedFormula, result }`, `{ hyperlink, text }`, `{ error }`, and `{ sharedString }` which the
 * streaming reader gives when the sheet is stored before the shared strings (pitfall 7).
 */
export type CellValue =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'text'; value: string }
  | { kind: 'date'; value: Date }
  | { kind: 'error'; value: string }
  | { kind: 'sharedString'; index: number };

export function normalizeCell(raw: unknown): CellValue {
  if (raw === null || raw === undefined) return { kind: 'empty' };
  if (typeof raw === 'number')
    return Number.isFinite(raw)
      ? { kind: 'number', value: raw }
      : { kind: 'error', value: String(raw) };
  if (typeof raw === 'string')
    return raw.trim() === '' ? { kind: 'empty' } : { kind: 'text', value: raw.trim() };
  if (typeof raw === 'boolean') return { kind: 'text', value: raw ? '是' : '否' };
  if (raw instanceof Date) return { kind: 'date', value: raw };
  if (typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return normalizeCell((o.richText as { text: string }[]).map((r) => r.text).join(''));
    if ('formula' in o || 'sharedFormula' in o) return normalizeCell(o.result);
    if ('hyperlink' in o || 'text' in o) return normalizeCell(o.text);
    if ('error' in o) return { kind: 'error', value: String(o.error) };
    if ('sharedString' in o) return { kind: 'sharedString', index: Number(o.sharedString) };
  }
  return { kind: 'text', value: String(raw) };
}

/** Header text for matching: no white space, no bracketed notes or units, no colon. */
export function headerKey(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/[（(][^（）()]*[）)]/g, '')
    .replace(/[：:]/g, '');
}

/** The unit a header states in brackets, if any: 资金测算（万元） → 万元. */
export function headerUnit(text: string): string | null {
  const m = /[（(]([^（）()]*)[）)]\s*$/.exec(text.replace(/\s+/g, ''));
  return m ? m[1] : null;
}

/**
 * Decimal text from a cell: numbers as their shortest text, text with correct thousands
 * separators accepted (1,330 or 1,234.56), anything else returned as-is for the caller to reject.
 */
export function decimalText(v: CellValue): string | null {
  if (v.kind === 'empty') return null;
  if (v.kind === 'number') return numberText(v.value);
  if (v.kind === 'text') {
    const t = v.value.replace(/\s+/g, '');
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return t.replace(/,/g, '');
    return t;
  }
  return v.kind === 'date' ? v.value.toISOString() : v.kind === 'error' ? v.value : `#${v.index}`;
}

/** The decimal digits a spreadsheet number stands for (no exponent for ordinary magnitudes). */
function numberText(n: number): string {
  if (Number.isInteger(n))
    return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 0 });
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** Excel's day 0 is 1899-12-30 (with the 1900 leap-year bug folded in). */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 109_574) return null; // 1900-01-01 … 2199-12-31
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A planned date as staff write it: 2021年8月, 2021.8, 2021-08, 2021/8, 2021年8月15日, 2021-08-15,
 * a real Excel date (day-precise unless its format shows no day), or a date serial number.
 * Returns `YYYY-MM` or `YYYY-MM-DD`, or a reason it is not a date.
 */
export function parsePlannedDate(
  v: CellValue,
  numFmt?: string,
): { ok: true; value: string } | { ok: false; reason: 'bad_month' | 'bad_day' | 'not_date' } {
  const fmtHasDay = (f?: string) => !f || /d/i.test(f.replace(/\[[^\]]*\]/g, ''));
  if (v.kind === 'date') {
    // exceljs builds dates as UTC midnight of the cell's day (docs/stack.md pitfall 6): read them back as UTC
    const iso = v.value.toISOString().slice(0, 10);
    return { ok: true, value: fmtHasDay(numFmt) ? iso : iso.slice(0, 7) };
  }
  if (v.kind === 'number') {
    if (Number.isInteger(v.value) && v.value > 20_000) {
      const iso = excelSerialToIso(v.value);
      if (iso) return { ok: true, value: fmtHasDay(numFmt) ? iso : iso.slice(0, 7) };
    }
    // 2021.8 typed as a number
    const m = /^(\d{4})\.(\d{1,2})$/.exec(numberText(v.value));
    if (m) return ym(Number(m[1]), Number(m[2]));
    return { ok: false, reason: 'not_date' };
  }
  if (v.kind !== 'text') return { ok: false, reason: 'not_date' };
  const t = v.value.replace(/\s+/g, '');
  let m = /^(\d{4})(?:年|\.|-|\/)(\d{1,2})(?:月)?$/.exec(t);
  if (m) return ym(Number(m[1]), Number(m[2]));
  m = /^(\d{4})(?:年|\.|-|\/)(\d{1,2})(?:月|\.|-|\/)(\d{1,2})(?:日)?$/.exec(t);
  if (m) {
    const r = ym(Number(m[1]), Number(m[2]));
    if (!r.ok) return r;
    const d = Number(m[3]);
    if (d < 1 || d > daysInMonth(Number(m[1]), Number(m[2])))
      return { ok: false, reason: 'bad_day' };
    return { ok: true, value: `${r.value}-${String(d).padStart(2, '0')}` };
  }
  return { ok: false, reason: 'not_date' };
}

function ym(
  y: number,
  mo: number,
): { ok: true; value: string } | { ok: false; reason: 'bad_month' } {
  if (mo < 1 || mo > 12 || y < 1900 || y > 2200) return { ok: false, reason: 'bad_month' };
  return { ok: true, value: `${y}-${String(mo).padStart(2, '0')}` };
}

/** `2021-08` → 2021年8月, `2021-08-15` → 2021年8月15日: how the plans print dates. */
export function printedPlannedDate(d: string): string {
  const [y, m, day] = d.split('-');
  return day ? `${y}年${Number(m)}月${Number(day)}日` : `${y}年${Number(m)}月`;
}

/** Display width of text, CJK counted double, for fitted column widths. */
export function textWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // a character beyond the BMP (a surrogate pair) counts as one wide character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    w += c >= 0x2e80 && c <= 0xffef ? 2 : 1;
  }
  return w;
}
