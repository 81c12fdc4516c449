import { fenToWan } from '../common/money';
import { BudgetRevision } from '../projects/budget-revision.entity';
import { FundingLine, Payment, SOURCE_LABELS } from './funding.entities';

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
