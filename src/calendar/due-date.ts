/**
 * When a month's report is due (docs/domain.md, 报送期限): the `REPORT_DUE_DAY` (default 5) of the
 * next month, moved to the next working day past weekends and statutory holidays. Working days are
 * the State Council's calendar as `chinese-days` has it (holidays, and the make-up working days
 * 调休 — a Saturday that is worked counts as a working day), with the admin's overrides
 * (`work_calendar_override`, for a year whose notice is newer than the package) consulted first.
 * Pure: no clock, no database; the service (`WorkCalendarService`) supplies the overrides.
 */
import { isWorkday } from 'chinese-days';
import { daysBetween, dayjs, isCalendarMonth } from '../common/dates';

/** REPORT_DUE_DAY's default: 每月5日前. */
export const DEFAULT_REPORT_DUE_DAY = 5;

/** A day's worked-or-not set by an admin (`YYYY-MM-DD` → true = working day). */
export type CalendarOverrides = ReadonlyMap<string, boolean>;

const NO_OVERRIDES: CalendarOverrides = new Map();

export interface DueDateRules {
  /** The day of the next month the report is due (1–28). */
  dueDay?: number;
  overrides?: CalendarOverrides;
}

/** Whether `day` is worked: the admin's override, else the package's calendar (weekends otherwise). */
export function isWorkingDay(day: string, overrides: CalendarOverrides = NO_OVERRIDES): boolean {
  return overrides.get(day) ?? isWorkday(day);
}

/** The month after `month` (`2026-12` → `2027-01`). */
export function nextMonth(month: string): string {
  return dayjs.utc(`${month}-01`).add(1, 'month').format('YYYY-MM');
}

/**
 * The day month `month`'s report is due: the due day of the next month, or the first working day
 * after it when that is a weekend or holiday (2026-09 → 2026-10-08, past 国庆节 2026-10-01…07).
 */
export function dueOn(month: string, rules: DueDateRules = {}): string {
  if (!isCalendarMonth(month)) throw new Error(`not a month: ${month}`);
  const dueDay = rules.dueDay ?? DEFAULT_REPORT_DUE_DAY;
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 28)
    throw new Error(`REPORT_DUE_DAY out of range: ${dueDay}`);
  let day = dayjs.utc(`${nextMonth(month)}-${String(dueDay).padStart(2, '0')}`);
  // the longest run of days off is 9 (春节); 60 bounds a bad override that marks a season off
  for (let i = 0; i < 60; i++) {
    const s = day.format('YYYY-MM-DD');
    if (isWorkingDay(s, rules.overrides)) return s;
    day = day.add(1, 'day');
  }
  throw new Error(`no working day within 60 days of ${month}'s due day`);
}

/** Calendar days a report made on `submittedOn` is late for `due` (0 when on or before it). */
export function lateDays(due: string, submittedOn: string): number {
  return Math.max(0, daysBetween(due, submittedOn));
}

/** The months whose reports fall due in `year` (December before's is due in January). */
export function monthsDueIn(
  year: number,
  rules: DueDateRules = {},
): { month: string; due: string }[] {
  const months = [`${year - 1}-12`];
  for (let m = 1; m <= 11; m++) months.push(`${year}-${String(m).padStart(2, '0')}`);
  return months.map((month) => ({ month, due: dueOn(month, rules) }));
}

/** One region's month for 报送及时率: its due day and the first submission's days late (null: none). */
export interface MonthTimeliness {
  due: string;
  lateDays: number | null;
}

/**
 * 报送及时率 as of `asOf` (docs/domain.md): of the months whose due day has passed (before `asOf`),
 * the share first submitted on or before the due day; null when none has passed yet. A 0–1 ratio.
 */
export function timelinessRate(months: readonly MonthTimeliness[], asOf: string): number | null {
  const passed = months.filter((m) => m.due < asOf);
  if (!passed.length) return null;
  const onTime = passed.filter((m) => m.lateDays === 0);
  return Math.round((onTime.length / passed.length) * 1_000_000) / 1_000_000;
}
