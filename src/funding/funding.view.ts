import { message } from '../common/messages';
import { fenToWan } from '../common/money';
import { Warning } from '../projects/project.view';
import { BudgetRevision, FundingLine, Payment, SOURCE_LABELS } from './funding.entities';
import { gapOf, ProjectFigures, surplusOf } from './funding.query';

export interface MoneyView {
  budgetWan: string | null;
  committedWan: string;
  receivedWan: string;
  paidWan: string;
  /** null when the budget is (未测算): no gap can be computed. */
  gapWan: string | null;
  surplusWan: string | null;
}

export function moneyView(f: ProjectFigures): MoneyView {
  return {
    budgetWan: f.budget === null ? null : fenToWan(f.budget),
    committedWan: fenToWan(f.committed),
    receivedWan: fenToWan(f.received),
    paidWan: fenToWan(f.paid),
    gapWan: f.budget === null ? null : fenToWan(gapOf(f)),
    surplusWan: f.budget === null ? null : fenToWan(surplusOf(f)),
  };
}

/** What finance staff must look at; never blocks a write. */
export function moneyWarnings(
  f: Pick<ProjectFigures, 'budget' | 'committed' | 'received' | 'paid'>,
): Warning[] {
  const out: Warning[] = [];
  if (f.received > f.committed) {
    out.push({
      code: 'RECEIVED_ABOVE_COMMITTED',
      message: `${message('WARN_RECEIVED_ABOVE_COMMITTED')}：已到位${fenToWan(f.received)}万元，已落实${fenToWan(f.committed)}万元`,
    });
  }
  if (f.paid > f.received) {
    out.push({
      code: 'PAID_ABOVE_RECEIVED',
      message: `${message('WARN_PAID_ABOVE_RECEIVED')}：已支付${fenToWan(f.paid)}万元，已到位${fenToWan(f.received)}万元`,
    });
  }
  if (f.budget !== null && f.paid > f.budget) {
    out.push({
      code: 'BUDGET_BELOW_PAID',
      message: `${message('WARN_BUDGET_BELOW_PAID')}：资金测算${fenToWan(f.budget)}万元，已支付${fenToWan(f.paid)}万元`,
    });
  }
  return out;
}

export const revisionView = (r: BudgetRevision) => ({
  id: r.id,
  projectId: r.projectId,
  effectiveOn: r.effectiveOn,
  budgetWan: fenToWan(r.budgetFen),
  reason: r.reason,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
});

export const lineView = (l: FundingLine) => ({
  id: l.id,
  projectId: l.projectId,
  source: l.source,
  sourceLabel: SOURCE_LABELS[l.source],
  committedWan: fenToWan(l.committedFen),
  committedOn: l.committedOn,
  receivedWan: fenToWan(l.receivedFen),
  receivedOn: l.receivedOn,
  note: l.note,
  version: l.version,
});

export const paymentView = (p: Payment) => ({
  id: p.id,
  projectId: p.projectId,
  paidOn: p.paidOn,
  payee: p.payee,
  amountWan: fenToWan(p.amountFen),
  reference: p.reference,
  version: p.version,
});
