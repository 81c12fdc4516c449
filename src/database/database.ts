import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, EntityTarget, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource } from './data-source';
import { bindNamed } from './raw-sql';
import { requestScope } from '../common/request-scope';

/** The part of better-sqlite3's handle that generation() uses. */
interface SqliteHandle {
  prepare(sql: string): { pluck(): { get(): unknown } };
}

/** Runs async work one at a time, in arrival order. */
export class FifoMutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => void this.waiting--,
      () => void this.waiting--,
    );
    return result;
  }

  get pending(): number {
    return this.waiting;
  }
}

const MIGRATION_LOCK = 727_274_001;

/**
 * The database as the services see it: `transaction()` for every write unit of work, `read` for
 * everything else.
 *
 * SQLite (STACK pitfall 1): TypeORM shares one connection for everything, so two overlapping
 * transactions fail, a plain write made while a transaction is open joins it and is lost on
 * rollback, and reads see uncommitted rows. Here every write unit of work waits its turn on a FIFO
 * mutex, and reads go through a second, read-only connection that sees only committed data (WAL).
 * PostgreSQL's pool gives each transaction its own connection, so neither is needed there.
 */
export class Database {
  private readonly logger = new Logger('Database');
  private readonly writeMutex = new FifoMutex();

  private constructor(
    readonly dialect: 'sqlite' | 'postgres',
    readonly write: DataSource,
    readonly read: DataSource,
  ) {}

  /** Opens, migrates and (for SQLite) opens the read connection. */
  static async open(
    config: Pick<AppConfig, 'dialect' | 'sqlitePath' | 'databaseUrl'>,
  ): Promise<Database> {
    const write = createDataSource(config, 'write');
    await write.initialize();
    const db = new Database(config.dialect, write, write);
    await db.migrate();
    if (config.dialect === 'sqlite') {
      const read = createDataSource(config, 'read');
      await read.initialize();
      return new Database(config.dialect, write, read);
    }
    return db;
  }

  /** Runs pending migrations; on PostgreSQL under an advisory lock so instances do not race. */
  async migrate(): Promise<void> {
    await this.exclusively(async () => {
      const done = await this.write.runMigrations({ transaction: 'each' });
      if (done.length) this.logger.log(`applied migrations: ${done.map((m) => m.name).join(', ')}`);
    });
  }

  /** Runs fn while no other app instance runs an `exclusively` block (PostgreSQL advisory lock). */
  async exclusively<T>(fn: () => Promise<T>): Promise<T> {
    // one process owns a SQLite file; the write mutex already orders its transactions
    if (this.dialect !== 'postgres') return fn();
    const runner = this.write.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await runner.release();
    }
  }

  /** One write unit of work: a transaction; serialized on SQLite. Keep HTTP and file I/O out. */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.write.transaction(fn);
    return this.writeMutex.run(() => this.write.transaction(fn));
  }

  /** A repository on the read connection (committed data only). */
  reader<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E> {
    return this.read.getRepository(entity);
  }

  /** Locks a row for the rest of the transaction where the database can (PostgreSQL). */
  async lockRow(em: EntityManager, table: string, id: number): Promise<void> {
    if (this.dialect === 'postgres')
      await em.query(`SELECT id FROM "${table}" WHERE id = $1 FOR UPDATE`, [id]);
  }

  /** A read of hand-written SQL with named parameters (`:asOf`, `:ids` for a list), committed data only. */
  select<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    const [text, values] = bindNamed(this.dialect, sql, params);
    return this.read.query(text, values);
  }

  /**
   * A token that changes whenever any committed data may have changed, from any connection or
   * process: SQLite's `PRAGMA data_version` on the read connection (it changes when another
   * connection commits; all writes go through the write connection), PostgreSQL's current snapshot
   * (two equal snapshots see exactly the same committed transactions: a commit either leaves the
   * in-progress list or came after xmax). Reads cached under a token are valid while it is unchanged.
   */
  generation(): Promise<string> {
    // one read per HTTP request: what the request sees is the data as of its start
    const scope = requestScope.getStore();
    if (scope) return (scope.generation ??= this.readGeneration());
    return this.readGeneration();
  }

  private async readGeneration(): Promise<string> {
    if (this.dialect === 'postgres') {
      const [row] = (await this.read.query('SELECT pg_current_snapshot()::text AS s')) as {
        s: string;
      }[];
      return row.s;
    }
    this.dataVersion ??= (
      this.read.driver as unknown as { databaseConnection: SqliteHandle }
    ).databaseConnection
      .prepare('PRAGMA data_version')
      .pluck();
    return String(this.dataVersion.get());
  }
  private dataVersion: { get(): unknown } | null = null;

  /** Bind parameter placeholder n (1-based) for hand-written SQL. */
  param(n: number): string {
    return this.dialect === 'postgres' ? `$${n}` : '?';
  }

  async close(): Promise<void> {
    if (this.read !== this.write && this.read.isInitialized) await this.read.destroy();
    if (this.write.isInitialized) await this.write.destroy();
  }
}
