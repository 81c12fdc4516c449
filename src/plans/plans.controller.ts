import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import { AsOfQuery } from '../funding/dto/summary.dto';
import { CreatePlanDto, UpdatePlanDto } from './dto/plan.dto';
import { PlansService } from './plans.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @ApiOperation({ summary: 'Plans of the caller’s region, with their targets' })
  list(@CurrentActor() actor: Actor) {
    return this.plans.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One plan with its targets' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number) {
    return this.plans.get(actor, id);
  }

  @Get(':id/progress')
  @ApiOperation({
    summary:
      'Per target: delivered, under construction, planned, percent, projection, at-risk, as of a day',
  })
  progress(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Query() q: AsOfQuery) {
    return this.plans.progress(actor, id, q.asOf);
  }

  @Post()
  @Idempotent()
  @Can('plan.write')
  @ApiOperation({ summary: 'Create a plan with targets (admin, finance)' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePlanDto) {
    return this.plans.create(actor, dto);
  }

  @Patch(':id')
  @Can('plan.write')
  @ApiOperation({
    summary: 'Change a plan; targets given replace all (admin, finance); stale version → 409',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdatePlanDto,
  ) {
    return this.plans.update(actor, id, dto);
  }
}
