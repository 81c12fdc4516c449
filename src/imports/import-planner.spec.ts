import { Project } from '../projects/project.entity';
import { BudgetHistory, planImport, projectKey } from './import-planner';
import { Issue, ParsedRow } from './plan-table.parser';
import { can, PERMISSIONS } from '../common/permissions';
import type { Role } from '../common/actor';

/** What the shipped permission table lets a role do, as the service asks it. */
const asRole = (role: Role) => (action: Parameters<typeof can>[2]) =>
  can(PERMISSIONS, role, action);

const row = (n: number, over: Partial<ParsedRow> = {}): ParsedRow => ({
  sheet: '2021-2025',
  row: n,
  planYear: 2022,
  name: `学校${n}`,
  printedSubtotal: null,
  seats: {
    kindergarten: 0,
    primary: 900,
    juniorMiddle: 0,
    seniorSecondary: 0,
    specialEducation: 0,
  },
  plannedCompletion: '2023-08',
  plannedStart: null,
  floorArea: 1200000,
  land: null,
  budgetFen: null,
  hasColumn: {},
  ...over,
});

const project = (n: number, over: Partial<Project> = {}): Project =>
  Object.assign(new Project(), {
    id: 100 + n,
    code: null,
    name: `学校${n}`,
    regionId: 3,
    town: null,
    planYear: 2022,
    kind: 'new_build',
    planId: null,
    source: null,
    printedSubtotal: null,
    seatsKindergarten: 0,
    seatsPrimary: 900,
    seatsJuniorMiddle: 0,
    seatsSeniorSecondary: 0,
    seatsSpecialEducation: 0,
    transitionalSeats: false,
    boardingBeds: 0,
    floorArea: 1200000,
    land: null,
    budgetFen: null,
    plannedStart: null,
    plannedCompletion: '2023-08',
    plannedCompletionDue: '2023-08-31',
    actualCompletion: null,
    status: 'planned',
    progressPercent: null,
    investmentCompletedFen: null,
    lastReportedOn: null,
    archivedAt: null,
    builder: null,
    contractor: null,
    manager: null,
    phone: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });

const county = (...ps: Project[]) => new Map(ps.map((p) => [projectKey(p), p]));
const noHistory: BudgetHistory = new Map();
const actions = (plan: ReturnType<typeof planImport>) =>
  plan.results.map((r) => `${r.row}:${r.action}:${r.projectId ?? ''}`);
const codes = (issues: Issue[]) => issues.map((i) => `${i.severity}:${i.row}:${i.code}`);

describe('import planner', () => {
  it('creates new projects, leaves re-imported ones unchanged and updates changed ones', () => {
    const plan = planImport(
      asRole('infrastructure'),
      [row(1), row(2), row(3, { seats: { ...row(3).seats, primary: 1350 } })],
      [],
      county(project(2), project(3)),
      noHistory,
    );
    expect(actions(plan)).toEqual(['1:create:', '2:unchanged:102', '3:update:103']);
    expect(plan.results[2].changes).toEqual({
      seats: {
        old: {
          kindergarten: 0,
          primary: 900,
          juniorMiddle: 0,
          seniorSecondary: 0,
          specialEducation: 0,
          total: 900,
        },
        new: {
          kindergarten: 0,
          primary: 1350,
          juniorMiddle: 0,
          seniorSecondary: 0,
          specialEducation: 0,
          total: 1350,
        },
      },
    });
    expect(plan.issues).toEqual([]);
  });

  it('the same project twice in the file: the second row is an error, the first still plans', () => {
    const plan = planImport(
      asRole('admin'),
      [row(1), row(2, { name: '学校1' })],
      [],
      county(),
      noHistory,
    );
    expect(actions(plan)).toEqual(['1:create:', '2:invalid:']);
    expect(plan.issues).toEqual([
      {
        severity: 'error',
        sheet: '2021-2025',
        row: 2,
        column: '',
        field: '学校名称',
        code: 'DUPLICATE_ROW',
        message: '工作表“2021-2025”第2行：与第1行是同一项目（学校1，2022年度）',
      },
    ]);
  });

  it('a row the parser found an error in is invalid; its warnings do not stop it; problems keep their order', () => {
    const parser: Issue[] = [
      {
        severity: 'warning',
        sheet: '2021-2025',
        row: 1,
        column: 'C',
        field: '',
        code: 'W',
        message: 'w',
      },
      {
        severity: 'error',
        sheet: '2021-2025',
        row: 2,
        column: 'D',
        field: '',
        code: 'E',
        message: 'e',
      },
    ];
    const plan = planImport(asRole('admin'), [row(1), row(2)], parser, county(), noHistory);
    expect(actions(plan)).toEqual(['1:create:', '2:invalid:']);
    expect(codes(plan.issues)).toEqual(['warning:1:W', 'error:2:E']);
  });

  it('a new project with 资金测算 is the admin’s: 基建股 gets a row error', () => {
    const rows = [row(1, { budgetFen: 1_000_000 })];
    const infra = planImport(asRole('infrastructure'), rows, [], county(), noHistory);
    expect(actions(infra)).toEqual(['1:invalid:']);
    expect(infra.issues.map((i) => [i.code, i.field, i.message])).toEqual([
      [
        'FORBIDDEN_BUDGET',
        '资金测算',
        '工作表“2021-2025”第1行（资金测算）：新项目带资金测算1.00万元，须由管理员导入（基建股可删去资金测算列后导入，由计财股填写）',
      ],
    ]);
    expect(actions(planImport(asRole('admin'), rows, [], county(), noHistory))).toEqual([
      '1:create:',
    ]);
  });

  it('changing an existing project’s 资金测算 is 计财股’s or the admin’s', () => {
    const rows = [row(1, { budgetFen: 2_000_000 })];
    const existing = county(project(1, { budgetFen: 1_000_000 }));
    const history: BudgetHistory = new Map([[101, { planFen: 1_000_000, latestOn: null }]]);
    const infra = planImport(asRole('infrastructure'), rows, [], existing, history);
    expect(actions(infra)).toEqual(['1:invalid:']);
    expect(infra.issues.map((i) => i.message)).toEqual([
      '工作表“2021-2025”第1行（资金测算）：已有项目的资金测算1.00万元改为2.00万元，须由计财股或管理员导入',
    ]);
    const finance = planImport(asRole('finance'), rows, [], existing, history);
    expect(actions(finance)).toEqual(['1:update:101']);
    expect(finance.results[0].changes).toEqual({ budgetWan: { old: '1.00', new: '2.00' } });
  });

  it('a blank 资金测算 keeps the project’s own; a plan figure never undoes a later revision', () => {
    const existing = county(
      project(1, { budgetFen: 1_000_000 }),
      project(2, { budgetFen: 1_500_000 }), // revised from the plan's 1.00万元
    );
    const history: BudgetHistory = new Map([
      [101, { planFen: 1_000_000, latestOn: null }],
      [102, { planFen: 1_000_000, latestOn: '2025-06-01' }],
    ]);
    const plan = planImport(
      asRole('infrastructure'),
      [row(1), row(2, { budgetFen: 1_000_000 })],
      [],
      existing,
      history,
    );
    expect(actions(plan)).toEqual(['1:unchanged:101', '2:unchanged:102']);
    expect(plan.rows.map((r) => r.budgetFen)).toEqual([1_000_000, 1_500_000]);
    expect(plan.issues.map((i) => [i.severity, i.code, i.message])).toEqual([
      [
        'warning',
        'BUDGET_REVISED',
        '工作表“2021-2025”第2行（资金测算）：现行概算1.50万元（2025-06-01调整）与规划表1.00万元不同，未覆盖',
      ],
    ]);
  });

  it('leaves the rows and problems it was given as they were', () => {
    const rows = [row(1)];
    const parser: Issue[] = [];
    const existing = county(project(1, { budgetFen: 1_000_000 }));
    const plan = planImport(asRole('admin'), rows, parser, existing, noHistory);
    expect(plan.rows[0].budgetFen).toBe(1_000_000);
    expect(rows[0].budgetFen).toBeNull();
    expect(parser).toEqual([]);
  });
});
