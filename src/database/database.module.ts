import { Global, Inject, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from './database';
import { ReadCache } from './read-cache';
import { SeedService } from './seed.service';

/** The database (migrated on start), the read cache, and the reference data loaded into an empty one. */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => Database.open(config),
    },
    ReadCache,
    SeedService,
  ],
  exports: [Database, ReadCache, SeedService],
})
export class DatabaseModule implements OnModuleDestroy, OnApplicationBootstrap {
  constructor(
    @Inject(Database) private readonly db: Database,
    private readonly seed: SeedService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seed.seedIfEmpty();
  }

  async onModuleDestroy(): Promise<void> {
    await this.db.close();
  }
}
