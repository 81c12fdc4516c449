import { Global, Module } from '@nestjs/common';
import { AlertRefresh } from '../projects/alert-refresh';
import { RegionsModule } from '../regions/regions.module';
import { AlertsController } from './alerts.controller';
import { AlertsScheduler } from './alerts.scheduler';
import { AlertsService } from './alerts.service';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';
import { DeliveryWorker } from './delivery.worker';

/**
 * Overdue rules, stored alerts, the daily scan and webhook delivery; the regions'
 * notification channels (通知设置), their delivery log and the 钉钉 download links. Global for
 * {@link AlertRefresh}: every write that changes a project's alert conditions refreshes them.
 */
@Global()
@Module({
  imports: [RegionsModule],
  controllers: [AlertsController, ChannelsController],
  providers: [
    AlertsService,
    DeliveryWorker,
    AlertsScheduler,
    ChannelsService,
    { provide: AlertRefresh, useExisting: AlertsService },
  ],
  exports: [AlertsService, AlertRefresh, ChannelsService],
})
export class AlertsModule {}
