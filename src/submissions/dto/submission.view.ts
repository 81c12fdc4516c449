import { ReportSnapshot } from '../../reports/dto/report-snapshot.view';
import type { ListedStatus, SubmissionAction, SubmissionStatus } from '../submission-types';

/** One finding of the checks before submitting (in Chinese). */
export class SubmissionCheckView {
  /** error blocks the submission unless forced (强制报送); warning is shown only. */
  level: 'error' | 'warning';
  /** Stable code: NO_REPORT, PAID_OVER_ARRIVED, OVERDUE_WITHOUT_NOTE … */
  code: string;
  message: string;
  projectId: number | null;
  projectName: string | null;
  /** The project's 编号 (null when it has none, and for a region's finding). */
  projectCode: string | null;
  /** The project's 年度. */
  planYear: number | null;
  /** The project's region; for CHILD_NOT_APPROVED the child region (null in checks stored before). */
  regionId: number | null;
  regionName: string | null;
}

/** `GET /api/submissions/checks`: what the month's workbook would flag for the region. */
export class SubmissionChecksView {
  month: string;
  regionId: number;
  regionName: string;
  /** The last day of the month: the figures' date. */
  asOf: string;
  errors: number;
  warnings: number;
  items: SubmissionCheckView[];
}

/**
 * A region's month in the reporting cycle (`GET /api/submissions` lists one per region the caller may
 * submit or review; id null and status not_submitted when it has not been submitted).
 */
export class SubmissionView {
  /** null when not submitted. */
  id: number | null;
  regionId: number;
  regionName: string;
  /** 'YYYY-MM'. */
  month: string;
  status: ListedStatus;
  /** The status in words (未报送, 已报送（待审核）, 已通过, 已退回, 已撤回). */
  statusLabel: string;
  /** Optimistic lock: send it back with withdraw/approve/return/reopen (0 when not submitted). */
  version: number;
  /** 报送截止日. */
  dueOn: string;
  /** The latest submission's time; null when not submitted. */
  submittedAt: string | null;
  /** The first submission's time. */
  firstSubmittedAt: string | null;
  approvedAt: string | null;
  /** Days late of the first submission (0 on time); null when not submitted. */
  lateDays: number | null;
  /** 强制报送 (submitted with errors, with a 说明). */
  forced: boolean;
  /** SHA-256 of the frozen workbook (hex); null when not submitted. */
  sha256: string | null;
  /** 1 for the first submission, up at each resubmission; 0 when not submitted. */
  seq: number;
  /** 报送人's username (kept); the screens show 姓名（用户名） from the display name beside it. */
  submittedBy: string | null;
  /** 报送人's 姓名 (null when the user has none: show the username). */
  submittedByDisplayName: string | null;
  /** 审核人 (通过) username. */
  approvedBy: string | null;
  approvedByDisplayName: string | null;
  /** The latest return or reopening reason. */
  returnReason: string | null;
  returnedAt: string | null;
  /** Who returned or reopened it last (username). */
  returnedBy: string | null;
  returnedByDisplayName: string | null;
  /** 退回 and 重新打开 together (each sends the month back). */
  returnCount: number;
  /** Of returnCount, the 重新打开 (an approved month sent back): 退回 alone is the difference. */
  reopenCount: number;
  /** The parent region (the reviewing level). */
  parentRegionId: number | null;
  /** 催报 of this month so far (a reviewer's and the automatic ones; docs/domain.md). */
  reminders: number;
  /**
   * The 催报 that reached no one (the list; null in the detail, and when all were delivered):
   * `未送达：未设置通知渠道`, `已送达 1 次，1 次未送达：发送失败`.
   */
  remindersNote: string | null;
  /** The last 催报's time; null when none. */
  lastRemindedAt: string | null;
  /** Who sent the last 催报 (username; 'system' for an automatic one); null when none. */
  lastRemindedBy: string | null;
  /** Their 姓名 (null when none: show the username, 系统 for 'system'). */
  lastRemindedByDisplayName: string | null;
}

/** One thing that happened to a region's month (appended, never edited). */
export class SubmissionEventView {
  id: number;
  action: SubmissionAction;
  /** The action in words (报送, 撤回, 通过, 退回, 重新打开, 催报). */
  actionLabel: string;
  fromStatus: SubmissionStatus | 'not_submitted' | null;
  toStatus: SubmissionStatus | null;
  actorId: number | null;
  /** The actor's username ('system' for an automatic 催报). */
  actorName: string;
  /** The actor's 姓名 (null when none: show the username). */
  actorDisplayName: string | null;
  at: string;
  /** Reason (return, reopen), note (submit), reminder text (remind). */
  comment: string | null;
  version: number | null;
}

/** One frozen workbook (every (re)submission keeps its own). */
export class SubmissionFileView {
  seq: number;
  sha256: string;
  sizeBytes: number;
  submittedAt: string;
  submittedBy: string;
  submittedByDisplayName: string | null;
  forced: boolean;
  forceNote: string | null;
  note: string | null;
  /** `GET /api/submissions/:id/workbook?seq=` */
  url: string;
  snapshot: ReportSnapshot;
}

/** `GET /api/submissions/:id`: the submission, its events, the checks it was submitted with. */
export class SubmissionDetailView extends SubmissionView {
  /** The submitter's note (报送说明). */
  note: string | null;
  /** The 说明 of a forced submission (强制报送). */
  forceNote: string | null;
  reviewerOpenedAt: string | null;
  /** The checks of the current submission. */
  checks: SubmissionCheckView[];
  /** The figures of the current frozen workbook. */
  snapshot: ReportSnapshot;
  /** Oldest first. */
  events: SubmissionEventView[];
  /** Every frozen workbook, oldest first (the last one is the current). */
  files: SubmissionFileView[];
  /** The caller may withdraw / approve / return / reopen it now (the web's buttons). */
  canWithdraw: boolean;
  canReview: boolean;
  canReopen: boolean;
}

/** `GET /api/submissions`. */
export class SubmissionListView {
  month: string;
  /** 报送截止日 of the month. */
  dueOn: string;
  items: SubmissionView[];
}

/** `POST /api/submissions/remind` (202). */
export class RemindResultView {
  regionId: number;
  month: string;
  /** The event recorded. */
  eventId: number;
}
