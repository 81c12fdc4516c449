import { Global, Module } from '@nestjs/common';
import { AlertRefresh } from '../projects/alert-refresh';
import { RegionsModule } from '../regions/regions.module';
import { AlertsController } from './alerts.controller';
import { AlertsScheduler } from './alerts.scheduler';
import { AlertsService } from './alerts.service';
import { DeliveryWorker } from './delivery.worker';

/**
 * Overdue rules, stored alerts, the daily scan and webhook delivery. Global for
 * {@link AlertRefresh}: every write that changes a project's alert conditions refreshes them.
 */
@Global()
@Module({
  imports: [RegionsModule],
  controllers: [AlertsController],
  providers: [
    AlertsService,
    DeliveryWorker,
    AlertsScheduler,
    { provide: AlertRefresh, useExisting: AlertsService },
  ],
  exports: [AlertsService, AlertRefresh],
})
export class AlertsModule {}
