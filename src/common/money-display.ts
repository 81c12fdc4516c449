/**
 * How a 万元 amount is shown to people — on every screen, in every message and export text: rounded
 * half up to two decimals from the exact value, with thousands separators ("20500.125" →
 * "20,500.13"). A total is the exact sum (from the server) rounded once, here. Pure string and
 * BigInt work, never a binary float (docs/domain.md). No imports: the web bundle (web/src/format.ts) and
 * the server share this one rule.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal string of 万元 ("12345.6", "20500.125", "-3.005") shown as staff read it:
 * "12,345.60", "20,500.13", "-3.01" (half up, away from zero). Blank for null/undefined/"";
 * text that is not a decimal is returned unchanged.
 */
export function displayWan(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const frac = m[3] ?? '';
  // hundredths (fen of 万元 at two decimals), rounded half up on the third decimal
  let cents = BigInt(m[2]) * 100n + BigInt((frac + '00').slice(0, 2));
  if (frac.length > 2 && frac.charCodeAt(2) >= 53 /* '5' */) cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = m[1] && cents !== 0n ? '-' : '';
  return `${sign}${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/**
 * Integer fen (1 万元 = 1,000,000 fen, as money.ts stores it) shown the same way: 20500125000 →
 * "20,500.13".
 */
export function displayFen(fen: number | bigint | string): string {
  let v = BigInt(fen);
  const negative = v < 0n;
  if (negative) v = -v;
  const text = `${v / 1_000_000n}.${(v % 1_000_000n).toString().padStart(6, '0')}`;
  return displayWan(negative ? `-${text}` : text);
}

/** `displayFen` followed by the unit, for sentences: "资金缺口20,500.13万元". */
export const wanWords = (fen: number | bigint | string): string => `${displayFen(fen)}万元`;
