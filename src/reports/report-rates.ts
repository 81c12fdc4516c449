/**
 * The rates the programme is judged by and the county ranking: pure calculation over the report's
 * read model (`ReportProject`), shared by the monthly report (汇总) and 首页 (驾驶舱), so both show
 * the same figures for a day. No database, no workbook: each is checked in report-rates.spec.ts.
 */
import { daysBetween } from '../common/dates';
import { isCompleted, isCounted, isStarted, STAGES, Stage } from '../projects/project-rules';
import type { ReportProject } from './report-data.service';
import type { Rates } from './dto/dashboard.view';
import type { SummaryFigures } from '../funding/summary.view';
import { fenToWan } from '../common/money';
import { surplusOf } from '../projects/project-figures';

/** a ÷ b as a cell number (a ratio); null when b is 0. The only float, at the cell boundary. */
function ratio(a: bigint, b: bigint): number | null {
  if (b === 0n) return null;
  return Number((a * 1_000_000n) / b) / 1_000_000;
}

/** The rates' answer shape is declared once, as the 首页 answer's class. */
export type { Rates } from './dto/dashboard.view';

/** The share of a project's planned duration already past on the day (序时进度), 0–1. */
export function elapsedShare(
  p: Pick<ReportProject, 'plannedStart' | 'plannedCompletionDue' | 'planYear'>,
  asOf: string,
): number | null {
  if (!p.plannedCompletionDue) return null;
  const start = p.plannedStart
    ? p.plannedStart.length === 7
      ? `${p.plannedStart}-01`
      : p.plannedStart
    : p.planYear
      ? `${p.planYear}-01-01`
      : null;
  if (!start) return null;
  const span = daysBetween(start, p.plannedCompletionDue);
  if (span <= 0) return asOf >= p.plannedCompletionDue ? 1 : 0;
  return Math.min(1, Math.max(0, daysBetween(start, asOf) / span));
}

/** 开工率, 竣工率 (by count and by floor area), 投资完成率, 资金到位率, 资金支出率, and 序时进度. Cancelled projects are left out. */
export function rates(projects: ReportProject[], asOf: string): Rates {
  const live = projects.filter((p) => isCounted(p.status));
  const area = (ps: ReportProject[]) => ps.reduce((s, p) => s + BigInt(p.floorArea ?? 0), 0n);
  const sum = (f: (p: ReportProject) => bigint) => live.reduce((s, p) => s + f(p), 0n);
  const started = live.filter((p) => isStarted(p.status));
  const done = live.filter((p) => isCompleted(p.status));
  const shares = live
    .map((p) => ({ s: elapsedShare(p, asOf), a: p.floorArea ?? 0 }))
    .filter((x) => x.s !== null) as { s: number; a: number }[];
  const areaTotal = shares.reduce((s, x) => s + x.a, 0);
  return {
    projects: live.length,
    startRateCount: ratio(BigInt(started.length), BigInt(live.length)),
    startRateArea: ratio(area(started), area(live)),
    completionRateCount: ratio(BigInt(done.length), BigInt(live.length)),
    completionRateArea: ratio(area(done), area(live)),
    // over the projects with an estimate only: a 未测算 project is neither 0 nor part of the base
    investmentRate: ratio(
      sum((p) => (p.budget === null ? 0n : p.investmentFen)),
      sum((p) => p.budget ?? 0n),
    ),
    fundsArrivalRate: ratio(
      sum((p) => (p.budget === null ? 0n : p.received)),
      sum((p) => p.budget ?? 0n),
    ),
    spendingRate: ratio(
      sum((p) => p.paid),
      sum((p) => p.received),
    ),
    scheduleCount: shares.length
      ? Math.round((shares.reduce((s, x) => s + x.s, 0) / shares.length) * 10_000) / 10_000
      : null,
    scheduleArea:
      areaTotal > 0
        ? Math.round((shares.reduce((s, x) => s + x.s * x.a, 0) / areaTotal) * 10_000) / 10_000
        : null,
  };
}

/**
 * 资金 of the projects, as `GET /api/funding/summary` totals them (every project, cancelled ones
 * and 未测算 included: 未测算 counted apart, not as 0; the gap per project, never below zero, none
 * for a cancelled one), exact in fen.
 */
export function funds(projects: ReportProject[]): SummaryFigures {
  let budget = 0n;
  let committed = 0n;
  let received = 0n;
  let paid = 0n;
  let gap = 0n;
  let surplus = 0n;
  let unbudgeted = 0;
  for (const p of projects) {
    if (p.budget === null) unbudgeted++;
    else budget += p.budget;
    committed += p.committed;
    received += p.received;
    paid += p.paid;
    gap += p.gap;
    surplus += surplusOf(p);
  }
  return {
    projects: projects.length,
    projectsWithoutBudget: unbudgeted,
    budgetWan: fenToWan(budget),
    committedWan: fenToWan(committed),
    receivedWan: fenToWan(received),
    paidWan: fenToWan(paid),
    gapWan: fenToWan(gap),
    surplusWan: fenToWan(surplus),
  };
}

interface CountyRank<C> {
  c: C;
  r: Rates;
  /** Projects overdue on the day (the one overdue rule: `daysOverdue` > 0). */
  overdue: number;
  /** False for a county with no projects counted: listed last, unranked (its rates are —). */
  ranked: boolean;
}

/**
 * The counties ranked as the monthly 通报 ranks them: 竣工率, then 开工率, then 投资完成率 (higher
 * first), then fewer overdue projects; a county with no projects counted comes last, unranked.
 * The report's 五、各县（区）排名 and the 驾驶舱 use this one order.
 */
export function rankCounties<C extends { id: number }>(
  counties: C[],
  projects: ReportProject[],
  asOf: string,
): CountyRank<C>[] {
  const byRegion = new Map<number, ReportProject[]>();
  for (const p of projects) {
    const list = byRegion.get(p.regionId);
    if (list) list.push(p);
    else byRegion.set(p.regionId, [p]);
  }
  return counties
    .map((c) => {
      const own = byRegion.get(c.id) ?? [];
      return {
        c,
        r: rates(own, asOf),
        overdue: own.filter((p) => isCounted(p.status) && (p.daysOverdue ?? 0) > 0).length,
      };
    })
    .map((x) => ({ ...x, ranked: x.r.projects > 0 }))
    .sort(
      (a, b) =>
        Number(b.ranked) - Number(a.ranked) ||
        (b.r.completionRateCount ?? -1) - (a.r.completionRateCount ?? -1) ||
        (b.r.startRateCount ?? -1) - (a.r.startRateCount ?? -1) ||
        (b.r.investmentRate ?? -1) - (a.r.investmentRate ?? -1) ||
        a.overdue - b.overdue,
    );
}

/** A rate rounded to four places (0.1234 = 12.34 %), as the report prints it; null when `of` is 0. */
export function share(part: number, of: number): number | null {
  return of ? Math.round((part / of) * 10_000) / 10_000 : null;
}

/** A rate less 序时进度 (与序时进度差), to four places; null when either is unknown. */
export function vsSchedule(rate: number | null, schedule: number | null): number | null {
  return rate === null || schedule === null
    ? null
    : Math.round((rate - schedule) * 10_000) / 10_000;
}

interface SeatLine {
  stage: Stage;
  /** Permanent seats of the projects counted (cancelled left out), and of those completed. */
  planned: number;
  delivered: number;
  /** 过渡学位: seats of transitional projects, apart. */
  transitionalPlanned: number;
  transitionalDelivered: number;
}

/**
 * 汇总's 二、学位: per stage, permanent seats planned and delivered (completed projects), and the
 * transitional ones apart; cancelled projects are left out. `total` adds the stages up.
 */
export function seatLines(projects: ReportProject[]): {
  stages: SeatLine[];
  total: Omit<SeatLine, 'stage'>;
} {
  const live = projects.filter((p) => isCounted(p.status));
  const perm = live.filter((p) => !p.transitional);
  const trans = live.filter((p) => p.transitional);
  const delivered = (ps: ReportProject[]) => ps.filter((p) => isCompleted(p.status));
  const seatsOf = (ps: ReportProject[], k: Stage) => ps.reduce((s, p) => s + p.seats[k], 0);
  const total = { planned: 0, delivered: 0, transitionalPlanned: 0, transitionalDelivered: 0 };
  const stages = STAGES.map((stage): SeatLine => {
    const line = {
      stage,
      planned: seatsOf(perm, stage),
      delivered: seatsOf(delivered(perm), stage),
      transitionalPlanned: seatsOf(trans, stage),
      transitionalDelivered: seatsOf(delivered(trans), stage),
    };
    total.planned += line.planned;
    total.delivered += line.delivered;
    total.transitionalPlanned += line.transitionalPlanned;
    total.transitionalDelivered += line.transitionalDelivered;
    return line;
  });
  return { stages, total };
}

/** The sum of a money field over projects, in fen. */
export function sumFen(projects: ReportProject[], f: (p: ReportProject) => bigint): bigint {
  return projects.reduce((s, p) => s + f(p), 0n);
}

/** 资金缺口 of the completed projects and of those under construction, in fen. */
export function gapByStatus(projects: ReportProject[]): { completed: bigint; building: bigint } {
  return {
    completed: sumFen(
      projects.filter((p) => isCompleted(p.status)),
      (p) => p.gap,
    ),
    building: sumFen(
      projects.filter((p) => p.status === 'under_construction'),
      (p) => p.gap,
    ),
  };
}
