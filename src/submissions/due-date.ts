/**
 * 报送截止日 (docs/domain.md, 报送期限): the rule lives in the reporting calendar
 * (src/calendar/due-date.ts, pure; `dueOn(month)` alone applies the default REPORT_DUE_DAY and the
 * package's holidays). Services take the configured day and the admin's overrides through
 * `WorkCalendar` (`await calendar.dueOn(month)`, `calendar.rules()`); days late are `lateDays(due, day)`.
 */
export { dueOn, lateDays } from '../calendar/due-date';
