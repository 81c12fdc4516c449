import { wanWords } from '../common/money-display';
import { message } from '../common/messages';
import { joinSum } from '../database/raw-sql';
import { fenToWan } from '../common/money';
import { isCompleted, isCounted, ProjectStatus } from './project-rules';
import { Warning } from './warning.view';
import { MoneyView } from './money.view';

export { Warning, MoneyView };

/** Money of one project as of a day, in fen (BigInt: sums must never round). */
export interface MoneyFigures {
  status: ProjectStatus;
  /** null = 未测算: no estimate in force on the day. */
  budget: bigint | null;
  committed: bigint;
  received: bigint;
  paid: bigint;
}

/** Everything the read models show of a project as of a day. */
export interface ProjectFigures extends MoneyFigures {
  progressPercent: number | null;
  /** 累计完成投资 of the latest report that gave one, 0 when none did. */
  investment: bigint;
  lastReportedOn: string | null;
}

/** A row of the figures SQL (figures.sql.ts), as either driver returns it. */
export type FigureRow = Partial<Record<string, unknown>> & {
  status: string;
  budget: string | null;
  committed: string | number;
  received: string | number;
  paid: string | number;
};

const big = (v: unknown): bigint => BigInt(String(v ?? 0));

export function readFigures(r: FigureRow): ProjectFigures {
  return {
    status: r.status as ProjectStatus,
    budget: r.budget === null || r.budget === undefined ? null : big(r.budget),
    committed: big(r.committed),
    received: big(r.received),
    paid: big(r.paid),
    progressPercent:
      r.progress_percent === null || r.progress_percent === undefined
        ? null
        : Number(r.progress_percent),
    investment: big(r.investment),
    lastReportedOn: (r.last_reported_on as string | null | undefined) ?? null,
  };
}

/** Funding gap: budget − committed, never below zero; a cancelled project needs no more money. */
export function gapOf(
  f: Pick<MoneyFigures, 'budget' | 'committed'> & { status?: ProjectStatus },
): bigint {
  // no estimate, no computable gap: such projects are counted apart, never as a 0 budget
  if ((f.status && !isCounted(f.status)) || f.budget === null) return 0n;
  return f.budget > f.committed ? f.budget - f.committed : 0n;
}

/** Committed beyond the budget, reported apart from the gap. */
export function surplusOf(f: Pick<MoneyFigures, 'budget' | 'committed'>): bigint {
  if (f.budget === null) return 0n;
  return f.committed > f.budget ? f.committed - f.budget : 0n;
}

/** Where a status puts a project's seats and gap (plan progress, the report's gap split). */
export type Stage = 'delivered' | 'building' | 'cancelled' | 'planned';

/** TypeScript twin of `stageSql`. */
export function stageOf(status: ProjectStatus): Stage {
  if (isCompleted(status)) return 'delivered';
  if (status === 'under_construction') return 'building';
  if (status === 'cancelled') return 'cancelled';
  return 'planned';
}

/** 已落实 and 已到位 of one funding source in one stage, as of a day (`fundingBySourceSql`). */
export interface SourceFigures {
  source: string;
  stage: Stage;
  /** Projects with a line of this source. */
  projects: number;
  committed: bigint;
  received: bigint;
}

/** The rows of `fundingBySourceSql`, as either driver returns them. */
export function readFundingBySource(rows: Record<string, unknown>[]): SourceFigures[] {
  return rows.map((r) => ({
    source: String(r.source),
    stage: r.stage as Stage,
    projects: Number(r.projects),
    committed: joinSum(r, 'committed') ?? 0n,
    received: joinSum(r, 'received') ?? 0n,
  }));
}

/** What finance staff must look at, from the figures as of the day; never blocks a write. */
export function moneyWarnings(
  f: Pick<MoneyFigures, 'budget' | 'committed' | 'received' | 'paid'>,
): Warning[] {
  const out: Warning[] = [];
  if (f.received > f.committed) {
    out.push({
      code: 'RECEIVED_ABOVE_COMMITTED',
      message:
        `${message('WARN_RECEIVED_ABOVE_COMMITTED')}：` +
        `已到位${wanWords(f.received)}，已落实${wanWords(f.committed)}`,
    });
  }
  if (f.paid > f.received) {
    out.push({
      code: 'PAID_ABOVE_RECEIVED',
      message: `${message('WARN_PAID_ABOVE_RECEIVED')}：已支付${wanWords(f.paid)}，已到位${wanWords(f.received)}`,
    });
  }
  if (f.budget !== null && f.paid > f.budget) {
    out.push({
      code: 'BUDGET_BELOW_PAID',
      message: `${message('WARN_BUDGET_BELOW_PAID')}：资金测算${wanWords(f.budget)}，已支付${wanWords(f.paid)}`,
    });
  }
  return out;
}

export function moneyView(f: MoneyFigures): MoneyView {
  return {
    budgetWan: f.budget === null ? null : fenToWan(f.budget),
    committedWan: fenToWan(f.committed),
    receivedWan: fenToWan(f.received),
    paidWan: fenToWan(f.paid),
    gapWan: f.budget === null ? null : fenToWan(gapOf(f)),
    surplusWan: f.budget === null ? null : fenToWan(surplusOf(f)),
  };
}
