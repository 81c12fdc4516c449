import { AlertCondition } from './alert-rules';
import { reconcileAlerts, StoredAlert } from './alert-reconcile';

const ASOF = '2026-12-05';
const NOW = '2026-12-05T01:00:00.000Z';

const condition = (n: number, over: Partial<AlertCondition> = {}): AlertCondition => ({
  kind: 'project_overdue',
  subjectKey: `project:${n}`,
  projectId: n,
  milestoneId: null,
  regionId: 3,
  severity: 'blue',
  daysOverdue: 10,
  owner: '李工',
  message: `项目${n}逾期10天`,
  ...over,
});
const stored = (n: number, over: Partial<StoredAlert> = {}): StoredAlert => ({
  id: 100 + n,
  kind: 'project_overdue',
  subjectKey: `project:${n}`,
  state: 'open',
  severity: 'blue',
  daysOverdue: 10,
  message: `项目${n}逾期10天`,
  owner: '李工',
  stateVersion: 1,
  lastScannedOn: '2026-12-04',
  ...over,
});

describe('alert reconcile (the alerts’ state machine)', () => {
  it('opens an alert for a new condition and resolves one whose condition is gone', () => {
    const r = reconcileAlerts(
      [condition(1)],
      [stored(2), stored(3, { state: 'resolved' })],
      ASOF,
      NOW,
    );
    expect(r.fresh.map((c) => c.subjectKey)).toEqual(['project:1']);
    expect(r.cleared).toEqual([102]); // the already resolved alert stays as it is
    expect(r.changed).toEqual([]);
    expect(r.moved).toEqual([]);
    expect(r.counts).toEqual({
      opened: 1,
      reopened: 0,
      escalated: 0,
      updated: 0,
      resolved: 1,
      unchanged: 0,
    });
  });

  it('re-opens a resolved alert whose condition returns, acknowledgement cleared, new state version', () => {
    const r = reconcileAlerts(
      [condition(1, { daysOverdue: 35, severity: 'yellow', message: '项目1逾期35天' })],
      [stored(1, { state: 'resolved', stateVersion: 2 })],
      ASOF,
      NOW,
    );
    expect(r.changed).toHaveLength(1);
    expect(r.changed[0].alert.id).toBe(101);
    expect(r.changed[0].next).toEqual({
      severity: 'yellow',
      daysOverdue: 35,
      message: '项目1逾期35天',
      owner: '李工',
      regionId: 3,
      projectId: 1,
      milestoneId: null,
      lastScannedOn: ASOF,
      state: 'open',
      stateVersion: 3,
      openedAt: NOW,
      resolvedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
    });
    expect(r.counts.reopened).toBe(1);
    expect(r.cleared).toEqual([]);
  });

  it('escalates an acknowledged alert whose severity rises: open again, keeping its opening time', () => {
    const r = reconcileAlerts(
      [condition(1, { daysOverdue: 90, severity: 'red', message: '项目1逾期90天' })],
      [stored(1, { state: 'acknowledged', severity: 'yellow', daysOverdue: 89 })],
      ASOF,
      NOW,
    );
    expect(r.changed[0].next).toEqual({
      severity: 'red',
      daysOverdue: 90,
      message: '项目1逾期90天',
      owner: '李工',
      regionId: 3,
      projectId: 1,
      milestoneId: null,
      lastScannedOn: ASOF,
      state: 'open',
      stateVersion: 2,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
    });
    expect(r.counts.escalated).toBe(1);
  });

  it('an acknowledged alert whose days move on stays acknowledged: only days and wording follow', () => {
    const r = reconcileAlerts(
      [condition(1, { daysOverdue: 11, message: '项目1逾期11天', owner: '王工' })],
      [stored(1, { state: 'acknowledged' })],
      ASOF,
      NOW,
    );
    expect(r.changed).toEqual([]);
    expect(r.moved).toEqual([
      { id: 101, daysOverdue: 11, message: '项目1逾期11天', owner: '王工', severity: 'blue' },
    ]);
    expect(r.counts.updated).toBe(1);
  });

  it('a lower severity is an update, not news (no re-notification)', () => {
    const r = reconcileAlerts(
      [condition(1, { severity: 'blue', daysOverdue: -3, message: '项目1三天后到期' })],
      [stored(1, { severity: 'yellow', daysOverdue: 40 })],
      ASOF,
      NOW,
    );
    expect(r.changed).toEqual([]);
    expect(r.moved).toEqual([
      { id: 101, daysOverdue: -3, message: '项目1三天后到期', owner: '李工', severity: 'blue' },
    ]);
  });

  it('unchanged: marked as scanned on the day once (its stored values), then left alone', () => {
    const earlier = reconcileAlerts([condition(1)], [stored(1)], ASOF, NOW);
    expect(earlier.moved).toEqual([
      { id: 101, daysOverdue: 10, message: '项目1逾期10天', owner: '李工', severity: 'blue' },
    ]);
    expect(earlier.counts.unchanged).toBe(1);
    const again = reconcileAlerts([condition(1)], [stored(1, { lastScannedOn: ASOF })], ASOF, NOW);
    expect(again.moved).toEqual([]);
    expect(again.counts).toEqual({
      opened: 0,
      reopened: 0,
      escalated: 0,
      updated: 0,
      resolved: 0,
      unchanged: 1,
    });
  });

  it('keys by kind and subject: the same project under two kinds is two alerts', () => {
    const r = reconcileAlerts(
      [condition(1), condition(1, { kind: 'stale_report' }), condition(4)],
      [stored(1), stored(4, { state: 'resolved' })],
      ASOF,
      NOW,
    );
    expect(r.fresh.map((c) => `${c.kind}|${c.subjectKey}`)).toEqual(['stale_report|project:1']);
    // state changes come in the conditions' order
    expect(r.changed.map((c) => c.alert.id)).toEqual([104]);
    expect(r.counts).toMatchObject({ opened: 1, reopened: 1, unchanged: 1, resolved: 0 });
  });
});
