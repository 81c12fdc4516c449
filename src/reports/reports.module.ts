import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CalendarModule } from '../calendar/calendar.module';
import { JobsModule } from '../jobs/jobs.module';
import { PlansModule } from '../plans/plans.module';
import { ProjectsModule } from '../projects/projects.module';
import { RegionsModule } from '../regions/regions.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { ReportDataService } from './report-data.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SubmissionStatusQuery } from './submission-status.query';

/** The monthly Excel report, and the 驾驶舱 figures read the same way. */
@Module({
  imports: [RegionsModule, AlertsModule, PlansModule, JobsModule, ProjectsModule, CalendarModule],
  controllers: [ReportsController, DashboardController],
  providers: [ReportsService, ReportDataService, DashboardService, SubmissionStatusQuery],
  exports: [ReportDataService, DashboardService],
})
export class ReportsModule {}
