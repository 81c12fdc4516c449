import {
  DynamicModule,
  Global,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { MulterModule } from '@nestjs/platform-express';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { JobsController } from './jobs/jobs.controller';
import { PlansController } from './plans/plans.controller';
import { PlansQuery } from './plans/plans.query';
import { PlansService } from './plans/plans.service';
import { ReportDataService } from './reports/report.data';
import { ReportsController } from './reports/reports.controller';
import { JobsService } from './jobs/jobs.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsScheduler } from './alerts/alerts.scheduler';
import { AlertsService } from './alerts/alerts.service';
import { DeliveryWorker } from './alerts/delivery.worker';
import { JwtModule } from '@nestjs/jwt';
import { AuditController } from './audit/audit.controller';
import { AuditQueryService } from './audit/audit.query';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { AuditService } from './audit/audit.service';
import { Clock } from './common/clock';
import { AppConfig, APP_CONFIG, loadConfig } from './config/app-config';
import { Database } from './database/database';
import { SeedService } from './database/seed.service';
import { ReadCache } from './database/read-cache';
import { FundingSummaryService } from './funding/funding-summary.query';
import { FundingController } from './funding/funding.controller';
import { FiguresService } from './figures/figures.service';
import { FundingService } from './funding/funding.service';
import { BenchFloorController } from './bench-floor.controller';
import { HealthController } from './health/health.controller';
import { MilestonesController } from './milestones/milestones.controller';
import { MilestonesService } from './milestones/milestones.service';
import { ProgressController } from './progress/progress.controller';
import { ProgressService } from './progress/progress.service';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { RegionsController } from './regions/regions.controller';
import { RegionsService } from './regions/regions.service';

/** Config, clock, database and audit: what every domain module uses. */
@Global()
@Module({})
export class CoreModule implements OnModuleDestroy, OnApplicationBootstrap {
  constructor(
    private readonly db: Database,
    private readonly seed: SeedService,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Database, useFactory: () => Database.open(config) },
        Clock,
        AuditService,
        SeedService,
        ReadCache,
      ],
      exports: [APP_CONFIG, Database, Clock, AuditService, SeedService, ReadCache],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.seed.seedIfEmpty();
  }

  async onModuleDestroy(): Promise<void> {
    await this.db.close();
  }
}

@Module({
  controllers: [RegionsController],
  providers: [RegionsService],
  exports: [RegionsService],
})
export class RegionsModule {}

@Module({
  imports: [RegionsModule],
  controllers: [
    ProjectsController,
    ProgressController,
    MilestonesController,
    AuditController,
    FundingController,
  ],
  providers: [
    ProjectsService,
    ProgressService,
    MilestonesService,
    AuditQueryService,
    FiguresService,
    FundingService,
    FundingSummaryService,
  ],
  exports: [ProjectsService],
})
export class ProjectsModule {}

/** Background jobs, plan-table import, template. */
@Module({
  imports: [
    RegionsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // a form's fields are few and short: many or long ones are refused before they reach a DTO
      useFactory: (config: AppConfig) => ({
        limits: {
          fileSize: config.importMaxBytes,
          files: 1,
          fields: 20,
          parts: 25,
          fieldSize: 64 * 1024,
          fieldNameSize: 100,
        },
      }),
    }),
  ],
  controllers: [ImportsController, JobsController],
  providers: [ImportsService, JobsService],
  exports: [JobsService],
})
export class ImportsModule {}

/** Overdue rules, stored alerts, the daily scan and webhook delivery. */
@Module({
  imports: [RegionsModule],
  controllers: [AlertsController],
  providers: [AlertsService, DeliveryWorker, AlertsScheduler],
  exports: [AlertsService, DeliveryWorker, AlertsScheduler],
})
export class AlertsModule {}

/** Login, tokens, the global guard (token + role), and user administration. */
@Module({
  imports: [JwtModule.register({}), RegionsModule],
  controllers: [AuthController, UsersController],
  providers: [AuthService, UsersService, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule implements OnApplicationBootstrap, OnModuleDestroy {
  private pruner: NodeJS.Timeout | null = null;

  constructor(private readonly auth: AuthService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.auth.ensureFirstAdmin();
    await this.auth.pruneSessions();
    this.pruner = setInterval(
      () => void this.auth.pruneSessions().catch(() => undefined),
      3_600_000,
    );
    this.pruner.unref();
  }

  onModuleDestroy(): void {
    if (this.pruner) clearInterval(this.pruner);
  }
}

/** The monthly Excel report and plan progress. */
@Module({
  imports: [RegionsModule, AlertsModule, ImportsModule],
  controllers: [ReportsController, PlansController],
  providers: [ReportDataService, PlansQuery, PlansService],
  exports: [PlansQuery],
})
export class ReportsModule {}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        ScheduleModule.forRoot(),
        AuthModule,
        RegionsModule,
        ProjectsModule,
        AlertsModule,
        ImportsModule,
        ReportsModule,
      ],
      controllers: [
        HealthController,
        ...(process.env.BENCH_FLOOR_ROUTES === 'true' ? [BenchFloorController] : []),
      ],
    };
  }
}
