import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Dashboard } from './dto/dashboard.view';
import { Actor, CurrentActor } from '../common/actor';
import { DashboardService } from './dashboard.service';
import { DashboardQuery } from './dto/dashboard.dto';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @ApiOperation({
    summary:
      '首页 figures as of a day: seats planned vs delivered, the report rates beside 序时进度, reports due, the county ranking',
  })
  @ApiOkResponse({ type: Dashboard })
  get(@CurrentActor() actor: Actor, @Query() q: DashboardQuery): Promise<Dashboard> {
    return this.dashboard.dashboard(actor, q);
  }
}
