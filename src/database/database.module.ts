import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { EntityList } from './data-source';
import { Database } from './database';
import { ReadCache } from './read-cache';

/** The database (migrated on start) with the entities the root lists, and the read cache. */
@Module({})
export class DatabaseModule implements OnModuleDestroy {
  constructor(@Inject(Database) private readonly db: Database) {}

  static forRoot(entities: EntityList): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: Database,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => Database.open(config, entities),
        },
        ReadCache,
      ],
      exports: [Database, ReadCache],
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.db.close();
  }
}
