import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { ruleViolation } from '../common/errors';
import { printedDate } from '../alerts/alert-rules';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Answer, jobAccepted } from '../jobs/answer';
import { JobsService, PARTIAL_SUFFIX } from '../jobs/jobs.service';
import { WorkbookPool } from '../workers/workbook-pool';
import type { MonthlyReportArgs } from './monthly-report.task';
import { MonthlyReportQuery } from './dto/monthly-report.dto';
import { ReportDataService } from './report-data.service';

/** The monthly report: written at once for a county, as a background job when large. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly data: ReportDataService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly pool: WorkbookPool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async monthly(actor: Actor, q: MonthlyReportQuery): Promise<Answer> {
    const today = this.clock.today();
    // a month not yet begun has no figures; the current one is reported as of today (ReportData.monthOpen)
    if (q.month > today.slice(0, 7))
      throw ruleViolation(
        'month',
        'MONTH_IN_FUTURE',
        `${printedDate(q.month)}尚未开始，今天是${printedDate(today)}`,
      );
    const { path: scope, region } = await this.data.scope(actor, q.regionId);
    const name = `${region?.name ?? '全部地区'}学校建设项目月度进展报表-${q.month}.xlsx`;
    // read and written in a worker thread (workers/workbook-pool.ts), off the event loop
    const render = (file: string, progress?: (p: number) => void) =>
      this.pool.run<null>(
        'monthly-report',
        {
          month: q.month,
          scope,
          region: region && { id: region.id, name: region.name, level: region.level },
          file,
        } satisfies MonthlyReportArgs,
        { progress },
      );
    if (q.async || (await this.data.count(scope)) > this.config.reportSyncMaxProjects) {
      const job = await this.jobs.start(actor, 'monthly_report', async (ctx) => {
        const file = ctx.filePath('xlsx');
        await render(file, ctx.progress);
        return { file: { path: file, name } };
      });
      return jobAccepted(job);
    }
    fs.mkdirSync(this.config.jobsDir, { recursive: true });
    const file = path.join(this.config.jobsDir, `report-${randomUUID()}.xlsx`);
    // written under a temporary name: a crash mid-write never leaves a partial file under the final one
    try {
      await render(file + PARTIAL_SUFFIX);
      fs.renameSync(file + PARTIAL_SUFFIX, file);
    } finally {
      fs.rmSync(file + PARTIAL_SUFFIX, { force: true });
    }
    return { status: 200, file, name, asciiStem: 'monthly-report' };
  }
}
