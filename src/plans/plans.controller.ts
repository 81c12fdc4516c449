import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlanPageView, PlanProgress, PlanView } from './dto/plan.view';
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
  @ApiOkResponse({ type: PlanPageView })
  list(@CurrentActor() actor: Actor): Promise<PlanPageView> {
    return this.plans.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One plan with its targets' })
  @ApiOkResponse({ type: PlanView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<PlanView> {
    return this.plans.get(actor, id);
  }

  @Get(':id/progress')
  @ApiOperation({
    summary:
      'Per target: delivered, under construction, planned, percent, projection, at-risk, as of a day',
  })
  @ApiOkResponse({ type: PlanProgress })
  progress(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: AsOfQuery,
  ): Promise<PlanProgress> {
    return this.plans.progress(actor, id, q.asOf);
  }

  @Post()
  @Idempotent()
  @Can('plan.write')
  @ApiOperation({ summary: 'Create a plan with targets (admin, finance)' })
  @ApiCreatedResponse({ type: PlanView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePlanDto): Promise<PlanView> {
    return this.plans.create(actor, dto);
  }

  @Patch(':id')
  @Can('plan.write')
  @ApiOperation({
    summary: 'Change a plan; targets given replace all (admin, finance); stale version → 409',
  })
  @ApiOkResponse({ type: PlanView })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdatePlanDto,
  ): Promise<PlanView> {
    return this.plans.update(actor, id, dto);
  }
}
