import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobView } from './dto/job.view';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { ApiXlsxResponse, sendXlsx } from '../excel/send-xlsx';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  @ApiOperation({
    summary: 'A background job: status, percent done, then the result (or its download link)',
  })
  @ApiOkResponse({ type: JobView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<JobView> {
    return this.jobs.get(actor, id);
  }

  @Get(':id/result')
  @ApiOperation({ summary: 'Download the file a finished job produced' })
  @ApiXlsxResponse('The workbook the job produced')
  async result(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const f = await this.jobs.resultFile(actor, id);
    sendXlsx(res, f.path, f.name, false, f.asciiStem);
  }
}
