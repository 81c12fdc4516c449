import { daysBetween } from '../common/dates';
import {
  STATUS_LABELS as VOCAB_STATUS,
  PROJECT_KIND_LABELS as VOCAB_PROJECT_KINDS,
  STAGE_LABELS as VOCAB_STAGES,
} from '../common/vocabulary';
import { registerLabels } from '../common/labels';
import { MessageCode } from '../common/messages';
import {
  CLOSED_STATUSES,
  COMPLETED_STATUSES,
  COUNTED_STATUSES,
  ProjectStatus,
  STARTED_STATUSES,
} from './status-groups';

export {
  CLOSED_STATUSES,
  COMPLETED_STATUSES,
  COUNTED_STATUSES,
  PROJECT_STATUSES,
  REPORTING_STATUSES,
  STARTED_STATUSES,
} from './status-groups';
export type { ProjectStatus } from './status-groups';

export const STATUS_LABELS: Record<ProjectStatus, string> = registerLabels(VOCAB_STATUS);

export const PROJECT_KINDS = ['new_build', 'expansion', 'relocation', 'renovation'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export const PROJECT_KIND_LABELS: Record<ProjectKind, string> = registerLabels(VOCAB_PROJECT_KINDS);

export const STAGES = [
  'kindergarten',
  'primary',
  'juniorMiddle',
  'seniorSecondary',
  'specialEducation',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = registerLabels(VOCAB_STAGES);

/**
 * Which status may follow which (docs/domain.md): planned → preparing → under construction → completed
 * → in use, with suspended and cancelled on the side. Staying in the same status is always allowed
 * (a progress report that only moves the percentage). Completed and in-use projects do not go back;
 * cancelled is final.
 */
export const TRANSITIONS: Record<ProjectStatus, readonly ProjectStatus[]> = {
  planned: ['preparing', 'under_construction', 'suspended', 'cancelled'],
  preparing: ['planned', 'under_construction', 'suspended', 'cancelled'],
  under_construction: ['completed', 'suspended', 'cancelled'],
  completed: ['in_use'],
  in_use: [],
  suspended: ['planned', 'preparing', 'under_construction', 'cancelled'],
  cancelled: [],
};

// ---- status groups (the lists in status-groups.ts) and the overdue rule: defined once; their SQL
// twins (figures.sql.ts) are generated from them and tested to agree (figures-sql.spec /
// figures.service-spec) ------

export const isStarted = (s: ProjectStatus): boolean => STARTED_STATUSES.includes(s);
export const isCompleted = (s: ProjectStatus): boolean => COMPLETED_STATUSES.includes(s);
/** Not cancelled: the project counts in rates, seats, gaps and overdue counts (`COUNTED_STATUSES`). */
export const isCounted = (s: ProjectStatus): boolean => COUNTED_STATUSES.includes(s);

/**
 * The overdue rule (docs/alerts.md): the planned completion's due day (a month-precise date is due at the
 * month's end) is before `asOf`, and the project was not closed on that day.
 */
export function isOverdue(due: string | null, status: ProjectStatus, asOf: string): boolean {
  return due !== null && due < asOf && !CLOSED_STATUSES.includes(status);
}

/** Days past the due day when {@link isOverdue}, else null. */
export function daysOverdue(
  due: string | null,
  status: ProjectStatus,
  asOf: string,
): number | null {
  return due !== null && isOverdue(due, status, asOf) ? daysBetween(due, asOf) : null;
}

interface TransitionCheck {
  from: ProjectStatus;
  to: ProjectStatus;
  /** The actual completion date the project will have after the change. */
  actualCompletion: string | null;
}

/** One check for every status change. Returns the reason it is illegal, or null. */
export function checkTransition(c: TransitionCheck): { code: MessageCode; detail: string } | null {
  if (c.from !== c.to && !TRANSITIONS[c.from].includes(c.to)) {
    const allowed = TRANSITIONS[c.from].map((s) => STATUS_LABELS[s]).join('、') || '无';
    return {
      code: 'ILLEGAL_TRANSITION',
      detail: `不能从“${STATUS_LABELS[c.from]}”变更为“${STATUS_LABELS[c.to]}”（可变更为：${allowed}）`,
    };
  }
  if (COMPLETED_STATUSES.includes(c.to) && !c.actualCompletion) {
    return {
      code: 'ACTUAL_COMPLETION_REQUIRED',
      detail: `状态“${STATUS_LABELS[c.to]}”须有实际竣工日期`,
    };
  }
  return null;
}

/** The kind a name states in brackets, e.g. 民族高级中学（修缮改造） → renovation; else null. */
export function kindFromName(name: string): ProjectKind | null {
  const m = /[（(]([^（）()]*)[）)]\s*$/.exec(name);
  if (!m) return null;
  const tag = m[1];
  if (/修缮|改造|维修/.test(tag)) return 'renovation';
  if (/迁建/.test(tag)) return 'relocation';
  if (/扩建|改建|拆建/.test(tag)) return 'expansion';
  if (/新建/.test(tag)) return 'new_build';
  return null;
}
