import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, DataSourceOptions, EntitySchema } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The entity classes the data source maps (src/entities.ts lists them, at the root). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityList = (Function | EntitySchema)[];

/**
 * Options for the write DataSource (migrations run here) or the SQLite read-only one.
 * SQLite runs in WAL mode so the read connection sees committed data while a write is open.
 */
export function dataSourceOptions(
  config: Pick<AppConfig, 'dialect' | 'sqlitePath' | 'databaseUrl'>,
  entities: EntityList,
  role: 'write' | 'read' = 'write',
  /** PostgreSQL: the pool's size (default PG_POOL_SIZE, 10). */
  poolSize?: number,
): DataSourceOptions {
  const common = {
    entities,
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false as const,
  };
  if (config.dialect === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.databaseUrl ?? undefined,
      migrations: POSTGRES_MIGRATIONS,
      extra: { max: poolSize ?? Number(process.env.PG_POOL_SIZE ?? 10) },
    };
  }
  if (role === 'write') fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.sqlitePath,
    migrations: SQLITE_MIGRATIONS,
    readonly: role === 'read',
    fileMustExist: role === 'read',
    enableWAL: role === 'write',
    timeout: 10_000,
    prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
    },
  };
}

export function createDataSource(
  config: Pick<AppConfig, 'dialect' | 'sqlitePath' | 'databaseUrl'>,
  entities: EntityList,
  role: 'write' | 'read' = 'write',
  poolSize?: number,
): DataSource {
  return new DataSource(dataSourceOptions(config, entities, role, poolSize));
}
