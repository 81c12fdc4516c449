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
 * What the rules found, before anything is written for it: the kind, the project, the milestone
 * (milestone kinds), the severity and the days late (negative: days left).
 */
type Found = (
  kind: AlertKind,
  p: ProjectInput,
  m: MilestoneInput | null,
  severity: Severity,
  daysOverdue: number,
) => void;

/**
 * The rules of docs/alerts.md as of a day, from data already reduced to that day: each condition
 * that holds is handed to `found`. Its message is written apart (`alertMessage`), so a count of
 * 红/黄/蓝 (首页 and its map, a past day's 24,000 conditions for a province) writes none.
 */
function applyRules(
  input: { projects: ProjectInput[]; milestones: MilestoneInput[] },
  asOf: string,
  found: Found,
): void {
  const byId = new Map<number, ProjectInput>();
  for (const p of input.projects) {
    byId.set(p.id, p);
    // project overdue: the one overdue rule (project-rules.ts)
    const days = daysOverdue(p.plannedCompletionDue, p.status, asOf);
    if (p.plannedCompletionDue && days !== null)
      found('project_overdue', p, null, severityForDays(days), days);
    // stale: an active project without a report for more than 35 days
    if (REPORTING_STATUSES.includes(p.status) && p.lastReportedOn) {
      const since = daysBetween(p.lastReportedOn, asOf);
      if (since > RULES.staleAfterDays) {
        const late = since - RULES.staleAfterDays;
        found('stale_report', p, null, severityForDays(late), late);
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
      )
        found('no_progress', p, null, 'red', 0);
    }
    // funding: under construction, a gap, and completion planned within 90 days
    if (
      p.status === 'under_construction' &&
      p.gapFen > 0n &&
      p.plannedCompletionDue &&
      p.plannedCompletionDue >= asOf
    ) {
      const left = daysBetween(asOf, p.plannedCompletionDue);
      if (left <= RULES.fundingWindowDays)
        found('funding_gap', p, null, left <= RULES.dueSoonDays ? 'yellow' : 'blue', -left);
    }
  }
  for (const m of input.milestones) {
    const p = byId.get(m.projectId);
    if (!p || !isCounted(p.status) || (m.actualDate && m.actualDate <= asOf)) continue;
    const days = milestoneDaysOverdue(m, p.status, asOf);
    if (days !== null) found('milestone_overdue', p, m, severityForDays(days), days);
    else {
      const left = daysBetween(asOf, m.plannedDue);
      if (left <= RULES.dueSoonDays) found('milestone_due_soon', p, m, 'blue', -left);
    }
  }
}

/** The message of a condition `applyRules` found (the days as it gave them). */
export function alertMessage(
  kind: AlertKind,
  p: ProjectInput,
  m: MilestoneInput | null,
  daysOverdue: number,
): string {
  const planned = () => printedDate(p.plannedCompletion ?? p.plannedCompletionDue ?? '');
  switch (kind) {
    case 'project_overdue':
      return `${p.regionName} ${p.name}：计划${planned()}完成，已逾期${daysOverdue}天（当前状态：${STATUS_LABELS[p.status]}）`;
    case 'stale_report':
      return `${p.regionName} ${p.name}：已${daysOverdue + RULES.staleAfterDays}天未填报进展（最近填报${p.lastReportedOn}，应每${RULES.staleAfterDays}天内填报）`;
    case 'no_progress': {
      const [a, b, c] = p.monthly.slice(-3);
      return `${p.regionName} ${p.name}：连续两个月形象进度无增长（${a.month} ${a.progressPercent}% → ${b.month} ${b.progressPercent}% → ${c.month} ${c.progressPercent}%）`;
    }
    case 'funding_gap':
      return `${p.regionName} ${p.name}：计划${planned()}完成（还有${-daysOverdue}天），资金缺口${wanWords(p.gapFen)}`;
    case 'milestone_overdue':
      return `${p.regionName} ${p.name}「${m!.name}」：计划${printedDate(m!.plannedDate)}完成，已逾期${daysOverdue}天，责任人：${m!.owner ?? '未指定'}`;
    case 'milestone_due_soon':
      return `${p.regionName} ${p.name}「${m!.name}」：将于${printedDate(m!.plannedDate)}到期（还有${-daysOverdue}天），责任人：${m!.owner ?? '未指定'}`;
  }
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
  applyRules(input, asOf, (kind, p, m, severity, daysOverdue) =>
    // one object literal, its fields always in this order: V8 gives every object made by
    // spreading a hidden class of its own (a province's 24,000 alerts paid ~8 MB of heap for it)
    out.push({
      projectId: p.id,
      milestoneId: m ? m.id : null,
      regionId: p.regionId,
      subjectKey: m ? `milestone:${m.id}` : `project:${p.id}`,
      kind,
      severity,
      daysOverdue,
      owner: m ? m.owner : p.owner,
      message: alertMessage(kind, p, m, daysOverdue),
    }),
  );
  return out;
}

/**
 * 红/黄/蓝 counts of each project with any condition as of a day: what `evaluateAlerts` finds,
 * counted, with no message written (首页 and its map count a past day's alerts this way).
 */
export function alertSeverities(
  input: { projects: ProjectInput[]; milestones: MilestoneInput[] },
  asOf: string,
): Map<number, Record<Severity, number>> {
  const out = new Map<number, Record<Severity, number>>();
  applyRules(input, asOf, (_kind, p, _m, severity) => {
    let c = out.get(p.id);
    if (!c) out.set(p.id, (c = { red: 0, yellow: 0, blue: 0 }));
    c[severity]++;
  });
  return out;
}
