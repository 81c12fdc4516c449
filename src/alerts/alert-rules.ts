import { wanWords } from '../common/money-display';
import {
  ALERT_KIND_LABELS as VOCAB_ALERT_KINDS,
  SEVERITY_LABELS as VOCAB_SEVERITIES,
} from '../common/vocabulary';
import { registerLabels } from '../common/labels';
import { daysBetween } from '../common/dates';
import {
  daysOverdue,
  isCounted,
  ProjectStatus,
  REPORTING_STATUSES,
  STATUS_LABELS,
} from '../projects/project-rules';

export const ALERT_KINDS = [
  'project_overdue',
  'milestone_overdue',
  'milestone_due_soon',
  'stale_report',
  'no_progress',
  'funding_gap',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const SEVERITIES = ['blue', 'yellow', 'red'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_KIND_LABELS: Record<AlertKind, string> = registerLabels(VOCAB_ALERT_KINDS);
export const SEVERITY_LABELS: Record<Severity, string> = registerLabels(VOCAB_SEVERITIES);

/** Days and windows of docs/alerts.md. */
export const RULES = {
  dueSoonDays: 30,
  staleAfterDays: 35,
  fundingWindowDays: 90,
  yellowFromDays: 30,
  redFromDays: 90,
} as const;

export interface ProjectInput {
  id: number;
  name: string;
  regionId: number;
  regionName: string;
  /** Status as of the day. */
  status: ProjectStatus;
  plannedCompletion: string | null;
  plannedCompletionDue: string | null;
  /** Latest report on or before the day. */
  lastReportedOn: string | null;
  /** Latest report of each month on or before the day, oldest first. */
  monthly: { month: string; progressPercent: number }[];
  /** Funding gap as of the day, in fen. */
  gapFen: bigint;
  /** Owner to name for project-level alerts (the next open milestone's owner), if any. */
  owner: string | null;
}

export interface MilestoneInput {
  id: number;
  projectId: number;
  name: string;
  plannedDate: string;
  plannedDue: string;
  /** Reached on (only if on or before the day). */
  actualDate: string | null;
  owner: string | null;
}

export interface AlertCondition {
  kind: AlertKind;
  /** `project:7`, `milestone:12`: one open alert per (kind, subject). */
  subjectKey: string;
  projectId: number;
  milestoneId: number | null;
  regionId: number;
  severity: Severity;
  /** Days late; negative = days until due (due soon). */
  daysOverdue: number;
  owner: string | null;
  message: string;
}

/** 红黄蓝: blue from 1 day late (or due soon), yellow from 30, red from 90. */
export function severityForDays(days: number): Severity {
  if (days >= RULES.redFromDays) return 'red';
  if (days >= RULES.yellowFromDays) return 'yellow';
  return 'blue';
}

/** `2021-08` → 2021年8月; `2024-08-15` → 2024年8月15日. */
export function printedDate(d: string): string {
  const [y, m, day] = d.split('-');
  return day ? `${y}年${Number(m)}月${Number(day)}日` : `${y}年${Number(m)}月`;
}

function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + m;
}

/** What an alert is about: its project, milestone (or null), region and subject key. */
type Subject = Pick<AlertCondition, 'projectId' | 'milestoneId' | 'regionId' | 'subjectKey'>;

/**
 * An alert condition built as one object literal, its fields always in this order: V8 gives every
 * object made by spreading (`{ ...subject, kind }`) a hidden class of its own, which a province's
 * 24,000 alerts paid for with ~8 MB of heap and the time to build each class.
 */
function condition(
  s: Subject,
  kind: AlertKind,
  severity: Severity,
  daysOverdue: number,
  owner: string | null,
  message: string,
): AlertCondition {
  return {
    projectId: s.projectId,
    milestoneId: s.milestoneId,
    regionId: s.regionId,
    subjectKey: s.subjectKey,
    kind,
    severity,
    daysOverdue,
    owner,
    message,
  };
}

/**
 * Days a milestone is late on the day, null when it is not: reached on or before the day, not yet
 * past its due day, or of a project that no longer counts (cancelled). The one rule of the
 * 里程碑逾期 alert and of the monthly report's 逾期 milestones, so the two always agree.
 */
export function milestoneDaysOverdue(
  m: { plannedDue: string | null; actualDate: string | null },
  status: ProjectStatus,
  asOf: string,
): number | null {
  if (!isCounted(status) || !m.plannedDue || (m.actualDate && m.actualDate <= asOf)) return null;
  return m.plannedDue < asOf ? daysBetween(m.plannedDue, asOf) : null;
}

/**
 * Every alert condition as of a day (docs/alerts.md), from data already reduced to that day.
 * Pure: the scan, the API's live view and the tests all call this one function.
 */
export function evaluateAlerts(
  input: { projects: ProjectInput[]; milestones: MilestoneInput[] },
  asOf: string,
): AlertCondition[] {
  const out: AlertCondition[] = [];
  const byId = new Map(input.projects.map((p) => [p.id, p]));
  for (const p of input.projects) {
    const subject: Subject = {
      projectId: p.id,
      milestoneId: null,
      regionId: p.regionId,
      subjectKey: `project:${p.id}`,
    };
    // project overdue: the one overdue rule (project-rules.ts)
    const days = daysOverdue(p.plannedCompletionDue, p.status, asOf);
    if (p.plannedCompletionDue && days !== null) {
      out.push(
        condition(
          subject,
          'project_overdue',
          severityForDays(days),
          days,
          p.owner,
          `${p.regionName} ${p.name}：计划${printedDate(p.plannedCompletion ?? p.plannedCompletionDue)}完成，已逾期${days}天（当前状态：${STATUS_LABELS[p.status]}）`,
        ),
      );
    }
    // stale: an active project without a report for more than 35 days
    if (REPORTING_STATUSES.includes(p.status) && p.lastReportedOn) {
      const since = daysBetween(p.lastReportedOn, asOf);
      if (since > RULES.staleAfterDays) {
        const late = since - RULES.staleAfterDays;
        out.push(
          condition(
            subject,
            'stale_report',
            severityForDays(late),
            late,
            p.owner,
            `${p.regionName} ${p.name}：已${since}天未填报进展（最近填报${p.lastReportedOn}，应每${RULES.staleAfterDays}天内填报）`,
          ),
        );
      }
    }
    // no progress: under construction and physical progress did not rise across the last two
    // consecutive monthly reports (连续两个月无明显进展的标红) — red at once
    if (p.status === 'under_construction' && p.monthly.length >= 3) {
      const [a, b, c] = p.monthly.slice(-3);
      const consecutive =
        monthIndex(b.month) === monthIndex(a.month) + 1 &&
        monthIndex(c.month) === monthIndex(b.month) + 1;
      const current = monthIndex(asOf.slice(0, 7)) - monthIndex(c.month) <= 1;
      if (
        consecutive &&
        current &&
        b.progressPercent <= a.progressPercent &&
        c.progressPercent <= b.progressPercent &&
        c.progressPercent < 100
      ) {
        out.push(
          condition(
            subject,
            'no_progress',
            'red',
            0,
            p.owner,
            `${p.regionName} ${p.name}：连续两个月形象进度无增长（${a.month} ${a.progressPercent}% → ${b.month} ${b.progressPercent}% → ${c.month} ${c.progressPercent}%）`,
          ),
        );
      }
    }
    // funding: under construction, a gap, and completion planned within 90 days
    if (
      p.status === 'under_construction' &&
      p.gapFen > 0n &&
      p.plannedCompletionDue &&
      p.plannedCompletionDue >= asOf
    ) {
      const left = daysBetween(asOf, p.plannedCompletionDue);
      if (left <= RULES.fundingWindowDays) {
        out.push(
          condition(
            subject,
            'funding_gap',
            left <= RULES.dueSoonDays ? 'yellow' : 'blue',
            -left,
            p.owner,
            `${p.regionName} ${p.name}：计划${printedDate(p.plannedCompletion ?? p.plannedCompletionDue)}完成（还有${left}天），资金缺口${wanWords(p.gapFen)}`,
          ),
        );
      }
    }
  }
  for (const m of input.milestones) {
    const p = byId.get(m.projectId);
    if (!p || !isCounted(p.status) || (m.actualDate && m.actualDate <= asOf)) continue;
    const subject: Subject = {
      projectId: p.id,
      milestoneId: m.id,
      regionId: p.regionId,
      subjectKey: `milestone:${m.id}`,
    };
    const who = `责任人：${m.owner ?? '未指定'}`;
    const days = milestoneDaysOverdue(m, p.status, asOf);
    if (days !== null) {
      out.push(
        condition(
          subject,
          'milestone_overdue',
          severityForDays(days),
          days,
          m.owner,
          `${p.regionName} ${p.name}「${m.name}」：计划${printedDate(m.plannedDate)}完成，已逾期${days}天，${who}`,
        ),
      );
    } else {
      const left = daysBetween(asOf, m.plannedDue);
      if (left <= RULES.dueSoonDays) {
        out.push(
          condition(
            subject,
            'milestone_due_soon',
            'blue',
            -left,
            m.owner,
            `${p.regionName} ${p.name}「${m.name}」：将于${printedDate(m.plannedDate)}到期（还有${left}天），${who}`,
          ),
        );
      }
    }
  }
  return out;
}
