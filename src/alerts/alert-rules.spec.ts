import * as v8 from 'node:v8';
import {
  alertSeverities,
  evaluateAlerts,
  MilestoneInput,
  printedDate,
  ProjectInput,
  severityForDays,
} from './alert-rules';
import { PROJECT_STATUSES } from '../projects/project-rules';

const project = (over: Partial<ProjectInput> = {}): ProjectInput => ({
  id: 1,
  name: '三排镇横坑幼儿园',
  regionId: 3,
  regionName: '连南瑶族自治县',
  status: 'planned',
  plannedCompletion: '2021-08',
  plannedCompletionDue: '2021-08-31',
  lastReportedOn: null,
  monthly: [],
  gapFen: 0n,
  owner: null,
  ...over,
});
const milestone = (over: Partial<MilestoneInput> = {}): MilestoneInput => ({
  id: 10,
  projectId: 1,
  name: '开工',
  plannedDate: '2021-03',
  plannedDue: '2021-03-31',
  actualDate: null,
  owner: '李工',
  ...over,
});
const kinds = (ps: ProjectInput[], ms: MilestoneInput[], asOf: string) =>
  evaluateAlerts({ projects: ps, milestones: ms }, asOf).map(
    (a) => `${a.kind}:${a.subjectKey}:${a.severity}:${a.daysOverdue}`,
  );

describe('alert rules (docs/alerts.md)', () => {
  it.each([
    [0, 'blue'],
    [1, 'blue'],
    [29, 'blue'],
    [30, 'yellow'],
    [89, 'yellow'],
    [90, 'red'],
    [400, 'red'],
  ])('%i days late is %s', (d, s) => expect(severityForDays(d)).toBe(s));

  it.each([
    ['2021-08-31', []],
    ['2021-09-01', ['project_overdue:project:1:blue:1']],
    ['2021-09-30', ['project_overdue:project:1:yellow:30']],
    ['2021-11-29', ['project_overdue:project:1:red:90']],
  ])('a month-precise completion is due at the month end: as of %s', (asOf, expected) => {
    expect(kinds([project()], [], asOf)).toEqual(expected);
  });

  it.each(['completed', 'in_use', 'cancelled'] as const)(
    'a %s project is not overdue',
    (status) => {
      expect(kinds([project({ status })], [], '2026-11-23')).toEqual([]);
    },
  );

  it('says what is late, by how much, in Chinese', () => {
    const [a] = evaluateAlerts({ projects: [project()], milestones: [] }, '2021-09-01');
    expect(a.message).toBe(
      '连南瑶族自治县 三排镇横坑幼儿园：计划2021年8月完成，已逾期1天（当前状态：谋划储备）',
    );
  });

  it.each([
    ['2021-03-31', null, ['milestone_due_soon:milestone:10:blue:0']],
    ['2021-03-01', null, ['milestone_due_soon:milestone:10:blue:-30']],
    ['2021-02-28', null, []],
    ['2021-04-01', null, ['milestone_overdue:milestone:10:blue:1']],
    ['2021-04-01', '2021-03-20', []],
    ['2021-04-01', '2021-05-01', ['milestone_overdue:milestone:10:blue:1']],
  ])('milestone as of %s reached %s', (asOf, actual, expected) => {
    const ps = [project({ plannedCompletionDue: '2030-12-31', plannedCompletion: '2030-12' })];
    expect(
      kinds(ps, [milestone({ actualDate: actual })], asOf).filter((k) => k.startsWith('milestone')),
    ).toEqual(expected);
  });

  it('names the owner of a milestone', () => {
    const [a] = evaluateAlerts(
      { projects: [project({ plannedCompletionDue: '2030-12-31' })], milestones: [milestone()] },
      '2021-05-10',
    );
    expect(a.message).toBe(
      '连南瑶族自治县 三排镇横坑幼儿园「开工」：计划2021年3月完成，已逾期40天，责任人：李工',
    );
    expect(a.severity).toBe('yellow');
  });

  it.each([
    ['2024-04-05', 'under_construction', []],
    ['2024-04-06', 'under_construction', ['stale_report:project:1:blue:1']],
    ['2024-05-05', 'under_construction', ['stale_report:project:1:yellow:30']],
    ['2024-04-06', 'preparing', ['stale_report:project:1:blue:1']],
    ['2024-04-06', 'planned', []],
    ['2024-04-06', 'suspended', []],
  ])('stale reporting as of %s (%s, last report 2024-03-01)', (asOf, status, expected) => {
    const p = project({
      status: status as ProjectInput['status'],
      lastReportedOn: '2024-03-01',
      plannedCompletionDue: '2030-12-31',
    });
    expect(kinds([p], [], asOf)).toEqual(expected);
  });

  it.each([
    [
      [
        ['2024-01', 30],
        ['2024-02', 30],
        ['2024-03', 30],
      ],
      '2024-03-31',
      true,
    ],
    [
      [
        ['2024-01', 30],
        ['2024-02', 35],
        ['2024-03', 35],
      ],
      '2024-03-31',
      false,
    ],
    [
      [
        ['2024-01', 30],
        ['2024-02', 30],
        ['2024-03', 31],
      ],
      '2024-03-31',
      false,
    ],
    [
      [
        ['2024-01', 30],
        ['2024-03', 30],
        ['2024-04', 30],
      ],
      '2024-04-30',
      false,
    ],
    [
      [
        ['2024-01', 30],
        ['2024-02', 30],
        ['2024-03', 30],
      ],
      '2024-06-30',
      false,
    ],
    [
      [
        ['2024-01', 100],
        ['2024-02', 100],
        ['2024-03', 100],
      ],
      '2024-03-31',
      false,
    ],
  ])('no progress across two consecutive monthly reports %j as of %s → %s', (months, asOf, red) => {
    const p = project({
      status: 'under_construction',
      lastReportedOn: asOf,
      plannedCompletionDue: '2030-12-31',
      monthly: (months as [string, number][]).map(([month, progressPercent]) => ({
        month,
        progressPercent,
      })),
    });
    const got = evaluateAlerts({ projects: [p], milestones: [] }, asOf).filter(
      (a) => a.kind === 'no_progress',
    );
    expect(got.map((a) => a.severity)).toEqual(red ? ['red'] : []);
  });

  it.each([
    ['2024-06-01', 0n, []],
    ['2024-06-01', 100n, []],
    ['2024-06-02', 100n, ['funding_gap:project:1:blue:-90']],
    ['2024-08-01', 100n, ['funding_gap:project:1:yellow:-30']],
    ['2024-08-30', 100n, ['funding_gap:project:1:yellow:-1']],
  ])(
    'funding gap near completion as of %s (gap %s fen, due 2024-08-31)',
    (asOf, gapFen, expected) => {
      const p = project({
        status: 'under_construction',
        lastReportedOn: asOf,
        plannedCompletion: '2024-08',
        plannedCompletionDue: '2024-08-31',
        gapFen,
      });
      expect(kinds([p], [], asOf)).toEqual(expected);
    },
  );

  it('skips milestones of cancelled projects', () => {
    expect(kinds([project({ status: 'cancelled' })], [milestone()], '2021-05-01')).toEqual([]);
  });

  it('prints dates as the plans do', () => {
    expect(printedDate('2021-08')).toBe('2021年8月');
    expect(printedDate('2024-08-05')).toBe('2024年8月5日');
  });
});

describe('alert conditions in memory', () => {
  it('every condition shares one hidden class: a province holds ~24,000 of them', () => {
    // V8 gives each object made by spreading a class of its own (~350 bytes and the time to build
    // it); %HaveSameMap is V8's own test, compiled after the flag is set
    v8.setFlagsFromString('--allow-natives-syntax');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's syntax needs a fresh compile
    const sameClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
      a: object,
      b: object,
    ) => boolean;
    const projects = Array.from({ length: 50 }, (_, i) =>
      project({ id: i + 1, status: 'under_construction', lastReportedOn: '2021-01-05' }),
    );
    const milestones = projects.map((p) => milestone({ id: 100 + p.id, projectId: p.id }));
    const out = evaluateAlerts({ projects, milestones }, '2021-12-31');
    expect(new Set(out.map((a) => a.kind))).toEqual(
      new Set(['project_overdue', 'stale_report', 'milestone_overdue']),
    );
    expect(out.length).toBe(150);
    for (const a of out) expect(sameClass(a, out[0])).toBe(true);
  });
});

describe('红/黄/蓝 counts without messages (alertSeverities)', () => {
  it('counts, per project, exactly the conditions evaluateAlerts finds', () => {
    // a seeded generator: every status, due days around the day, reports, gaps and milestones
    let seed = 20261207;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n; // the high bits: an LCG's low bits repeat quickly
    };
    const day = (from: string, spread: number) => {
      const d = new Date(`${from}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + rnd(spread * 2) - spread);
      return d.toISOString().slice(0, 10);
    };
    const asOf = '2026-10-20';
    const statuses = PROJECT_STATUSES;
    const projects = Array.from({ length: 400 }, (_, i) => {
      const due = rnd(5) ? day(asOf, 200) : null;
      const months = rnd(4) + 1;
      return project({
        id: i + 1,
        status: statuses[rnd(statuses.length)],
        plannedCompletion: due,
        plannedCompletionDue: due,
        lastReportedOn: rnd(4) ? day('2026-09-01', 60) : null,
        monthly: Array.from({ length: months }, (_, k) => ({
          month: `2026-${String(11 - months + k).padStart(2, '0')}`,
          progressPercent: 40 + rnd(3) * 10 - k * rnd(2) * 5,
        })),
        gapFen: BigInt(rnd(3)) * 1_000_000n,
      });
    });
    const milestones = Array.from({ length: 900 }, (_, i) =>
      milestone({
        id: 1000 + i,
        projectId: rnd(420) + 1, // some of projects not given: skipped
        plannedDue: day(asOf, 150),
        actualDate: rnd(3) ? null : day(asOf, 60),
      }),
    );
    const conditions = evaluateAlerts({ projects, milestones }, asOf);
    expect(new Set(conditions.map((c) => c.kind)).size).toBe(6);
    const expected = new Map<number, Record<string, number>>();
    for (const c of conditions) {
      const e = expected.get(c.projectId) ?? { red: 0, yellow: 0, blue: 0 };
      e[c.severity]++;
      expected.set(c.projectId, e);
    }
    const got = alertSeverities({ projects, milestones }, asOf);
    expect(new Map([...got].sort(([a], [b]) => a - b))).toEqual(
      new Map([...expected].sort(([a], [b]) => a - b)),
    );
    expect(got.size).toBeGreaterThan(100);
  });
});
