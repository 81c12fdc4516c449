/**
 * The monthly reporting cycle as the screens show it (月报报送, 审核, 首页): the API's calls, the
 * status tags, and what changed between two frozen versions. The words come from the one vocabulary
 * (or the API's own `statusLabel` / `actionLabel`).
 */
import { get, post, query } from './api';
import type {
  Submission,
  SubmissionChecks,
  SubmissionDetail,
  SubmissionList,
  SubmissionSnapshot,
} from './api-types';
import { SUBMISSION_STATUS_LABELS as VOCAB_STATUSES } from '../../src/common/vocabulary';

export type { Submission, SubmissionChecks, SubmissionDetail };
export type SubmissionCheck = SubmissionChecks['items'][number];
export type SubmissionEvent = SubmissionDetail['events'][number];
export type SubmissionStatus = Submission['status'];

export const SUBMISSION_STATUS_LABELS: Record<string, string> = VOCAB_STATUSES;
/** The statuses in the order a list counts them. */
export const STATUS_ORDER = Object.keys(VOCAB_STATUSES) as SubmissionStatus[];
export const SUBMISSION_TAG: Record<string, 'info' | 'warning' | 'primary' | 'success' | 'danger'> =
  {
    not_submitted: 'info',
    submitted: 'primary',
    returned: 'danger',
    approved: 'success',
    withdrawn: 'warning',
  };

export const listSubmissions = (month: string) =>
  get<SubmissionList>(`/api/submissions${query({ month })}`).then((r) => r.items);
export const submissionDetail = (id: number) => get<SubmissionDetail>(`/api/submissions/${id}`);
export const submissionChecks = (month: string, regionId: number) =>
  get<SubmissionChecks>(`/api/submissions/checks${query({ month, regionId })}`);
export const submit = (body: { month: string; regionId: number; note?: string; force?: boolean }) =>
  post<Submission>('/api/submissions', body);
export const transition = (
  id: number,
  action: 'withdraw' | 'approve' | 'return' | 'reopen',
  body: { version: number; comment?: string; reason?: string },
) => post<Submission>(`/api/submissions/${id}/${action}`, body);
export const remind = (month: string, regionId: number) =>
  post<unknown>('/api/submissions/remind', { month, regionId });

/** The frozen workbook's address (GET: the file as submitted, never rendered again). */
export const workbookUrl = (id: number, seq?: number) =>
  `/api/submissions/${id}/workbook${query({ seq })}`;

/** 逾期 N 天 in words: blank when on time or not yet due. */
export const lateText = (days: number | null | undefined): string =>
  days ? `逾期 ${days} 天` : '';

/** One figure of a region in two frozen versions, as the server wrote them (no arithmetic here). */
export interface Change {
  region: string;
  label: string;
  before: string;
  after: string;
  money: boolean;
}
type SnapshotRegion = SubmissionSnapshot['regions'][number];
const FIGURES: { key: keyof SnapshotRegion; label: string; money: boolean }[] = [
  { key: 'projectTotal', label: '项目数', money: false },
  { key: 'budgetWan', label: '资金测算（万元）', money: true },
  { key: 'committedWan', label: '已落实（万元）', money: true },
  { key: 'arrivedWan', label: '已到位（万元）', money: true },
  { key: 'paidWan', label: '已支付（万元）', money: true },
  { key: 'gapWan', label: '资金缺口（万元）', money: true },
  { key: 'overdue', label: '逾期项目数', money: false },
];

/**
 * What changed from the previous submitted version to the current one: the figures whose stated
 * value differs (compared as the API's strings and counts), by region. null when there is no
 * previous version.
 */
export function changesSinceLast(
  detail: SubmissionDetail,
  statusLabels: Record<string, string>,
): Change[] | null {
  const files = detail.files;
  if (files.length < 2) return null;
  const before = files[files.length - 2].snapshot;
  const after = files[files.length - 1].snapshot;
  const out: Change[] = [];
  for (const a of after.regions) {
    const b = before.regions.find((r) => r.regionId === a.regionId);
    for (const f of FIGURES) {
      const x = b ? String(b[f.key] ?? '') : '';
      const y = String(a[f.key] ?? '');
      if (x !== y)
        out.push({ region: a.regionName, label: f.label, before: x, after: y, money: f.money });
    }
    for (const [status, n] of Object.entries(a.projects)) {
      const m = b?.projects[status] ?? 0;
      if (m !== n)
        out.push({
          region: a.regionName,
          label: `${statusLabels[status] ?? status}项目数`,
          before: String(m),
          after: String(n),
          money: false,
        });
    }
  }
  return out;
}
