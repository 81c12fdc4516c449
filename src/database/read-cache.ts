import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from './database';

/**
 * What a cached value depends on, for entries that survive commits elsewhere: the region path
 * whose projects' list columns it depends on (`''` for all), and the projects whose shown figures
 * it holds (a page's items). Any other entry depends on everything.
 */
interface CacheDeps {
  scope: string;
  ids?: readonly number[];
  /**
   * Any change to a project under `scope`, of what a page shows as much as of a list column: a
   * roll-up of every project in scope (the 资金 summary), which no single id list covers.
   */
  under?: boolean;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
  /** Size of the resolved value (its `byteLength` when it has one), 0 until then. */
  bytes: number;
  /** Whether it was given deps; they are known once the value resolved. */
  tracked: boolean;
  deps: CacheDeps | null;
}

/**
 * Results of reads kept until the data changes. The first request that sees a new generation
 * token (`Database.generation()`: any commit from this instance, another instance or another
 * process) reads what changed since the last time (`Database.changesSince`, the change log; on
 * PostgreSQL usually brought by the token's own read, `Database.changesRead`) and
 * drops the entries it can alter: an entry given {@link CacheDeps} when a change is a `row` change
 * under its scope or touches one of its projects, every other entry on any commit, and everything
 * when the changes cannot be known. An entry still being computed then is not kept. At most
 * READ_CACHE_ENTRIES entries and READ_CACHE_MB of values (least recently used dropped first), a
 * minute at most per entry, in case the database was restored underneath. Concurrent misses on
 * one key share one computation.
 *
 * Callers put everything the result depends on in the key: the actor's scope, the normalized
 * query and the day (figures and overdue flags are as of today).
 */
@Injectable()
export class ReadCache {
  static readonly MAX_AGE_MS = 60_000;
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;
  private readonly maxBytes: number;
  private bytes = 0;
  /** Generations a sync has covered (a request may still hold one read before the last commit). */
  private readonly covered = new Set<string>();
  private mark: string | null = null;
  private syncedAt = 0;
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'readCacheEntries' | 'readCacheMB'>,
  ) {
    this.capacity = config.readCacheEntries;
    this.maxBytes = config.readCacheMB * 1024 * 1024;
  }

  /**
   * The value under `key`, computed when missing; `deps(value)` lets it outlive unrelated commits.
   * `request`: the caller's actor, whose request's token the auth guard already read.
   */
  async get<T>(
    key: string,
    compute: () => Promise<T>,
    deps?: (value: T) => CacheDeps,
    request?: object,
  ): Promise<T> {
    if (this.capacity === 0) return compute();
    const generation = await this.db.generation(request);
    if (!this.covered.has(generation)) await this.sync(generation);
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < ReadCache.MAX_AGE_MS) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.value as Promise<T>;
    }
    if (hit) this.drop(key);
    const value = compute();
    const entry: Entry = { at: now, value, bytes: 0, tracked: deps !== undefined, deps: null };
    this.entries.set(key, entry);
    value.then(
      (v) => {
        if (this.entries.get(key) !== entry) return;
        entry.deps = deps ? deps(v) : null;
        entry.bytes =
          typeof (v as { byteLength?: unknown })?.byteLength === 'number'
            ? (v as { byteLength: number }).byteLength
            : 64;
        this.bytes += entry.bytes;
        this.trim();
      },
      () => {
        if (this.entries.get(key) === entry) this.drop(key);
      },
    );
    this.trim();
    return value;
  }

  /** Catches up with the commits since the last sync, one sync at a time. */
  private sync(generation: string): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.catchUp(generation))
      .catch(() => {
        this.clear();
        this.covered.clear();
        this.mark = null;
      });
    return this.syncing;
  }

  private async catchUp(generation: string): Promise<void> {
    if (this.covered.has(generation)) return;
    // the log keeps an hour: after a long quiet spell start again
    const fresh = Date.now() - this.syncedAt < 10 * ReadCache.MAX_AGE_MS;
    // PostgreSQL: the generation read that gave this token may have read the changes already
    const known =
      fresh && this.mark !== null ? this.db.changesRead(this.mark, generation) : undefined;
    const { mark, changes: logged } =
      known ?? (await this.db.changesSince(fresh ? this.mark : null));
    // users and sessions: no entry holds them (an actor's scope is in the key)
    const changes = logged && logged.filter((c) => c.kind !== 'auth');
    this.mark = mark;
    // the mark is the token (the changes its read brought) or was read after it: this token is
    // covered by this sync, and so is the mark's own (PostgreSQL), which a commit between the
    // token and the log's read moved on
    if (this.covered.size >= 64) this.covered.clear();
    this.covered.add(generation);
    const reached = this.db.generationAt(mark);
    if (reached !== null) this.covered.add(reached);
    this.syncedAt = Date.now();
    if (changes === null) return this.clear();
    const items = new Set<number>();
    const rowPaths = new Set<string>();
    const itemPaths = new Set<string>();
    let all = false;
    let itemNowhere = false; // an item change whose project's region is not known
    for (const c of changes) {
      if (c.projectId !== null) items.add(c.projectId);
      if (c.kind === 'all' || (c.kind === 'row' && !c.paths.length)) all = true;
      if (c.kind === 'row') for (const p of c.paths) rowPaths.add(p);
      if (c.kind === 'item') for (const p of c.paths) itemPaths.add(p);
      if (c.kind === 'item' && !c.paths.length) itemNowhere = true;
    }
    if (all) return this.clear();
    const touches = (d: CacheDeps) =>
      [...rowPaths].some((p) => p.startsWith(d.scope)) ||
      (d.ids ?? []).some((id) => items.has(id)) ||
      (!!d.under && (itemNowhere || [...itemPaths].some((p) => p.startsWith(d.scope))));
    for (const [key, e] of [...this.entries]) {
      // untracked: any commit; still computing: it may have read before these changes
      const stale = !e.tracked || (changes.length > 0 && (!e.deps || touches(e.deps)));
      if (stale) this.drop(key);
    }
  }

  private clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private drop(key: string): void {
    this.bytes -= this.entries.get(key)?.bytes ?? 0;
    this.entries.delete(key);
  }

  /** Drops least recently used entries beyond the entry and byte limits. */
  private trim(): void {
    while (
      this.entries.size > this.capacity ||
      (this.bytes > this.maxBytes && this.entries.size > 1)
    )
      this.drop(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes held by resolved values. */
  get heldBytes(): number {
    return this.bytes;
  }
}

/** JSON with keys sorted and undefined left out: equal queries give equal cache keys. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
