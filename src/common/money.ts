import { ValueTransformer } from 'typeorm';

/**
 * Exact decimal quantities stored as integers in a fixed minor unit.
 *
 * Money is 万元 stored as integer fen (1 万元 = 1,000,000 fen, so six decimals of 万元 = one fen);
 * floor area (m²) and land (亩) keep two decimals and are stored as integer hundredths.
 * Nothing here uses binary floating point: parsing is done on the decimal text, sums are integers
 * (BigInt where they might grow past 2^53), and formatting is string work. docs/domain.md, docs/stack.md pitfall 3.
 */
export interface DecimalScale {
  /** Number of decimal places kept. */
  readonly places: number;
  /** Minimum decimals printed when formatting (trailing zeros beyond it are trimmed). */
  readonly minPrinted: number;
  /** Largest value accepted, in minor units (docs/limits.md): so that every sum of accepted data stays exact. */
  readonly max: bigint;
}

/** One amount is at most 100,000,000 万元 (一万亿元): 10^14 fen, far inside 2^53. */
const MAX_WAN = 100_000_000n;
export const WAN: DecimalScale = { places: 6, minPrinted: 2, max: MAX_WAN * 1_000_000n };
/** Floor area and land: at most 100,000,000 m² / 亩 each. */
export const HUNDREDTHS: DecimalScale = { places: 2, minPrinted: 2, max: 100_000_000n * 100n };

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?$/;
const GROUPED_TEXT = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * Decimal text as people type it, in the one shape {@link parseDecimal} reads: full-width digits,
 * point, comma and minus (a Chinese input method) become ASCII, surrounding blanks go, and
 * thousands separators are dropped when they sit in correct groups of three ("1,200.50",
 * "１２００.５０", "１,２００．５０" → "1200.50"); "12,34" is left as it is, to be refused.
 */
function normaliseDecimalText(input: string): string {
  const text = input
    .trim()
    .replace(/[\uFF10-\uFF19\uFF0C\uFF0D\uFF0E]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) - 0xfee0),
    );
  return GROUPED_TEXT.test(text) ? text.replace(/,/g, '') : text;
}

type ParseFailure = 'not_decimal' | 'negative' | 'too_precise' | 'too_large';

/**
 * Parses a non-negative decimal given as a string or JSON number into integer minor units.
 * Accepts `"1330"`, `"1.2"`, `1234.57`, `"1,200.50"` and full-width `"１２００.５０"`
 * ({@link normaliseDecimalText}); rejects exponents, misplaced separators, signs, NaN and anything
 * with more decimals than the scale keeps. Returns a failure code instead of throwing.
 */
export function parseDecimal(
  input: unknown,
  scale: DecimalScale,
): { ok: true; value: number } | { ok: false; reason: ParseFailure } {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, reason: 'not_decimal' };
    // The shortest round-trip text of a JSON number is the digits the client wrote
    // (for up to 15 significant digits), so string work on it stays exact.
    text = String(input);
  } else if (typeof input === 'string') {
    text = normaliseDecimalText(input);
  } else {
    return { ok: false, reason: 'not_decimal' };
  }
  if (text.startsWith('-')) {
    return DECIMAL_TEXT.test(text.slice(1))
      ? { ok: false, reason: 'negative' }
      : { ok: false, reason: 'not_decimal' };
  }
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return { ok: false, reason: 'not_decimal' };
  const whole = m[1];
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > scale.places) return { ok: false, reason: 'too_precise' };
  const units =
    BigInt(whole) * 10n ** BigInt(scale.places) + BigInt(frac.padEnd(scale.places, '0') || '0');
  if (units > scale.max) return { ok: false, reason: 'too_large' };
  return { ok: true, value: Number(units) };
}

/** Like {@link parseDecimal} but throws; for trusted inputs such as seed files. */
export function toUnits(input: string | number, scale: DecimalScale): number {
  const r = parseDecimal(input, scale);
  if (!r.ok) throw new Error(`not an exact decimal (${r.reason}): ${String(input)}`);
  return r.value;
}

/** Formats integer minor units as a decimal string: 1330000000 fen → "1330.00". */
export function formatUnits(units: number | bigint | string, scale: DecimalScale): string {
  let v = BigInt(units);
  const negative = v < 0n;
  if (negative) v = -v;
  const base = 10n ** BigInt(scale.places);
  const whole = (v / base).toString();
  let frac = (v % base).toString().padStart(scale.places, '0').replace(/0+$/, '');
  frac = frac.padEnd(scale.minPrinted, '0');
  return `${negative ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

export const fenToWan = (fen: number | bigint | string): string => formatUnits(fen, WAN);
export const wanToFen = (wan: string | number): number => toUnits(wan, WAN);
export const formatHundredths = (v: number | bigint | string): string => formatUnits(v, HUNDREDTHS);

/** A 万元 decimal string (as this module formats it, sign allowed) back to fen, as BigInt: for sums past 2^53. */
export function wanTextToFen(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`not a 万元 amount: ${text}`);
  const v = BigInt(m[2]) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -v : v;
}

/** Same as formatUnits but passes null through (land may be unknown). */
export function formatNullable(v: number | null | undefined, scale: DecimalScale): string | null {
  return v === null || v === undefined ? null : formatUnits(v, scale);
}

/** Exact integer sum of minor units. */
export function sumUnits(values: Iterable<number | bigint | string | null | undefined>): bigint {
  let total = 0n;
  for (const v of values) if (v !== null && v !== undefined) total += BigInt(v);
  return total;
}

/**
 * Reads an integer column. PostgreSQL returns bigint as a string, SQLite as a number; both must
 * be exact safe integers or something upstream is wrong.
 */
function readInteger(raw: unknown): number {
  const n = typeof raw === 'string' ? Number(raw) : (raw as number);
  if (!Number.isSafeInteger(n))
    throw new Error(`integer column holds a non-integer: ${String(raw)}`);
  return n;
}

/** Column transformer for integer minor units (fen, hundredths). */
export const integerUnitsTransformer: ValueTransformer = {
  to: (v: number | null | undefined) => {
    if (v === null || v === undefined) return v;
    if (!Number.isSafeInteger(v)) throw new Error(`refusing to store a non-integer amount: ${v}`);
    return v;
  },
  from: (raw: unknown) => (raw === null || raw === undefined ? raw : readInteger(raw)),
};
