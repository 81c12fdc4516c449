import type { Stage } from '../../projects/project-rules';
import type { ProjectStatus } from '../../projects/status-groups';
import { SummaryFigures } from '../../funding/summary.view';

/** The monthly report's rates (0–1 ratios; null when the base is zero). */
export class Rates {
  projects: number;
  startRateCount: number | null;
  startRateArea: number | null;
  completionRateCount: number | null;
  completionRateArea: number | null;
  investmentRate: number | null;
  fundsArrivalRate: number | null;
  spendingRate: number | null;
  scheduleCount: number | null;
  scheduleArea: number | null;
}

/** A project whose monthly progress report is due. */
export class DueReport {
  projectId: number;
  name: string;
  regionName: string;
  status: ProjectStatus;
  lastReportedOn: string | null;
  /** 35 days after the last report; null when the project never reported (due at once). */
  dueOn: string | null;
  /** Days past `dueOn` on the day (0 when not yet due). */
  daysLate: number;
}

/** The region the dashboard is about. */
export class DashboardRegion {
  id: number | null;
  name: string;
  level: string | null;
}

/** Seats of one stage: planned, under construction, delivered. */
export class StageSeats {
  stage: Stage;
  planned: number;
  underConstruction: number;
  delivered: number;
}

/** 红/黄/蓝 预警 counts. */
export class DashboardAlerts {
  red: number;
  yellow: number;
  blue: number;
}

/** The reports due: all counted, the first listed. */
export class DueReports {
  total: number;
  monthEnd: string;
  items: DueReport[];
}

/** A county in the ranking: its rates and overdue projects. */
export class CountyRates extends Rates {
  regionId: number;
  name: string;
  /** 排名 (1 = first); null for a county with no projects, listed last (its rates —). */
  rank: number | null;
  overdue: number;
  /**
   * 报送及时率 (0–1): of the months whose report fell due this year before the day, the share first
   * submitted by the due date (docs/domain.md); null while none has fallen due.
   */
  timelinessRate: number | null;
}

/** Child regions by the status of their month (every status listed, 0 included). */
export class SubmissionCounts {
  not_submitted: number;
  submitted: number;
  approved: number;
  returned: number;
  withdrawn: number;
  total: number;
}

/**
 * 本期月报 on 首页: the month being reported (the one before the day's month) and its due date; for a
 * county its own status, for a city or province its child regions counted by status.
 */
export class DashboardSubmission {
  /** `YYYY-MM`. */
  month: string;
  dueOn: string;
  /** The region's own month (a county): not_submitted, submitted, approved, returned, withdrawn. */
  status: string | null;
  /** Its first submission's days late, or the days since the due date while not submitted. */
  lateDays: number | null;
  firstSubmittedAt: string | null;
  /** For a city or province: its child regions' months by status; null for a county. */
  counts: SubmissionCounts | null;
}

/** `GET /api/dashboard` (首页): the programme as of a day. */
export class Dashboard {
  asOf: string;
  region: DashboardRegion;
  /** Projects in scope, cancelled ones included (they are left out of the rates). */
  projects: number;
  seats: StageSeats[];
  rates: Rates;
  /** 投资完成率 minus 序时进度 (by count), in percentage points to one decimal; null when either is. */
  investmentVsSchedule: number | null;
  /** 逾期: the projects overdue on the day; a project counts once, whatever its milestones. */
  overdue: number;
  /**
   * 红/黄/蓝 预警: alerts, not projects, by severity (today the standing alerts, as 预警中心's tabs
   * count them; another day the conditions of that day).
   */
  alerts: DashboardAlerts;
  /**
   * 资金 of the scope on the day: the sums `GET /api/funding/summary` gives as its total (测算, 已落实,
   * 已到位, 已支付, 缺口, 超出), added up exactly from the same per-project figures the rates read,
   * so 首页's money comes in the one answer (checked equal to the summary's on random data).
   */
  funds: SummaryFigures;
  dueReports: DueReports;
  counties: CountyRates[];
  /** 本期月报 for the scope's region; null for the whole database (no region). */
  submission: DashboardSubmission | null;
}

/** `GET /api/reports/calendar`: the server's business day and month. */
export class ReportCalendar {
  today: string;
  month: string;
}
