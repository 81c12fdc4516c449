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
  return dayNumber(to) - dayNumber(from);
}

/** The `YYYY-MM-DD` day `n` days after `day` (before it when negative). */
export function addDays(day: string, n: number): string {
  return dayOfNumber(dayNumber(day) + n);
}

/** The digits of a `YYYY-MM-DD` day at its places, or -1 when a place holds anything else. */
function digitsAt(s: string, places: readonly number[]): number {
  let n = 0;
  for (const i of places) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const [YEAR_PLACES, MONTH_PLACES, DAY_PLACES] = [
  [0, 1, 2, 3],
  [5, 6],
  [8, 9],
] as const;

const fallback = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);

/**
 * Days from 1970-01-01 to a `YYYY-MM-DD` day, by arithmetic on its digits (the proleptic Gregorian
 * calendar's day count, as `Date.UTC` gives it): the alert rules and 首页 ask for this hundreds of
 * thousands of times for a province, where `Date.parse` of a built string, or dayjs, was a tenth
 * of a past day's 首页. Anything else than four, two and two digits between dashes goes through
 * `Date.parse` (NaN for what is not a day).
 */
export function dayNumber(day: string): number {
  if (day.length !== 10 || day.charCodeAt(4) !== 45 || day.charCodeAt(7) !== 45)
    return fallback(day);
  let y = digitsAt(day, YEAR_PLACES);
  const m = digitsAt(day, MONTH_PLACES);
  const d = digitsAt(day, DAY_PLACES);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return fallback(day);
  // days_from_civil (H. Hinnant): years begin on 1 March, so the leap day ends a year
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The `YYYY-MM-DD` day of a day number ({@link dayNumber}'s inverse). */
export function dayOfNumber(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
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
