import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { Clock } from '../common/clock';
import { sendAnswer } from '../jobs/answer';
import { MonthlyReportQuery } from './dto/monthly-report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  @Get('calendar')
  @ApiOperation({
    summary:
      "The server's business day (TZ_BUSINESS) and month: the latest month a report can be asked for; the current month's report is as of today",
  })
  calendar(): { today: string; month: string } {
    const today = this.clock.today();
    return { today, month: today.slice(0, 7) };
  }

  @Get('monthly')
  @ApiOperation({
    summary:
      'The monthly status report (.xlsx, seven sheets) as of the month end — as of today for the current month, 400 for a later one; large ones run as a job (202)',
  })
  async monthly(
    @CurrentActor() actor: Actor,
    @Query() q: MonthlyReportQuery,
    @Res() res: Response,
  ) {
    sendAnswer(res, await this.reports.monthly(actor, q));
  }
}
