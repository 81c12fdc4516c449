import { Controller, Get, HttpStatus, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, Matches, Min } from 'class-validator';
import type { Response } from 'express';
import * as fs from 'node:fs';
import { Actor, CurrentActor } from '../common/actor';
import { Clock } from '../common/clock';
import { ruleViolation } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { sendXlsx } from '../excel/send-xlsx';
import { JobsService } from '../jobs/jobs.service';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ReportDataService } from './report.data';
import { writeMonthlyReport } from './monthly-report.writer';

export class MonthlyReportQuery {
  /** The month, `YYYY-MM`; figures as of its last day. */
  @ApiPropertyOptional({
    example: '2026-10',
    description: 'The month, YYYY-MM; figures as of its last day',
  })
  @IsDefined()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'MONTH_INVALID' })
  month: string;

  /** Region (with sub-regions); defaults to the caller's scope. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;

  /** true: always run as a background job (202 + jobId). */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  async?: boolean;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly data: ReportDataService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('monthly')
  @ApiOperation({
    summary:
      'The monthly status report (.xlsx, seven sheets) as of the month end; large ones run as a job (202)',
  })
  async monthly(
    @CurrentActor() actor: Actor,
    @Query() q: MonthlyReportQuery,
    @Res() res: Response,
  ) {
    if (q.month > this.clock.today().slice(0, 7))
      throw ruleViolation('month', 'MONTH_INVALID', '不能晚于本月');
    const { path: scope, region } = await this.data.scope(actor, q.regionId);
    const name = `${region?.name ?? '全部地区'}学校建设项目月度进展报表-${q.month}.xlsx`;
    if (q.async || (await this.data.count(scope)) > this.config.reportSyncMaxProjects) {
      const job = await this.jobs.start(actor, 'monthly_report', async (ctx) => {
        const file = ctx.filePath('xlsx');
        const d = await this.data.load(q.month, scope, region, ctx.progress);
        await writeMonthlyReport(file, d, ctx.progress);
        return { file: { path: file, name } };
      });
      res
        .status(HttpStatus.ACCEPTED)
        .json({ jobId: job.id, statusUrl: `/api/jobs/${job.id}`, status: job.status });
      return;
    }
    fs.mkdirSync(this.config.jobsDir, { recursive: true });
    const file = path.join(this.config.jobsDir, `report-${randomUUID()}.xlsx`);
    await writeMonthlyReport(file, await this.data.load(q.month, scope, region));
    sendXlsx(res, file, name, true, 'monthly-report');
  }
}
