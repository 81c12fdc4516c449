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
