import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { AlertsController } from './alerts.controller';
import { AlertsScheduler } from './alerts.scheduler';
import { AlertsService } from './alerts.service';
import { DeliveryWorker } from './delivery.worker';

/** Overdue rules, stored alerts, the daily scan and webhook delivery. */
@Module({
  imports: [RegionsModule],
  controllers: [AlertsController],
  providers: [AlertsService, DeliveryWorker, AlertsScheduler],
  exports: [AlertsService],
})
export class AlertsModule {}
