import { formatCoordinate } from '../common/geo';
import { fenToWan, formatNullable, HUNDREDTHS } from '../common/money';
import { PageView } from '../common/page.view';
import { moneyView } from './project-figures';
import { MoneyFigures, moneyWarnings, Warning } from './project-figures';
import { message } from '../common/messages';
import { Project, ProjectSource } from './project.entity';
import { ProjectKind, ProjectStatus } from './project-rules';

/** Seats (学位) by stage and their sum. */
export class Seats {
  kindergarten: number;
  primary: number;
  juniorMiddle: number;
  seniorSecondary: number;
  specialEducation: number;
  total: number;
}

export { Warning };

/** A project as the API returns it (docs/api.md; field names are the contract). */
export class ProjectView {
  id: number;
  code: string | null;
  name: string;
  regionId: number;
  town: string | null;
  planYear: number | null;
  kind: ProjectKind | null;
  status: ProjectStatus;
  seats: Seats;
  transitionalSeats: boolean;
  boardingBeds: number;
  floorAreaM2: string | null;
  landMu: string | null;
  /** null = 未测算 (no estimate yet), which is not "0.00". */
  budgetWan: string | null;
  /** Money as of today (Asia/Shanghai): 已落实, 已到位, 已支付, and the gap (budget − committed, ≥ 0). */
  committedWan?: string;
  receivedWan?: string;
  paidWan?: string;
  /** null when the budget is 未测算: no gap can be computed. */
  gapWan?: string | null;
  surplusWan?: string | null;
  plannedStart: string | null;
  plannedCompletion: string | null;
  plannedCompletionDue: string | null;
  actualCompletion: string | null;
  progressPercent: number | null;
  investmentCompletedWan: string | null;
  lastReportedOn: string | null;
  printedSubtotal: number | null;
  planId: number | null;
  source: ProjectSource | null;
  archived: boolean;
  archivedAt: string | null;
  /** 建设单位, 施工单位, 项目负责人, 联系电话 */
  builder: string | null;
  contractor: string | null;
  manager: string | null;
  phone: string | null;
  /** 纬度 / 经度 (WGS84) as six-place decimal strings; null when the project has no location. */
  lat: string | null;
  lng: string | null;
  warnings: Warning[];
  /** 预警等级: the highest open or acknowledged alert's severity (list and project view). */
  alertLevel?: 'red' | 'yellow' | 'blue' | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The 合计 of a filtered list (`GET /api/projects/totals`). */
export class ProjectTotals {
  count: number;
  seats: Seats;
  floorAreaM2: string;
  landMu: string;
  /** Sum of the estimates given; `budgetUnknown` projects have none (未测算) and add nothing. */
  budgetWan: string;
  budgetUnknown: number;
  /** Projects whose floor area / land is not known (blank in the plan table): they add nothing. */
  floorAreaUnknown: number;
  landUnknown: number;
}

/** One project (`GET /api/projects/:id`): the list's fields and the statuses it may move to. */
export class ProjectDetailView extends ProjectView {
  /** The statuses a progress report may move the project to from its current one. */
  nextStatuses: ProjectStatus[];
}

/** A page of the project list (`GET /api/projects`). */
export class ProjectPageView extends PageView {
  items: ProjectView[];
}

export function seatsOf(
  p: Pick<
    Project,
    | 'seatsKindergarten'
    | 'seatsPrimary'
    | 'seatsJuniorMiddle'
    | 'seatsSeniorSecondary'
    | 'seatsSpecialEducation'
  >,
): Seats {
  const s = {
    kindergarten: p.seatsKindergarten,
    primary: p.seatsPrimary,
    juniorMiddle: p.seatsJuniorMiddle,
    seniorSecondary: p.seatsSeniorSecondary,
    specialEducation: p.seatsSpecialEducation,
  };
  return {
    ...s,
    total: s.kindergarten + s.primary + s.juniorMiddle + s.seniorSecondary + s.specialEducation,
  };
}

/**
 * Data problems in a record that staff must look at; they never block a write. The plans
 * contradict themselves (香坪镇中心幼儿园 prints 小计 210 over 201 幼儿园 seats), and we keep what
 * was printed and say so rather than "fix" it.
 */
function projectWarnings(p: Project): Warning[] {
  const out: Warning[] = [];
  const total = seatsOf(p).total;
  if (p.printedSubtotal !== null && p.printedSubtotal !== total) {
    out.push({
      code: 'SUBTOTAL_MISMATCH',
      message: `${message('WARN_SUBTOTAL_MISMATCH')}：印刷小计${p.printedSubtotal}，各学段之和${total}`,
    });
  }
  if (
    p.planYear !== null &&
    p.plannedCompletion &&
    Number(p.plannedCompletion.slice(0, 4)) < p.planYear
  ) {
    out.push({
      code: 'COMPLETION_BEFORE_PLAN_YEAR',
      message: `${message('WARN_COMPLETION_BEFORE_PLAN_YEAR')}：计划完成${p.plannedCompletion}，年度${p.planYear}`,
    });
  }
  if (
    p.plannedStart &&
    p.plannedCompletionDue &&
    p.plannedStart.slice(0, 7) > p.plannedCompletionDue.slice(0, 7)
  ) {
    out.push({
      code: 'START_AFTER_COMPLETION',
      message: `${message('WARN_START_AFTER_COMPLETION')}：开工${p.plannedStart}，完成${p.plannedCompletion}`,
    });
  }
  // what the import found, beyond what is computed above
  for (const w of p.source?.warnings ?? []) if (!out.some((o) => o.code === w.code)) out.push(w);
  return out;
}

export function toProjectView(p: Project, money?: MoneyFigures): ProjectView {
  const view: ProjectView = {
    id: p.id,
    code: p.code,
    name: p.name,
    regionId: p.regionId,
    town: p.town,
    planYear: p.planYear,
    kind: p.kind,
    status: p.status,
    seats: seatsOf(p),
    transitionalSeats: p.transitionalSeats,
    boardingBeds: p.boardingBeds,
    floorAreaM2: formatNullable(p.floorArea, HUNDREDTHS),
    landMu: formatNullable(p.land, HUNDREDTHS),
    budgetWan: p.budgetFen === null ? null : fenToWan(p.budgetFen),
    plannedStart: p.plannedStart,
    plannedCompletion: p.plannedCompletion,
    plannedCompletionDue: p.plannedCompletionDue,
    actualCompletion: p.actualCompletion,
    progressPercent: p.progressPercent,
    investmentCompletedWan:
      p.investmentCompletedFen === null ? null : fenToWan(p.investmentCompletedFen),
    lastReportedOn: p.lastReportedOn,
    printedSubtotal: p.printedSubtotal,
    planId: p.planId,
    source: p.source,
    archived: p.archivedAt !== null,
    archivedAt: p.archivedAt,
    builder: p.builder,
    contractor: p.contractor,
    manager: p.manager,
    phone: p.phone,
    lat: formatCoordinate(p.latE6),
    lng: formatCoordinate(p.lngE6),
    warnings: projectWarnings(p),
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
  if (money) {
    const { budgetWan: _b, ...m } = moneyView(money);
    Object.assign(view, m);
    view.warnings.push(...moneyWarnings(money));
  }
  return view;
}
