import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlertsModule } from './alerts/alerts.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { PermissionTable } from './common/permissions';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ENTITIES } from './entities';
import { FundingModule } from './funding/funding.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ImportsModule } from './imports/imports.module';
import { JobsModule } from './jobs/jobs.module';
import { MilestonesModule } from './milestones/milestones.module';
import { PlansModule } from './plans/plans.module';
import { ProgressModule } from './progress/progress.module';
import { ProjectsModule } from './projects/projects.module';
import { RegionsModule } from './regions/regions.module';
import { ReportsModule } from './reports/reports.module';
import { MapModule } from './map/map.module';
import { SeedService } from './seed.service';
import { SubmissionsModule } from './submissions/submissions.module';
import { CalendarModule } from './calendar/calendar.module';
import { UsersModule } from './users/users.module';
import { WorkersModule } from './workers/workers.module';

/**
 * One module per domain folder (docs/conventions.md); this one only puts them together, with what
 * needs all of them: the entity list the database opens with, and the seed loader.
 */
@Module({})
export class AppModule {
  /** `permissions`: the permission table to run on (tests move a rule in a copy of PERMISSIONS). */
  static forRoot(config: AppConfig = loadConfig(), permissions?: PermissionTable): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(permissions),
        DatabaseModule.forRoot(ENTITIES),
        WorkersModule,
        AuditModule,
        ScheduleModule.forRoot(),
        AuthModule,
        IdempotencyModule,
        UsersModule,
        RegionsModule,
        ProjectsModule,
        AttachmentsModule,
        ProgressModule,
        MilestonesModule,
        FundingModule,
        AlertsModule,
        JobsModule,
        ImportsModule,
        PlansModule,
        ReportsModule,
        MapModule,
        HealthModule,
        AuditTrailModule,
        SubmissionsModule,
        CalendarModule,
      ],
      // the reference data, loaded into an empty database on start
      providers: [SeedService],
    };
  }
}
