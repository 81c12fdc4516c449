import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  list(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number) {
    return this.milestones.list(actor, id);
  }

  @Post()
  @Idempotent()
  @Can('milestone.edit')
  @ApiOperation({ summary: 'Add a milestone to a project' })
  add(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateMilestoneDto,
  ) {
    return this.milestones.add(actor, id, dto);
  }

  @Patch(':milestoneId')
  @Can('milestone.edit')
  @ApiOperation({ summary: 'Change a milestone; `version` must be the one read (else 409)' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('milestoneId', IdPipe) milestoneId: number,
    @Body() dto: UpdateMilestoneDto,
  ) {
    return this.milestones.update(actor, id, milestoneId, dto);
  }
}
