/**
 * The project statuses and their groups, defined once: the server (through project-rules.ts, with
 * their SQL twins) and the web front end (web/src imports this file) use these lists. No imports, so
 * the web bundle takes only the lists.
 */
export const PROJECT_STATUSES = [
  'planned',
  'preparing',
  'under_construction',
  'completed',
  'in_use',
  'suspended',
  'cancelled',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** 已开工: construction has started (开工率 counts these). */
export const STARTED_STATUSES: readonly ProjectStatus[] = [
  'under_construction',
  'completed',
  'in_use',
];
/** 已竣工 (and in use): counts as delivered — seats delivered, 竣工率, the gap "completed" part. */
export const COMPLETED_STATUSES: readonly ProjectStatus[] = ['completed', 'in_use'];
/** Closed: finished or cancelled — such a project can no longer be late. */
export const CLOSED_STATUSES: readonly ProjectStatus[] = ['completed', 'in_use', 'cancelled'];
/** Active work that must report progress at least every 35 days. */
export const REPORTING_STATUSES: readonly ProjectStatus[] = ['preparing', 'under_construction'];
/**
 * Counted: every status but cancelled. A cancelled project is left out of the rates, the seats, the
 * gap, the overdue counts and the milestone alerts (`isCounted`, its SQL twin `statusInSql(…, 'counted')`).
 */
export const COUNTED_STATUSES: readonly ProjectStatus[] = PROJECT_STATUSES.filter(
  (s) => s !== 'cancelled',
);
