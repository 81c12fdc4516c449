import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from './database';

interface Entry {
  generation: string;
  at: number;
  value: Promise<unknown>;
}

/**
 * Results of reads kept until the data changes: each entry is stored with the database's
 * generation token (`Database.generation()`) and served only while the token is unchanged, so a
 * commit from this instance, another instance or another process makes every entry miss. A fixed
 * number of entries (least recently used dropped first) and a minute at most per entry, in case
 * the database was restored underneath. Concurrent misses on one key share one computation.
 *
 * Callers put everything the result depends on in the key: the actor's scope, the normalized
 * query and the day (figures and overdue flags are as of today).
 */
@Injectable()
export class ReadCache {
  static readonly MAX_AGE_MS = 60_000;
  private readonly entries = new Map<string, Entry>();
  private readonly capacity: number;

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'readCacheEntries'>,
  ) {
    this.capacity = config.readCacheEntries;
  }

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.capacity === 0) return compute();
    const generation = await this.db.generation();
    const now = Date.now();
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && hit.generation === generation && now - hit.at < ReadCache.MAX_AGE_MS) {
      this.entries.set(key, hit); // most recently used last
      return hit.value as Promise<T>;
    }
    const value = compute();
    const entry: Entry = { generation, at: now, value };
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** JSON with keys sorted and undefined left out: equal queries give equal cache keys. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
