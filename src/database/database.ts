import { Logger } from '@nestjs/common';
import { DataSource, EntityManager, ObjectLiteral, EntityTarget, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createDataSource, EntityList } from './data-source';
import { bindNamed } from './raw-sql';

/** The part of a better-sqlite3 statement that selectRows() uses. */
interface SqliteStatement {
  raw(on: boolean): SqliteStatement;
  columns(): { name: string }[];
  all(...values: unknown[]): unknown[][];
}

/** The part of better-sqlite3's handle that generation() and selectRows() use. */
interface SqliteHandle {
  prepare(sql: string): SqliteStatement & { pluck(): { get(): unknown } };
}

/** The part of node-postgres's pool that selectPrepared() and selectRows() use. */
interface PgPool {
  query<T>(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
  query(q: {
    text: string;
    values: unknown[];
    rowMode: 'array';
  }): Promise<{ rows: unknown[][]; fields: { name: string }[] }>;
}

/** The snapshot query's own pool (Database.turnLane): node-postgres's, as the main pool's. */
type LanePool = PgPool & {
  on(event: 'error', listener: (e: Error) => void): void;
  end(): Promise<void>;
};

/** A read's rows as arrays, and the name of each position. */
export interface Rows {
  columns: string[];
  rows: unknown[][];
}

/** Statements selectRows() keeps prepared on SQLite (the app's hand-written reads are few). */
const RAW_STATEMENTS = 32;

/** Runs async work one at a time, in arrival order. */
class FifoMutex {
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

/** More changes than this since a mark count as "anything may have changed". */
export const MAX_CHANGES = 5000;

/**
 * PostgreSQL: the current snapshot, and the change log's entries committed since snapshot $1 (seen
 * in the current one and not in $1), at most one more than {@link MAX_CHANGES}; one row with null
 * entry columns when there are none. The log is not read at all when the snapshot is still $1 (a
 * one-time filter): the generation read runs this on every turn of a busy event loop, and an
 * old transaction still open keeps the scan's start (the snapshot's xmin) back.
 */
const CHANGES_SINCE_SQL = `SELECT s.mark::text AS mark, c.project_id, c.kind, c.old_path, c.new_path
  FROM (SELECT pg_current_snapshot() AS mark) s
  LEFT JOIN LATERAL (SELECT * FROM change_log c WHERE s.mark::text <> $1
    AND c.xid >= pg_snapshot_xmin($1::pg_snapshot)
    AND NOT pg_visible_in_snapshot(c.xid, $1::pg_snapshot) LIMIT ${MAX_CHANGES + 1}) c ON true`;

/** Steps between snapshots that {@link Database.changesRead} can follow. */
const READ_CHANGES_KEPT = 64;

/**
 * A commit's change to a project, from the change log: `row` may move it in or out of a list or
 * within its order (anywhere under its old or new region path), `item` changes only what a page
 * shows of it, `all` (a region changed) may change any page. `auth`: a user or a session changed
 * what the session check reads (no project; see {@link Database.authChanged}).
 */
export interface Change {
  kind: 'row' | 'item' | 'all' | 'auth';
  projectId: number | null;
  paths: string[];
}

interface ChangeRow {
  project_id: number | string | null;
  kind: string;
  old_path: string | null;
  new_path: string | null;
}

function toChange(r: ChangeRow): Change {
  return {
    kind: r.kind === 'row' || r.kind === 'item' || r.kind === 'auth' ? r.kind : 'all',
    projectId: r.project_id === null ? null : Number(r.project_id),
    paths: [r.old_path, r.new_path].filter((p): p is string => p !== null),
  };
}

/**
 * The database as the services see it: `transaction()` for every write unit of work, `read` for
 * everything else.
 *
 * SQLite (docs/stack.md pitfall 1): TypeORM shares one connection for everything, so two overlapping
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
    entities: EntityList,
  ): Promise<Database> {
    const write = createDataSource(config, entities, 'write');
    await write.initialize();
    const db = new Database(config.dialect, write, write);
    await db.migrate();
    if (config.dialect === 'sqlite') {
      const read = createDataSource(config, entities, 'read');
      await read.initialize();
      return new Database(config.dialect, write, read);
    }
    return db;
  }

  /**
   * A reader for a worker thread (src/workbook.worker.ts): one read-only connection to a database
   * the app already opened and migrated; it writes nothing (SQLite opens the file read-only).
   */
  static async openReader(
    config: Pick<AppConfig, 'dialect' | 'sqlitePath' | 'databaseUrl'>,
    entities: EntityList,
  ): Promise<Database> {
    const read = createDataSource(config, entities, 'read', 2);
    await read.initialize();
    // its reads are scans of the scope, read once: a small page cache (SQLite's default here is
    // 16 MB per connection, which a province's scan fills)
    if (config.dialect === 'sqlite') await read.query('PRAGMA cache_size = -4000');
    return new Database(config.dialect, read, read);
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
    return this.writeMutex.run(() =>
      this.write.transaction(fn).finally(() => (this.turnGeneration = null)),
    );
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
   * A read of hand-written SQL (as {@link select}) whose rows come as arrays: for reads of every
   * project of a province, where a row object of ~30 named fields each (10,000 of them, garbage at
   * once) cost a third of the query's time and most of its garbage collection.
   */
  async selectRows(sql: string, params: Record<string, unknown>): Promise<Rows> {
    const [text, values] = bindNamed(this.dialect, sql, params);
    if (this.dialect === 'postgres') {
      const pool = (this.read.driver as unknown as { master: PgPool }).master;
      const r = await pool.query({ text, values, rowMode: 'array' });
      return { columns: r.fields.map((f) => f.name), rows: r.rows };
    }
    let stmt = this.rawStatements.get(text);
    if (!stmt) {
      stmt = (
        this.read.driver as unknown as { databaseConnection: SqliteHandle }
      ).databaseConnection
        .prepare(text)
        .raw(true);
      if (this.rawStatements.size >= RAW_STATEMENTS)
        this.rawStatements.delete(this.rawStatements.keys().next().value as string);
      this.rawStatements.set(text, stmt);
    }
    // better-sqlite3 cannot bind booleans (as TypeORM's driver does: 0/1)
    const rows = stmt.all(...values.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
    return { columns: stmt.columns().map((c) => c.name), rows };
  }
  private readonly rawStatements = new Map<string, SqliteStatement>();

  /**
   * PostgreSQL: a read as a named prepared statement on the pool (planned once per connection,
   * which TypeORM's `query` cannot do) — for hot reads whose planning costs more than their run.
   * `$n` placeholders; committed data only. SQLite: TypeORM's driver already keeps statements.
   */
  async selectPrepared<T>(
    name: string,
    text: string,
    values: unknown[],
    /** PostgreSQL: connections other than the pool's (the snapshot query's, {@link turnLane}) */
    on?: PgPool,
  ): Promise<T[]> {
    if (this.dialect !== 'postgres') return this.read.query(text, values);
    const pool = on ?? (this.read.driver as unknown as { master: PgPool }).master;
    return (await pool.query<T>({ name, text, values })).rows;
  }

  /**
   * A token that changes whenever any committed data may have changed, from any connection or
   * process: SQLite's `PRAGMA data_version` on the read connection (it changes when another
   * connection commits; all writes go through the write connection), PostgreSQL's current snapshot
   * (two equal snapshots see exactly the same committed transactions: a commit either leaves the
   * in-progress list or came after xmax). Reads cached under a token are valid while it is unchanged.
   *
   * PostgreSQL: the callers of one turn of the event loop share one snapshot query, sent after
   * all of them asked (so none misses a commit that ended before it asked). Under 50 connections
   * that is about one query per ten requests, where a query each held the list's req/s to that of
   * `/api/health`'s one `SELECT 1`. SQLite's read is a local call. `request`: see shareGeneration
   * (an AsyncLocalStorage did that before, but turned on Node's promise hooks for every promise of
   * every request, which cost `/api/health` a quarter of its req/s).
   */
  generation(request?: object): Promise<string> {
    const shared = request && this.requestGenerations.get(request);
    if (shared) return shared;
    if (this.dialect !== 'postgres') return Promise.resolve(this.sqliteGeneration());
    return (this.sharedGeneration ??= new Promise<void>((resolve) => setImmediate(resolve)).then(
      () => {
        this.sharedGeneration = null;
        return this.readGeneration();
      },
    ));
  }
  private sharedGeneration: Promise<string> | null = null;

  /**
   * One read per request: the auth guard's token, kept on the request's actor (the object the
   * guard made for this request alone), is what `generation(actor)` answers for the rest of the
   * request — the data as of its start. On PostgreSQL a second read cost every request another
   * round trip and another turn of a busy event loop.
   */
  shareGeneration(request: object, generation: Promise<string>): void {
    this.requestGenerations.set(request, generation);
  }
  private readonly requestGenerations = new WeakMap<object, Promise<string>>();

  /**
   * PostgreSQL: the snapshot, and with it what committed since an earlier snapshot (`lastMark`:
   * the latest this instance's generation reads or {@link changesSince} returned), read from the
   * change log as {@link changesSince} reads it, in the same round trip. A cache that catches up
   * to this token then takes those changes ({@link changesRead}) instead of asking the log again
   * while every request that saw the token waits.
   */
  private async readGeneration(): Promise<string> {
    const from = this.lastMark;
    // with no earlier snapshot ($1 null) the one-time filter leaves the log unread
    const rows = await this.selectPrepared<ChangeRow & { mark: string }>(
      'generation',
      CHANGES_SINCE_SQL,
      [from],
      this.turnLane(),
    );
    const mark = rows[0].mark;
    if (from !== null && mark !== from) {
      const changes = rows.filter((r) => r.kind !== null).map(toChange);
      this.readChanges.push({
        from,
        to: mark,
        changes: changes.length > MAX_CHANGES ? null : changes,
      });
      if (this.readChanges.length > READ_CHANGES_KEPT) this.readChanges.shift();
    }
    return (this.lastMark = mark);
  }
  private lastMark: string | null = null;

  /**
   * PostgreSQL: a connection of its own for the per-turn snapshot query, which every request of the
   * turn waits for. On the shared pool it queued behind the writes and the pages being computed: a
   * pool connection stays taken until the busy event loop gets to its answer, so under the bench's
   * busy load (50 list connections, 5 writers, a report every 2 s) the pool's 10 were all taken at
   * times — a connection waited 2.4 ms at the median, 31 ms at p99 and up to 195 ms, with up to 51
   * callers queued — and every request of that turn waited with it. Same settings as the pool's; up
   * to four connections, for the turns whose queries are still out while a slow moment lasts.
   */
  private turnLane(): PgPool {
    if (this.lane) return this.lane;
    const master = (this.read.driver as unknown as { master: PgPool & { options: object } }).master;
    const Pool = master.constructor as new (options: object) => LanePool;
    this.lane = new Pool({ ...master.options, max: 4 });
    // an idle connection the server ended: the next query opens another
    this.lane.on('error', (e) => this.logger.warn(`snapshot connection: ${e.message}`));
    return this.lane;
  }
  private lane: LanePool | null = null;

  /** What the latest generation reads found committed between two snapshots, oldest first. */
  private readonly readChanges: { from: string; to: string; changes: Change[] | null }[] = [];

  /**
   * What committed from change-log mark `from` to generation `to`, when this instance's own
   * generation reads already read it (PostgreSQL: both are snapshots), following their steps
   * from one snapshot to the next; undefined when they did not, and the log must be asked.
   */
  changesRead(from: string, to: string): { mark: string; changes: Change[] | null } | undefined {
    if (this.dialect !== 'postgres') return undefined;
    const changes: Change[] = [];
    let at = from;
    for (let steps = 0; at !== to && steps < READ_CHANGES_KEPT; steps++) {
      const step =
        this.readChanges.find((d) => d.from === at && d.to === to) ??
        this.readChanges.find((d) => d.from === at);
      if (!step) return undefined;
      if (step.changes === null) return { mark: to, changes: null };
      changes.push(...step.changes);
      at = step.to;
    }
    if (at !== to) return undefined;
    return { mark: to, changes: changes.length > MAX_CHANGES ? null : changes };
  }

  /**
   * Whether a user or a session may have changed what the session check reads between two
   * generation tokens (either order): false only when this instance's own generation reads
   * followed every commit between them and none was an `auth` entry of the change log
   * (AuthChangeLog migration). PostgreSQL: the session check then keeps the rows it read — after
   * each of the busy bench's 50 writes a second it read them again, one more round trip and one
   * more turn of the event loop for every request of the turn. SQLite: true whenever the tokens
   * differ (its read is local and cheap).
   */
  authChanged(a: string, b: string): boolean {
    if (a === b) return false;
    const between = this.changesRead(a, b) ?? this.changesRead(b, a);
    return !between?.changes || between.changes.some((c) => c.kind === 'auth');
  }

  /**
   * The generation token of the data as of a change-log mark from {@link changesSince}: on
   * PostgreSQL the mark is a snapshot, whose token is that of a generation read at the same moment;
   * SQLite's mark (the log's sequence) says nothing of `PRAGMA data_version` (null).
   */
  generationAt(mark: string): string | null {
    return this.dialect === 'postgres' ? mark : null;
  }

  /**
   * SQLite's token, read at most once per turn of the event loop: the PRAGMA starts a read
   * transaction (a lock on the WAL index), about 14 µs, twice per request. The turn's value is
   * dropped when this instance's write transaction ends, so no read after a commit here gets the
   * token from before it; another process's commit is seen from the next turn on.
   */
  private sqliteGeneration(): string {
    if (this.turnGeneration !== null) return this.turnGeneration;
    this.dataVersion ??= (
      this.read.driver as unknown as { databaseConnection: SqliteHandle }
    ).databaseConnection
      .prepare('PRAGMA data_version')
      .pluck();
    const token = String(this.dataVersion.get());
    this.turnGeneration = token;
    setImmediate(() => {
      if (this.turnGeneration === token) this.turnGeneration = null;
    });
    return token;
  }
  private dataVersion: { get(): unknown } | null = null;
  private turnGeneration: string | null = null;

  /**
   * What committed since `mark` (from an earlier call; null for none): the change log's entries
   * (see the ChangeLog migration) and the mark to pass next time, read in one statement. `changes`
   * is null when they cannot be known — no mark yet, more than {@link MAX_CHANGES} (a bulk
   * import), or a log that went backwards (a restored database) — and then anything may have
   * changed. SQLite commits one at a time, so its log's sequence is commit order; PostgreSQL's
   * mark is a snapshot, and the commits after it are the entries visible now and not in it.
   */
  async changesSince(mark: string | null): Promise<{ mark: string; changes: Change[] | null }> {
    if (this.dialect === 'postgres') {
      if (mark === null) {
        const [row] = (await this.read.query('SELECT pg_current_snapshot()::text AS mark')) as {
          mark: string;
        }[];
        this.lastMark = row.mark;
        return { mark: row.mark, changes: null };
      }
      const rows = (await this.read.query(CHANGES_SINCE_SQL, [mark])) as (ChangeRow & {
        mark: string;
      })[];
      const changes = rows.filter((r) => r.kind !== null).map(toChange);
      // the next generation read starts from here, so a caller at this mark can follow it
      this.lastMark = rows[0].mark;
      return { mark: rows[0].mark, changes: changes.length > MAX_CHANGES ? null : changes };
    }
    const rows = (await this.read.query(
      `SELECT MAX(seq) AS seq, NULL AS project_id, 'top' AS kind, NULL AS old_path, NULL AS new_path FROM change_log
       UNION ALL SELECT * FROM (SELECT seq, project_id, kind, old_path, new_path FROM change_log
         WHERE seq > ? ORDER BY seq LIMIT ${MAX_CHANGES + 1})`,
      [mark === null ? Number.MAX_SAFE_INTEGER : Number(mark)],
    )) as (ChangeRow & { seq: number | null })[];
    const top = String(rows[0].seq ?? 0);
    if (mark === null || Number(top) < Number(mark) || rows.length - 1 > MAX_CHANGES)
      return { mark: top, changes: null };
    return { mark: top, changes: rows.slice(1).map(toChange) };
  }

  /** Bind parameter placeholder n (1-based) for hand-written SQL. */
  param(n: number): string {
    return this.dialect === 'postgres' ? `$${n}` : '?';
  }

  async close(): Promise<void> {
    await this.lane?.end();
    if (this.read !== this.write && this.read.isInitialized) await this.read.destroy();
    if (this.write.isInitialized) await this.write.destroy();
  }
}
