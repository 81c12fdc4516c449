import { fenToWan } from '../common/money';
import { BudgetRevision, FundingLine, Payment, SOURCE_LABELS } from './funding.entities';
import { gapOf, MoneyFigures, surplusOf } from '../figures/project-figures';

export interface MoneyView {
  budgetWan: string | null;
  committedWan: string;
  receivedWan: string;
  paidWan: string;
  /** null when the budget is (未测算): no gap can be computed. */
  gapWan: string | null;
  surplusWan: string | null;
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
