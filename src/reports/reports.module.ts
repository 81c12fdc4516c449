import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { JobsModule } from '../jobs/jobs.module';
import { PlansModule } from '../plans/plans.module';
import { RegionsModule } from '../regions/regions.module';
import { ReportDataService } from './report-data.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** The monthly Excel report. */
@Module({
  imports: [RegionsModule, AlertsModule, PlansModule, JobsModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportDataService],
})
export class ReportsModule {}
