import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD` (rejects 2021-02-30, 2021-13-01). */
export function isCalendarDate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = DAY.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** True for a month written `YYYY-MM`. */
export function isCalendarMonth(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = MONTH.exec(v);
  if (!m) return false;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12;
}

/** A planned date may be day- or month-precise (docs/domain.md). */
export function isPlannedDate(v: unknown): boolean {
  return isCalendarDate(v) || isCalendarMonth(v);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The day a planned date falls due: a month-precise date (`2021-08`, printed 2021年8月) is due at
 * the end of that month (`2021-08-31`); a day-precise date is due that day.
 */
export function dueDate(planned: string): string {
  if (isCalendarDate(planned)) return planned;
  if (!isCalendarMonth(planned)) throw new Error(`not a planned date: ${planned}`);
  const [y, m] = planned.split('-').map(Number);
  return `${planned}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day of an instant in the business time zone (Asia/Shanghai by default). One
 * Intl formatter per zone, kept: dayjs's tz() builds one on every call, a quarter of a cached
 * list request's CPU.
 */
export function calendarDayIn(tz: string, instant: Date = new Date()): string {
  let f = dayFormats.get(tz);
  if (!f)
    dayFormats.set(
      tz,
      (f = new Intl.DateTimeFormat('en-CA', {
        timeZone: tz,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      })),
    );
  const parts = f.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
