/**
 * The alerts' state machine: given the conditions the rules find as of a day and the stored alerts
 * of the same projects (or region), which alerts to open, re-open, escalate, move on (days,
 * message, owner, severity), leave alone or resolve. Pure: `AlertsService` reads the stored rows,
 * calls `reconcileAlerts` and writes what it returns in bulk; checked in alert-reconcile.spec.ts.
 */
import type { Alert } from './alert.entities';
import { AlertCondition, SEVERITIES } from './alert-rules';

/** What the state machine reads of a stored alert. */
export type StoredAlert = Pick<
  Alert,
  | 'id'
  | 'kind'
  | 'subjectKey'
  | 'state'
  | 'severity'
  | 'daysOverdue'
  | 'message'
  | 'owner'
  | 'stateVersion'
  | 'lastScannedOn'
>;

/** A stored alert that (re)opens: re-opened after it was resolved, or escalated (severity rose). */
interface StateChange<A extends StoredAlert> {
  alert: A;
  next: Partial<Alert>;
}

/** An alert that stays as it is (open or acknowledged) but whose days, wording or owner moved on. */
interface MovedOn {
  id: number;
  daysOverdue: number;
  message: string;
  owner: string | null;
  severity: Alert['severity'];
}

interface ReconcileCounts {
  opened: number;
  reopened: number;
  escalated: number;
  updated: number;
  resolved: number;
  unchanged: number;
}

interface Reconciled<A extends StoredAlert> {
  /** Re-opened and escalated alerts, in the conditions' order: one notification each. */
  changed: StateChange<A>[];
  /** Updated alerts, and unchanged ones not yet marked as scanned on the day (their values as stored). */
  moved: MovedOn[];
  /** Conditions without a stored alert: to open (one notification each). */
  fresh: AlertCondition[];
  /** Ids of stored alerts, not yet resolved, whose condition is gone: to resolve. */
  cleared: number[];
  counts: ReconcileCounts;
}

/** The one key of an alert and of its condition: one alert per (kind, subject). */
const alertKey = (a: { kind: string; subjectKey: string }): string => `${a.kind}|${a.subjectKey}`;

/**
 * Reconciles `existing` alerts with the `conditions` of the day `asOf` (`now` stamps the (re)opened
 * ones). A resolved alert whose condition returns re-opens (unacknowledged); a rise in severity is
 * news again, even for an acknowledged alert (escalated, open); otherwise an alert keeps its state
 * and only its days, message, owner and severity follow (updated), or nothing changed (unchanged).
 * A condition without an alert opens one; an alert without its condition is resolved.
 */
export function reconcileAlerts<A extends StoredAlert>(
  conditions: readonly AlertCondition[],
  existing: readonly A[],
  asOf: string,
  now: string,
): Reconciled<A> {
  const stored = new Map(existing.map((a) => [alertKey(a), a]));
  const counts: ReconcileCounts = {
    opened: 0,
    reopened: 0,
    escalated: 0,
    updated: 0,
    resolved: 0,
    unchanged: 0,
  };
  const changed: StateChange<A>[] = [];
  const moved: MovedOn[] = [];
  const fresh: AlertCondition[] = [];
  const seen = new Set<string>();
  for (const c of conditions) {
    const key = alertKey(c);
    seen.add(key);
    const a = stored.get(key);
    if (!a) {
      fresh.push(c);
      continue;
    }
    const fields = {
      severity: c.severity,
      daysOverdue: c.daysOverdue,
      message: c.message,
      owner: c.owner,
      regionId: c.regionId,
      projectId: c.projectId,
      milestoneId: c.milestoneId,
      lastScannedOn: asOf,
    };
    if (a.state === 'resolved') {
      changed.push({
        alert: a,
        next: {
          ...fields,
          state: 'open',
          stateVersion: a.stateVersion + 1,
          openedAt: now,
          resolvedAt: null,
          acknowledgedAt: null,
          acknowledgedBy: null,
          ackNote: null,
        },
      });
      counts.reopened++;
    } else if (SEVERITIES.indexOf(c.severity) > SEVERITIES.indexOf(a.severity)) {
      // a rise in severity is news again, even for an acknowledged alert
      changed.push({
        alert: a,
        next: {
          ...fields,
          state: 'open',
          stateVersion: a.stateVersion + 1,
          acknowledgedAt: null,
          acknowledgedBy: null,
          ackNote: null,
        },
      });
      counts.escalated++;
    } else if (
      a.daysOverdue === c.daysOverdue &&
      a.severity === c.severity &&
      a.message === c.message &&
      a.owner === c.owner
    ) {
      counts.unchanged++;
      if (a.lastScannedOn !== asOf)
        moved.push({
          id: a.id,
          daysOverdue: a.daysOverdue,
          message: a.message,
          owner: a.owner,
          severity: a.severity,
        });
    } else {
      counts.updated++;
      moved.push({
        id: a.id,
        daysOverdue: c.daysOverdue,
        message: c.message,
        owner: c.owner,
        severity: c.severity,
      });
    }
  }
  const cleared = [...stored]
    .filter(([key, a]) => !seen.has(key) && a.state !== 'resolved')
    .map(([, a]) => a.id);
  counts.opened = fresh.length;
  counts.resolved = cleared.length;
  return { changed, moved, fresh, cleared, counts };
}
