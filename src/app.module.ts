import { DynamicModule, Global, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AuditService } from './audit/audit.service';
import { Clock } from './common/clock';
import { AppConfig, APP_CONFIG, loadConfig } from './config/app-config';
import { Database } from './database/database';
import { SeedService } from './database/seed.service';
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
      ],
      exports: [APP_CONFIG, Database, Clock, AuditService, SeedService],
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
  controllers: [ProjectsController, ProgressController, MilestonesController],
  providers: [ProjectsService, ProgressService, MilestonesService],
  exports: [ProjectsService],
})
export class ProjectsModule {}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config), RegionsModule, ProjectsModule],
      controllers: [HealthController],
    };
  }
}

