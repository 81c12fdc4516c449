/** A day set by the admin. */
export class CalendarDayView {
  date: string;
  work: boolean;
  note: string | null;
}

/** A month's report and the day it is due. */
export class MonthDueView {
  /** `YYYY-MM`. */
  month: string;
  /** `YYYY-MM-DD`: REPORT_DUE_DAY of the next month, moved past days off. */
  dueOn: string;
}

/** `GET|PUT /api/admin/calendar/:year`. */
export class WorkCalendarView {
  year: number;
  /** REPORT_DUE_DAY. */
  dueDay: number;
  /** Whether the `chinese-days` package states the year's holidays (else only weekends are off). */
  packageCoversYear: boolean;
  /** The admin's overrides for the year, by date; they win over the package. */
  overrides: CalendarDayView[];
  /** The months whose reports fall due in the year (the December before … November), with the day. */
  dueDates: MonthDueView[];
}
