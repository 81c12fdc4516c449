import { HttpStatus } from '@nestjs/common';
import { AppError, ErrorBody, fieldError } from '../common/errors';
import { message } from '../common/messages';
import { STATUS_LABELS } from '../common/vocabulary';
import { ProgressView } from '../projects/progress.view';

/**
 * 409 STALE_PROGRESS: the form was filled against an older latest report than the project has now
 * (issue 30 point 4). The message names the newer report; the body carries it as `latestReport`.
 */
export class StaleProgress extends AppError {
  constructor(readonly latestReport: ProgressView | null) {
    super(HttpStatus.CONFLICT, 'STALE_PROGRESS', [
      fieldError('expectedLatestReportId', 'STALE_PROGRESS'),
    ]);
    if (latestReport) {
      const r = latestReport;
      this.message = `该项目已有更新的填报（${r.reportedOn} ${STATUS_LABELS[r.status]} ${r.progressPercent}%），请刷新后再填`;
      this.errors[0].message = this.message;
    } else this.message = message('STALE_PROGRESS');
  }

  override toBody(): ErrorBody & { latestReport: ProgressView | null } {
    return { ...super.toBody(), latestReport: this.latestReport };
  }
}
