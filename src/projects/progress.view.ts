import { fenToWan } from '../common/money';
import { PageView } from '../common/page.view';
import { ProgressReport } from './progress-report.entity';
import type { ProjectStatus } from './status-groups';

/** A progress report (进度填报). */
export class ProgressView {
  id: number;
  projectId: number;
  reportedOn: string;
  status: ProjectStatus;
  progressPercent: number;
  investmentCompletedWan: string | null;
  actualCompletion: string | null;
  note: string | null;
  reportedBy: string;
  createdAt: string;
}

export function toProgressView(r: ProgressReport): ProgressView {
  return {
    id: r.id,
    projectId: r.projectId,
    reportedOn: r.reportedOn,
    status: r.status,
    progressPercent: r.progressPercent,
    investmentCompletedWan:
      r.investmentCompletedFen === null ? null : fenToWan(r.investmentCompletedFen),
    actualCompletion: r.actualCompletion,
    note: r.note,
    reportedBy: r.reportedBy,
    createdAt: r.createdAt,
  };
}

/** 已撤回: who withdrew an entry (a progress report, a budget revision), when and why; null = counts. */
class WithdrawalView {
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}

export function withdrawalView(r: {
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
}): WithdrawalView {
  return {
    withdrawn: r.withdrawnAt !== null,
    withdrawnAt: r.withdrawnAt,
    withdrawnBy: r.withdrawnBy,
    withdrawReason: r.withdrawReason,
  };
}

/** A progress report in a project's list: whether it was withdrawn, and its author's 姓名. */
export class ProgressListItemView extends ProgressView {
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
  /** The author's 姓名, when they have one. */
  reportedByDisplayName: string | null;
}

export class ProgressPageView extends PageView {
  items: ProgressListItemView[];
}
