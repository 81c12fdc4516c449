import { Region } from '../regions/region.entity';
import {
  SubmissionDetailView,
  SubmissionEventView,
  SubmissionFileView,
  SubmissionView,
} from './dto/submission.view';
import { Submission, SubmissionEvent, SubmissionFile } from './submission.entities';
import {
  ListedStatus,
  SUBMISSION_ACTION_LABELS,
  SUBMISSION_STATUS_LABELS,
  SubmissionAction,
  SubmissionStatus,
} from './submission-types';

/** A region's month that has a submission. */
export function listView(s: Submission, r: Region): SubmissionView {
  const status = s.status as SubmissionStatus;
  return {
    id: s.id,
    regionId: s.regionId,
    regionName: r.name,
    month: s.month,
    status,
    statusLabel: SUBMISSION_STATUS_LABELS[status],
    version: s.version,
    dueOn: s.dueOn,
    submittedAt: s.submittedAt,
    firstSubmittedAt: s.firstSubmittedAt,
    approvedAt: s.approvedAt,
    lateDays: s.lateDays,
    forced: s.forced,
    sha256: s.fileSha256,
    seq: s.seq,
    submittedBy: s.submittedBy,
    approvedBy: s.approvedBy,
    returnReason: s.returnReason,
    returnedAt: s.returnedAt,
    returnCount: s.returnCount,
    parentRegionId: r.parentId,
    reminders: 0, // the list adds them (ReminderService.summary), the detail from its events
    lastRemindedAt: null,
  };
}

/** A region's month without a submission (未报送). */
export function notSubmittedView(r: Region, month: string, due: string): SubmissionView {
  return {
    id: null,
    regionId: r.id,
    regionName: r.name,
    month,
    status: 'not_submitted',
    statusLabel: SUBMISSION_STATUS_LABELS.not_submitted,
    version: 0,
    dueOn: due,
    submittedAt: null,
    firstSubmittedAt: null,
    approvedAt: null,
    lateDays: null,
    forced: false,
    sha256: null,
    seq: 0,
    submittedBy: null,
    approvedBy: null,
    returnReason: null,
    returnedAt: null,
    returnCount: 0,
    parentRegionId: r.parentId,
    reminders: 0,
    lastRemindedAt: null,
  };
}

export function eventView(e: SubmissionEvent): SubmissionEventView {
  const action = e.action as SubmissionAction;
  return {
    id: e.id,
    action,
    actionLabel: SUBMISSION_ACTION_LABELS[action] ?? e.action,
    fromStatus: e.fromStatus as ListedStatus | null,
    toStatus: e.toStatus as SubmissionStatus | null,
    actorId: e.actorId,
    actorName: e.actorName,
    at: e.at,
    comment: e.comment,
    version: e.version,
  };
}

function fileView(f: SubmissionFile): SubmissionFileView {
  return {
    seq: f.seq,
    sha256: f.sha256,
    sizeBytes: f.sizeBytes,
    submittedAt: f.submittedAt,
    submittedBy: f.submittedBy,
    forced: f.forced,
    forceNote: f.forceNote,
    note: f.note,
    url: `/api/submissions/${f.submissionId}/workbook?seq=${f.seq}`,
    snapshot: f.snapshot,
  };
}

export function detailView(
  s: Submission,
  r: Region,
  events: SubmissionEvent[],
  files: SubmissionFile[],
  can: { canWithdraw: boolean; canReview: boolean; canReopen: boolean },
): SubmissionDetailView {
  const reminders = events.filter((e) => e.action === 'remind' || e.action === 'auto_remind');
  return {
    ...listView(s, r),
    reminders: reminders.length,
    lastRemindedAt: reminders.at(-1)?.at ?? null,
    note: s.note,
    forceNote: s.forceNote,
    reviewerOpenedAt: s.reviewerOpenedAt,
    checks: s.checks,
    snapshot: s.snapshot,
    events: events.map(eventView),
    files: files.map(fileView),
    ...can,
  };
}
