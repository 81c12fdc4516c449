import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ProgressPageView, ProgressView } from '../projects/progress.view';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import { CreateProgressDto } from './dto/progress.dto';
import { ProgressService } from './progress.service';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('projects/:id/progress')
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @Get()
  @ApiOperation({ summary: 'Progress reports of a project, newest first' })
  @ApiOkResponse({ type: ProgressPageView })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProgressPageView> {
    return this.progress.list(actor, id);
  }

  @Post()
  @Idempotent()
  @Can('progress.file')
  @ApiOperation({
    summary:
      'Add a dated progress report; it sets the project’s status, progress and lastReportedOn',
  })
  @ApiCreatedResponse({ type: ProgressView })
  add(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateProgressDto,
  ): Promise<ProgressView> {
    return this.progress.add(actor, id, dto);
  }
}
