import { displayWan } from '../../src/common/money-display';

/**
 * Figures as staff read them. Money arrives as exact decimal strings ("20500.125" 万元) and is shown
 * by the one rule the server's sheets and messages use too (src/common/money-display.ts): half up to
 * two decimals from the exact value, thousands separators — string work, never a float. The web does
 * no arithmetic on money: every sum and split it shows comes from the API.
 */
export const money = (v: string | null | undefined): string => displayWan(v);

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined || n === 0 ? '' : n.toLocaleString('zh-CN');

/** 2024-08 → 2024年8月; a full date stays YYYY-MM-DD. */
export function plannedMonth(v: string | null | undefined): string {
  if (!v) return '';
  const m = /^(\d{4})-(\d{2})$/.exec(v);
  return m ? `${m[1]}年${Number(m[2])}月` : v;
}

/** A rate (0–1) as a percentage with one decimal: 0.4567 → 45.7%; blank when there is none. */
export function percent(r: number | null | undefined): string {
  if (r === null || r === undefined) return '—';
  // tenths of a percent as an integer, then written out: no float formatting
  const tenths = Math.round(r * 1000);
  const a = Math.abs(tenths);
  return `${tenths < 0 ? '-' : ''}${Math.floor(a / 10)}.${a % 10}%`;
}

/** Percentage points to one decimal (12.34 → 12.3), unsigned: 落后 12.3 个百分点. */
export function points(d: number): string {
  const tenths = Math.round(Math.abs(d) * 10);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** Today in Asia/Shanghai, YYYY-MM-DD (the server's "today"). */
export function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

const stamp = {
  minutes: new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'short',
  }),
  seconds: new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'short',
    timeStyle: 'medium',
  }),
};
/** An instant as staff read it, in Shanghai: 2026-12-02 12:00 (with seconds: 12:00:05); blank for none. */
export const dateTime = (iso: string | null | undefined, seconds = false): string =>
  iso ? stamp[seconds ? 'seconds' : 'minutes'].format(new Date(iso)) : '';

/** The month before a YYYY-MM month: 2026-01 → 2025-12 (the month a report is due for). */
export function monthBefore(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
