import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MilestonePageView, MilestoneView } from './dto/milestone.view';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import { CreateMilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { MilestonesService } from './milestones.service';

@ApiTags('milestones')
@ApiBearerAuth()
@Controller('projects/:id/milestones')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @ApiOperation({ summary: 'Milestones of a project, in order' })
  @ApiOkResponse({ type: MilestonePageView })
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<MilestonePageView> {
    return this.milestones.list(actor, id);
  }

  @Post()
  @Idempotent()
  @Can('milestone.edit')
  @ApiOperation({ summary: 'Add a milestone to a project' })
  @ApiCreatedResponse({ type: MilestoneView })
  add(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateMilestoneDto,
  ): Promise<MilestoneView> {
    return this.milestones.add(actor, id, dto);
  }

  @Patch(':milestoneId')
  @Can('milestone.edit')
  @ApiOperation({ summary: 'Change a milestone; `version` must be the one read (else 409)' })
  @ApiOkResponse({ type: MilestoneView })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('milestoneId', IdPipe) milestoneId: number,
    @Body() dto: UpdateMilestoneDto,
  ): Promise<MilestoneView> {
    return this.milestones.update(actor, id, milestoneId, dto);
  }
}
