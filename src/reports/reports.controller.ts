import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { sendAnswer } from '../jobs/answer';
import { MonthlyReportQuery } from './dto/monthly-report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

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
    sendAnswer(res, await this.reports.monthly(actor, q));
  }
}
