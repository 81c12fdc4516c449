import { Region } from '../regions/region.entity';
import {
  SubmissionCheckView,
  SubmissionDetailView,
  SubmissionEventView,
  SubmissionFileView,
  SubmissionView,
} from './dto/submission.view';
import { Submission, SubmissionEvent, SubmissionFile } from './submission.entities';
import { lateDays } from './due-date';
import {
  ListedStatus,
  SUBMISSION_ACTION_LABELS,
  SUBMISSION_STATUS_LABELS,
  SubmissionAction,
  SubmissionCheck,
  SubmissionStatus,
} from './submission-types';

/** 姓名 by username (src/users/display-names.ts): those who have one. */
export type Names = ReadonlyMap<string, string>;
const NO_NAMES: Names = new Map();
const nameOf = (names: Names, username: string | null) => (username && names.get(username)) ?? null;

/** The usernames a submission's views name (报送人, 审核人, 退回人). */
export const peopleOf = (s: Submission) =>
  [s.submittedBy, s.approvedBy, s.returnedBy].filter((u): u is string => !!u);

/** A region's month that has a submission. */
/** `reopens`: its 重新打开 events (counted by the caller: the list in one query, a detail from its events). */
export function listView(
  s: Submission,
  r: Region,
  names: Names = NO_NAMES,
  reopens = 0,
): SubmissionView {
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
    submittedByDisplayName: nameOf(names, s.submittedBy),
    approvedBy: s.approvedBy,
    approvedByDisplayName: nameOf(names, s.approvedBy),
    returnReason: s.returnReason,
    returnedAt: s.returnedAt,
    returnedBy: s.returnedBy,
    returnedByDisplayName: nameOf(names, s.returnedBy),
    returnCount: s.returnCount,
    reopenCount: reopens,
    parentRegionId: r.parentId,
    reminders: 0, // the list adds them (ReminderService.summary), the detail from its events
    remindersNote: null,
    lastRemindedAt: null,
    lastRemindedBy: null,
    lastRemindedByDisplayName: null,
  };
}

/** A region's month without a submission (未报送): late by the days past its due day so far. */
export function notSubmittedView(
  r: Region,
  month: string,
  due: string,
  today: string,
): SubmissionView {
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
    lateDays: lateDays(due, today),
    forced: false,
    sha256: null,
    seq: 0,
    submittedBy: null,
    submittedByDisplayName: null,
    approvedBy: null,
    approvedByDisplayName: null,
    returnReason: null,
    returnedAt: null,
    returnedBy: null,
    returnedByDisplayName: null,
    returnCount: 0,
    reopenCount: 0,
    parentRegionId: r.parentId,
    reminders: 0,
    remindersNote: null,
    lastRemindedAt: null,
    lastRemindedBy: null,
    lastRemindedByDisplayName: null,
  };
}

/** A check as stored (those of older submissions lack the project's 编号, 年度 and region). */
export function checkView(c: SubmissionCheck): SubmissionCheckView {
  return {
    ...c,
    projectCode: c.projectCode ?? null,
    planYear: c.planYear ?? null,
    regionId: c.regionId ?? null,
    regionName: c.regionName ?? null,
  };
}

export function eventView(e: SubmissionEvent, names: Names = NO_NAMES): SubmissionEventView {
  const action = e.action as SubmissionAction;
  return {
    id: e.id,
    action,
    actionLabel: SUBMISSION_ACTION_LABELS[action] ?? e.action,
    fromStatus: e.fromStatus as ListedStatus | null,
    toStatus: e.toStatus as SubmissionStatus | null,
    actorId: e.actorId,
    actorName: e.actorName,
    actorDisplayName: nameOf(names, e.actorName),
    at: e.at,
    comment: e.comment,
    version: e.version,
  };
}

function fileView(f: SubmissionFile, names: Names): SubmissionFileView {
  return {
    seq: f.seq,
    sha256: f.sha256,
    sizeBytes: f.sizeBytes,
    submittedAt: f.submittedAt,
    submittedBy: f.submittedBy,
    submittedByDisplayName: nameOf(names, f.submittedBy),
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
  names: Names = NO_NAMES,
): SubmissionDetailView {
  const reminders = events.filter((e) => e.action === 'remind' || e.action === 'auto_remind');
  return {
    ...listView(s, r, names, events.filter((e) => e.action === 'reopen').length),
    reminders: reminders.length,
    lastRemindedAt: reminders.at(-1)?.at ?? null,
    lastRemindedBy: reminders.at(-1)?.actorName ?? null,
    lastRemindedByDisplayName: nameOf(names, reminders.at(-1)?.actorName ?? null),
    note: s.note,
    forceNote: s.forceNote,
    reviewerOpenedAt: s.reviewerOpenedAt,
    checks: s.checks.map(checkView),
    snapshot: s.snapshot,
    events: events.map((e) => eventView(e, names)),
    files: files.map((f) => fileView(f, names)),
    ...can,
  };
}
