import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { JobsService } from './jobs.service';

export function contentDisposition(name: string): string {
  return `attachment; filename="${encodeURIComponent(name).replace(/%20/g, ' ')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A background job: status, percent done, then the result (or its download link)' })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.jobs.get(actor, id);
  }

  @Get(':id/result')
  @ApiOperation({ summary: 'Download the file a finished job produced' })
  async result(@CurrentActor() actor: Actor, @Param('id') id: string, @Res() res: Response) {
    const f = await this.jobs.resultFile(actor, id);
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', contentDisposition(f.name));
    res.sendFile(f.path);
  }
}
