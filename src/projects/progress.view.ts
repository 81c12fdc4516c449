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
