import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReportCalendar } from './dto/dashboard.view';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { Clock } from '../common/clock';
import { ApiJobAcceptedResponse, sendAnswer } from '../jobs/answer';
import { ApiXlsxResponse } from '../excel/send-xlsx';
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
  @ApiOkResponse({ type: ReportCalendar })
  calendar(): { today: string; month: string } {
    const today = this.clock.today();
    return { today, month: today.slice(0, 7) };
  }

  @Get('monthly')
  @ApiOperation({
    summary:
      'The monthly status report (.xlsx, seven sheets) as of the month end — as of today for the current month, 400 for a later one; large ones run as a job (202)',
  })
  @ApiXlsxResponse('The monthly status report (.xlsx)')
  @ApiJobAcceptedResponse()
  async monthly(
    @CurrentActor() actor: Actor,
    @Query() q: MonthlyReportQuery,
    @Res() res: Response,
  ) {
    sendAnswer(res, await this.reports.monthly(actor, q));
  }
}
