/**
 * Figures as staff read them. Money arrives as exact decimal strings ("12345.60" 万元) and is
 * formatted from the string — never through a float — with thousands separators and two decimals.
 */
export function money(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v);
  if (!m) return v;
  const frac = ((m[3] ?? '') + '00').slice(0, 2);
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** The exact sum of 万元 decimal strings with two decimals ("1.50" + "2.25" → "3.75"), in fen, never floats. */
export function sumWan(values: string[]): string {
  const fen = values.reduce((s, v) => s + BigInt(v.replace('.', '')), 0n);
  const neg = fen < 0n;
  const abs = (neg ? -fen : fen).toString().padStart(3, '0');
  return `${neg ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined || n === 0 ? '' : n.toLocaleString('zh-CN');

/** 2024-08 → 2024年8月; a full date stays YYYY-MM-DD. */
export function plannedMonth(v: string | null | undefined): string {
  if (!v) return '';
  const m = /^(\d{4})-(\d{2})$/.exec(v);
  return m ? `${m[1]}年${Number(m[2])}月` : v;
}

/** A rate (0–1) as a percentage with one decimal: 0.4567 → 45.7%; blank when there is none. */
export const percent = (r: number | null | undefined): string =>
  r === null || r === undefined ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;

/** Today in Asia/Shanghai, YYYY-MM-DD (the server's "today"). */
export function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

const stamp = {
  minutes: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }),
  seconds: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }),
};
/** An instant as staff read it, in Shanghai: 2026-12-02 12:00 (with seconds: 12:00:05); blank for none. */
export const dateTime = (iso: string | null | undefined, seconds = false): string =>
  iso ? stamp[seconds ? 'seconds' : 'minutes'].format(new Date(iso)) : '';
