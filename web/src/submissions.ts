/**
 * The monthly reporting cycle as the screens show it (月报报送, 审核, 首页): the API's calls, the
 * status tags, and what changed between two frozen versions. The words come from the one vocabulary
 * (or the API's own `statusLabel` / `actionLabel`).
 */
import { get, post, query } from './api';
import { actorText } from './audit-words';
import { dateTime } from './format';
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

/** A month's last day, 'YYYY-MM-DD' (数据截至 of its report). */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** When and by whom: "2026-12-02 12:01 · 陈建国（ln.jijian）" (either part left out when absent). */
export const whenWho = (
  at: string | null,
  username: string | null,
  displayName: string | null,
): string =>
  [dateTime(at), username ? actorText(username, displayName) : ''].filter(Boolean).join(' · ');

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

/**
 * What the comparison of two frozen versions covers beyond the figures, in words (与上一次报送相比):
 * 本月变动's row counts when they differ, and the sheets whose cells differ — or, for a version
 * frozen before sheets were digested, that the detail was not compared. null without a previous
 * version.
 */
export interface DetailComparison {
  /** Both versions carry every sheet's digest: the whole workbook was compared. */
  compared: boolean;
  /** 本月变动 12 → 13 条, 录入更正 2 → 3 条 (only those that differ). */
  counts: string[];
  /** The sheets whose cells differ (汇总, 本月变动 …), in the workbook's order. */
  sheets: string[];
}

export function detailSinceLast(detail: SubmissionDetail): DetailComparison | null {
  const files = detail.files;
  if (files.length < 2) return null;
  const before = files[files.length - 2].snapshot;
  const after = files[files.length - 1].snapshot;
  if (!before.sheets || !after.sheets) return { compared: false, counts: [], sheets: [] };
  const counts: string[] = [];
  const count = (label: string, x?: number, y?: number) => {
    if (x !== undefined && y !== undefined && x !== y) counts.push(`${label} ${x} → ${y} 条`);
  };
  count('本月变动', before.monthChanges, after.monthChanges);
  count('录入更正', before.corrections, after.corrections);
  const old = new Map(before.sheets.map((s) => [s.name, s.sha256]));
  const sheets = after.sheets.filter((s) => old.get(s.name) !== s.sha256).map((s) => s.name);
  for (const s of before.sheets)
    if (!after.sheets.some((a) => a.name === s.name)) sheets.push(s.name);
  return { compared: true, counts, sheets };
}

/** The comparison in one line: 汇总数字相同；本月变动 12 → 13 条；不同的表：本月变动、项目明细. */
export function comparisonText(figuresChanged: boolean, d: DetailComparison): string {
  const head = figuresChanged ? '汇总数字有变化，见下表' : '汇总数字相同';
  if (!d.compared) return `${head}（明细未比较）`;
  if (!d.sheets.length) return figuresChanged ? head : '与上一次报送的报表完全相同（各表逐格比较）';
  return [head, ...d.counts, `${d.sheets.length} 张表内容不同：${d.sheets.join('、')}`].join('；');
}
