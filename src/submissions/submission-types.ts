import {
  SUBMISSION_ACTION_LABELS as VOCAB_ACTIONS,
  SUBMISSION_STATUS_LABELS as VOCAB_STATUSES,
} from '../common/vocabulary';
import { registerLabels } from '../common/labels';
import { LOCKING_SUBMISSION_STATUSES } from '../projects/period-lock';
import type { ReportSnapshot, ReportSnapshotRegion } from '../reports/report-snapshot';

/** The stored statuses of a submission. */
export const SUBMISSION_STATUSES = ['submitted', 'approved', 'returned', 'withdrawn'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
/** What the list shows: a stored status, or not_submitted for a region without a submission. */
export const LISTED_STATUSES = ['not_submitted', ...SUBMISSION_STATUSES] as const;
export type ListedStatus = (typeof LISTED_STATUSES)[number];

export const SUBMISSION_STATUS_LABELS: Record<ListedStatus, string> =
  registerLabels(VOCAB_STATUSES);

export const SUBMISSION_ACTIONS = [
  'submit',
  'withdraw',
  'approve',
  'return',
  'reopen',
  'remind',
  'auto_remind',
] as const;
export type SubmissionAction = (typeof SUBMISSION_ACTIONS)[number];
export const SUBMISSION_ACTION_LABELS: Record<SubmissionAction, string> = VOCAB_ACTIONS;

/**
 * The state machine (docs/domain.md): action × from → to. The migration seeds table
 * `submission_transition` with exactly these rows and the service moves a submission only along a
 * row it reads there (a spec checks the two agree). `not_submitted` is the first submission's from.
 */
export const SUBMISSION_TRANSITIONS: readonly {
  action: Exclude<SubmissionAction, 'remind' | 'auto_remind'>;
  from: ListedStatus;
  to: SubmissionStatus;
}[] = [
  { action: 'submit', from: 'not_submitted', to: 'submitted' },
  { action: 'submit', from: 'returned', to: 'submitted' },
  { action: 'submit', from: 'withdrawn', to: 'submitted' },
  { action: 'withdraw', from: 'submitted', to: 'withdrawn' },
  { action: 'approve', from: 'submitted', to: 'approved' },
  { action: 'return', from: 'submitted', to: 'returned' },
  { action: 'reopen', from: 'approved', to: 'returned' },
];

/** The statuses that lock a month's business dates (docs/domain.md "The lock"). */
export const LOCKING_STATUSES: readonly SubmissionStatus[] = LOCKING_SUBMISSION_STATUSES;

/** One finding of the checks before submitting. */
export interface SubmissionCheck {
  /** error blocks (unless forced, 强制报送); warning is shown only. */
  level: 'error' | 'warning';
  /** Stable code, e.g. NO_REPORT, PAID_OVER_ARRIVED, OVERDUE_WITHOUT_NOTE. */
  code: string;
  /** In Chinese. */
  message: string;
  projectId: number | null;
  projectName: string | null;
  /** The project's 编号 (null when it has none, or for a region's finding). */
  projectCode?: string | null;
  /** The project's 年度 (planYear). */
  planYear?: number | null;
  /** The project's region, or the child region of CHILD_NOT_APPROVED. */
  regionId?: number | null;
  regionName?: string | null;
}

/** The key figures the frozen workbook shows (computed with it: src/reports/report-snapshot.ts). */
export type SubmissionSnapshot = ReportSnapshot;
export type SnapshotRegion = ReportSnapshotRegion;
