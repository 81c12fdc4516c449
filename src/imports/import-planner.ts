/**
 * The import's planner: given a plan table's parsed rows (and the problems the parser found) and
 * the county's existing projects with their budget history, what each row does — create, update,
 * unchanged, or invalid — with the per-row errors and warnings (a duplicate row, a budget the
 * importer may not write, a plan figure that would undo a revision). Pure: `ImportsService.run`
 * reads the workbook and the projects, plans, then writes; checked in import-planner.spec.ts.
 */
import { diffViews } from '../audit/audit.service';
import type { Action } from '../common/permissions';
import { dueDate } from '../common/dates';
import { wanWords } from '../common/money-display';
import { Project } from '../projects/project.entity';
import { kindFromName } from '../projects/project-rules';
import { toProjectView } from '../projects/project.view';
import { FIELDS, Issue, ParsedRow } from './plan-table.parser';
import type { ImportRowResult } from './dto/import.view';

export type { ImportRowResult } from './dto/import.view';

type Fields = Pick<
  Project,
  | 'name'
  | 'planYear'
  | 'printedSubtotal'
  | 'seatsKindergarten'
  | 'seatsPrimary'
  | 'seatsJuniorMiddle'
  | 'seatsSeniorSecondary'
  | 'seatsSpecialEducation'
  | 'plannedCompletion'
  | 'plannedCompletionDue'
  | 'plannedStart'
  | 'floorArea'
  | 'land'
  | 'budgetFen'
  | 'code'
  | 'town'
  | 'kind'
  | 'transitionalSeats'
  | 'boardingBeds'
  | 'builder'
  | 'contractor'
  | 'manager'
  | 'phone'
  | 'latE6'
  | 'lngE6'
>;

/** The project fields a row sets; columns the table does not have are left as they are. */
export function rowFields(r: ParsedRow, current: Project | null): Partial<Fields> {
  const total =
    r.seats.kindergarten +
    r.seats.primary +
    r.seats.juniorMiddle +
    r.seats.seniorSecondary +
    r.seats.specialEducation;
  // a printed 小计 that only repeats the derived total adds nothing to a project that had none (exports print it)
  const printedSubtotal =
    current && current.printedSubtotal === null && r.printedSubtotal === total
      ? null
      : r.printedSubtotal;
  const f: Partial<Fields> = {
    name: r.name,
    planYear: r.planYear,
    printedSubtotal,
    seatsKindergarten: r.seats.kindergarten,
    seatsPrimary: r.seats.primary,
    seatsJuniorMiddle: r.seats.juniorMiddle,
    seatsSeniorSecondary: r.seats.seniorSecondary,
    plannedCompletion: r.plannedCompletion,
    plannedCompletionDue: r.plannedCompletion ? dueDate(r.plannedCompletion) : null,
    floorArea: r.floorArea,
    land: r.land,
    budgetFen: r.budgetFen,
  };
  if (r.hasColumn.specialEducation) f.seatsSpecialEducation = r.seats.specialEducation;
  if (r.hasColumn.plannedStart) f.plannedStart = r.plannedStart;
  if (r.code !== undefined) f.code = r.code;
  if (r.town !== undefined) f.town = r.town;
  if (r.kind !== undefined) f.kind = r.kind ?? (current ? current.kind : kindFromName(r.name));
  if (r.transitionalSeats !== undefined) f.transitionalSeats = r.transitionalSeats;
  if (r.boardingBeds !== undefined) f.boardingBeds = r.boardingBeds;
  for (const k of ['builder', 'contractor', 'manager', 'phone'] as const)
    if (r[k] !== undefined) f[k] = r[k];
  if (r.latE6 !== undefined) f.latE6 = r.latE6;
  if (r.lngE6 !== undefined) f.lngE6 = r.lngE6;
  return f;
}

/** A project's key in a county: the same name and plan year is the same project. */
export const projectKey = (p: { name: string; planYear: number | null }): string =>
  `${p.name}|${p.planYear}`;

/**
 * Per project of the county: the plan's figure (the revision in force from the start) and the
 * latest revision's day.
 */
export type BudgetHistory = ReadonlyMap<number, { planFen: number; latestOn: string | null }>;

interface ImportPlan {
  /** The rows as they will be written: a blank or overridden 资金测算 replaced by the project's own. */
  rows: ParsedRow[];
  /** One per row, in the rows' order. */
  results: ImportRowResult[];
  /** The parser's problems, then the planner's, in that order. */
  issues: Issue[];
}

/**
 * Plans an import of `parsedRows`, by an importer allowed the actions `can` answers true for (the
 * permission table, asked by the service), into a county whose live projects are `byKey`
 * (keyed by {@link projectKey}) with their budget history `budgets`. Rows with an error (the
 * parser's or the planner's) are `invalid`; nothing is written when any row is (the service's rule).
 */
export function planImport(
  can: (action: Action) => boolean,
  parsedRows: readonly ParsedRow[],
  parserIssues: readonly Issue[],
  byKey: ReadonlyMap<string, Project>,
  budgets: BudgetHistory,
): ImportPlan {
  const rows = [...parsedRows];
  const issues = [...parserIssues];
  // the same project twice in the file is an error: which one would win?
  const seen = new Map<string, ParsedRow>();
  for (const r of rows) {
    const key = projectKey(r);
    const first = seen.get(key);
    if (first)
      issues.push({
        severity: 'error',
        sheet: r.sheet,
        row: r.row,
        column: '',
        field: FIELDS.name.label,
        code: 'DUPLICATE_ROW',
        message: `工作表“${r.sheet}”第${r.row}行：与第${first.row}行是同一项目（${r.name}，${r.planYear}年度）`,
      });
    else seen.set(key, r);
  }
  const results: ImportRowResult[] = [];
  const bad = new Set(
    issues.filter((i) => i.severity === 'error').map((i) => `${i.sheet}|${i.row}`),
  );
  const rowIssue = (r: ParsedRow, severity: Issue['severity'], code: string, text: string) =>
    issues.push({
      severity,
      sheet: r.sheet,
      row: r.row,
      column: '',
      field: FIELDS.budget.label,
      code,
      message: `工作表“${r.sheet}”第${r.row}行（资金测算）：${text}`,
    });
  for (const [i, parsedRow] of rows.entries()) {
    let r = parsedRow;
    const invalid = () =>
      results.push({
        sheet: r.sheet,
        row: r.row,
        name: r.name,
        planYear: r.planYear,
        action: 'invalid',
        projectId: null,
        changes: {},
      });
    if (bad.has(`${r.sheet}|${r.row}`)) {
      invalid();
      continue;
    }
    const current = byKey.get(projectKey(r)) ?? null;
    if (!current) {
      // the same rule as POST /api/projects (the permission table): a new project with a budget
      // needs both project.create and project.edit.budget (today the admin's)
      if (r.budgetFen !== null && !(can('project.create') && can('project.edit.budget'))) {
        rowIssue(
          r,
          'error',
          'FORBIDDEN_BUDGET',
          `新项目带资金测算${wanWords(r.budgetFen)}，须由管理员导入（基建股可删去资金测算列后导入，由计财股填写）`,
        );
        invalid();
        continue;
      }
      results.push({
        sheet: r.sheet,
        row: r.row,
        name: r.name,
        planYear: r.planYear,
        action: 'create',
        projectId: null,
        changes: {},
      });
      continue;
    }
    // a plan table states the original estimate: it never undoes a later approved revision
    const history = budgets.get(current.id);
    const planFen = history?.planFen ?? current.budgetFen;
    if (r.budgetFen === null) {
      // a blank cell (or no column) leaves the budget as it is
      r = { ...r, budgetFen: current.budgetFen };
    } else if (current.budgetFen !== null && current.budgetFen !== planFen) {
      if (r.budgetFen !== current.budgetFen) {
        rowIssue(
          r,
          'warning',
          'BUDGET_REVISED',
          `现行概算${wanWords(current.budgetFen)}（${history?.latestOn ?? ''}调整）与规划表${wanWords(r.budgetFen)}不同，未覆盖`,
        );
      }
      r = { ...r, budgetFen: current.budgetFen };
    }
    rows[i] = r;
    const f = rowFields(r, current);
    if (
      f.budgetFen !== undefined &&
      f.budgetFen !== current.budgetFen &&
      !can('project.edit.budget')
    ) {
      const was = current.budgetFen === null ? '未测算' : wanWords(current.budgetFen);
      rowIssue(
        r,
        'error',
        'FORBIDDEN_BUDGET',
        `已有项目的资金测算${was}改为${(f.budgetFen ?? null) === null ? '未测算' : wanWords(f.budgetFen!)}，须由计财股或管理员导入`,
      );
      invalid();
      continue;
    }
    const before = toProjectView(current) as unknown as Record<string, unknown>;
    const after = toProjectView({ ...current, ...f }) as unknown as Record<string, unknown>;
    const changes = diffViews(before, after);
    results.push({
      sheet: r.sheet,
      row: r.row,
      name: r.name,
      planYear: r.planYear,
      action: Object.keys(changes).length ? 'update' : 'unchanged',
      projectId: current.id,
      changes,
    });
  }
  return { rows, results, issues };
}
