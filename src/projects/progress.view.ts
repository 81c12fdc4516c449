import { fenToWan } from '../common/money';
import { ProgressReport } from './progress-report.entity';

export interface ProgressView {
  id: number;
  projectId: number;
  reportedOn: string;
  status: ProgressReport['status'];
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
export interface WithdrawalView {
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
