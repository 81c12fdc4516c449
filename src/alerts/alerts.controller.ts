import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlertPageView, AlertView, ScanResultView } from './dto/alert.view';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { Clock } from '../common/clock';
import { IdPipe } from '../common/id.pipe';
import { AlertsService } from './alerts.service';
import { AckDto, AlertsQuery, ScanQuery } from './dto/alerts.dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Open and acknowledged alerts (or, with asOf, the conditions as of that day, computed live)',
  })
  @ApiOkResponse({ type: AlertPageView })
  list(@CurrentActor() actor: Actor, @Query() q: AlertsQuery): Promise<AlertPageView> {
    return this.alerts.list(actor, q);
  }

  @Post('scan')
  @HttpCode(200)
  @Can('alert.scan')
  @ApiOperation({
    summary:
      'Scan now (the caller’s region), as of a day; opens, updates, resolves alerts and queues messages',
  })
  @ApiOkResponse({ type: ScanResultView })
  scan(@CurrentActor() actor: Actor, @Query() q: ScanQuery): Promise<ScanResultView> {
    return this.alerts.scan(actor, q.asOf ?? this.clock.today(), 'manual');
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Can('alert.ack')
  @ApiOperation({ summary: 'Acknowledge an open alert, with its required note 确认说明 (audited)' })
  @ApiOkResponse({ type: AlertView })
  ack(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: AckDto,
  ): Promise<AlertView> {
    return this.alerts.acknowledge(actor, id, dto.version, dto.note);
  }
}
