/**
 * The key figures of a monthly report (src/reports/report-snapshot.ts computes them with the
 * workbook): the response shape of a frozen submission's `snapshot` too (src/submissions imports it).
 */

/** The key figures of one region in a monthly report (money: exact 万元 strings). */
export class ReportSnapshotRegion {
  regionId: number;
  regionName: string;
  /** Project counts by status, every status listed (0 included). */
  projects: Record<string, number>;
  projectTotal: number;
  /** 资金测算 (未测算 projects left out, as in the report's totals) */
  budgetWan: string;
  /** 已落实 */
  committedWan: string;
  /** 已到位 */
  arrivedWan: string;
  /** 已支付 */
  paidWan: string;
  /** 缺口 */
  gapWan: string;
  /** Projects past their planned completion (项目逾期). */
  overdue: number;
}

/** One sheet of the written workbook, in brief (src/reports/sheet-digest.ts). */
export class ReportSheetDigest {
  /** The sheet's name: 汇总, 本月变动 … */
  name: string;
  /** Rows written (frame, headers, body, legend). */
  rows: number;
  /** SHA-256 (hex) of every cell's value in order, 生成时间 left out: equal digests, equal sheets. */
  sha256: string;
}

/**
 * What a month's report shows, in brief: the report's region first, then each county in it; and,
 * in snapshots frozen since the walk-through, 本月变动's row counts and a digest of every sheet (older
 * snapshots lack them: only their figures can be compared).
 */
export class ReportSnapshot {
  month: string;
  asOf: string;
  regions: ReportSnapshotRegion[];
  /** 本月变动's rows of the month's own dates (progress reports, status changes, payments …). */
  monthChanges?: number;
  /** 本月变动's 录入更正 rows (this month's edits from the audit log). */
  corrections?: number;
  /** Every sheet of the frozen workbook, in its order. */
  sheets?: ReportSheetDigest[];
}
