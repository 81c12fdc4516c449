import { fenToWan } from '../common/money';
import { BudgetRevision } from '../projects/budget-revision.entity';
import { FundingLine, FundingSource, Payment, SOURCE_LABELS } from './funding.entities';
import { PageView } from '../common/page.view';
import { MoneyView } from '../projects/money.view';
import { ProjectStatus } from '../projects/status-groups';
import { Warning } from '../projects/warning.view';

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

/** A budget revision (概算调整) as written. */
class BudgetRevisionFields {
  id: number;
  projectId: number;
  /** null = the base estimate (no day: in force from the start). */
  effectiveOn: string | null;
  budgetWan: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

/** A budget revision and whether it was withdrawn (已撤回). */
export class BudgetRevisionView extends BudgetRevisionFields {
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}

export class BudgetRevisionPageView extends PageView {
  items: BudgetRevisionView[];
}

/** A revision just added: the project's budget in force after it, and its money warnings. */
export class BudgetRevisionCreatedView extends BudgetRevisionFields {
  /** null = 未测算. */
  projectBudgetWan: string | null;
  warnings: Warning[];
}

/** A revision just withdrawn, with the project's budget in force after it. */
export class BudgetRevisionWithdrawnView extends BudgetRevisionView {
  /** null = 未测算. */
  projectBudgetWan: string | null;
}

/** A funding line (资金来源: 已落实 / 已到位). */
export class FundingLineView {
  id: number;
  projectId: number;
  source: FundingSource;
  sourceLabel: string;
  committedWan: string;
  committedOn: string | null;
  receivedWan: string;
  receivedOn: string | null;
  note: string | null;
  version: number;
}

/** A funding line just written, with the project's money warnings after the write. */
export class FundingLineWriteView extends FundingLineView {
  warnings: Warning[];
}

/** A payment to a contractor (已支付). */
export class PaymentView {
  id: number;
  projectId: number;
  paidOn: string;
  payee: string;
  amountWan: string;
  reference: string | null;
  version: number;
}

export class PaymentPageView extends PageView {
  items: PaymentView[];
}

/** A payment just written, with the project's money warnings after the write. */
export class PaymentWriteView extends PaymentView {
  warnings: Warning[];
}

/** A funding line or payment removed, with the project's money warnings after it. */
export class DeletedView {
  deleted: boolean;
  id: number;
  warnings: Warning[];
}

/** Whether a 凭证号 is already used by a payment of the project. */
export class ReferenceCheckView {
  reference: string;
  used: boolean;
  /** The warning to show when used, else null. */
  message: string | null;
  payments: PaymentView[];
}

/** A project's money as of the day, with its status. */
export class ProjectMoneyView extends MoneyView {
  status: ProjectStatus;
}

/** 已落实 and 已到位 of one funding source. */
export class SourceSumView {
  source: string;
  label: string;
  committedWan: string;
  receivedWan: string;
}

/** `GET /api/projects/:id/funding`: the lines, the money as of a day, by source, and warnings. */
export class ProjectFundingView extends PageView {
  asOf: string;
  items: FundingLineView[];
  summary: ProjectMoneyView;
  bySource: SourceSumView[];
  warnings: Warning[];
}
