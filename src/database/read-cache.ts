import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from './database';

interface Entry {
  generation: string;
  at: number;
  value: Promise<unknown>;
  /** Size of the resolved value (its `byteLength` when it has one), 0 until then. */
  bytes: number;
}

/**
 * Results of reads kept until the data changes: each entry is stored with the database's
 * generation token (`Database.generation()`) and served only while the token is unchanged, so a
 * commit from this instance, another instance or another process makes every entry miss; the
 * first request that sees a new token drops them all (a token never comes back). At most
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
  private generationSeen = '';

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'readCacheEntries' | 'readCacheMB'>,
  ) {
    this.capacity = config.readCacheEntries;
    this.maxBytes = config.readCacheMB * 1024 * 1024;
  }

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.capacity === 0) return compute();
    const generation = await this.db.generation();
    if (generation !== this.generationSeen) {
      this.entries.clear();
      this.bytes = 0;
      this.generationSeen = generation;
    }
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation && now - hit.at < ReadCache.MAX_AGE_MS) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.value as Promise<T>;
    }
    if (hit) this.drop(key);
    const value = compute();
    const entry: Entry = { generation, at: now, value, bytes: 0 };
    this.entries.set(key, entry);
    value.then(
      (v) => {
        if (this.entries.get(key) !== entry) return;
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
