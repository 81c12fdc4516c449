import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { NotFound, ruleViolation } from '../common/errors';
import { Database } from '../database/database';
import { Region } from './region.entity';
import { RegionView } from './dto/region.view';

/** Regions and the actor's scope: a user sees their region and everything below it. */
@Injectable()
export class RegionsService {
  /**
   * Regions change only through seeds and migrations: read each at most every 10 s, once — the
   * requests that need it meanwhile share the read (each reading it for itself, 50 list requests
   * queued 50 reads on PostgreSQL's pool every 10 s under the bench's busy load).
   */
  private readonly cache = new Map<number, { region: Promise<Region | null>; until: number }>();

  constructor(private readonly db: Database) {}

  private byId(id: number): Promise<Region | null> {
    const now = Date.now();
    let hit = this.cache.get(id);
    if (!hit || hit.until < now) {
      const entry = { region: this.db.reader(Region).findOneBy({ id }), until: now + 10_000 };
      // a failed read is not kept: the next request reads again
      entry.region.catch(() => this.cache.get(id) === entry && this.cache.delete(id));
      this.cache.set(id, (hit = entry));
    }
    return hit.region;
  }

  private view(r: Region): RegionView {
    return { id: r.id, name: r.name, level: r.level, parentId: r.parentId, code: r.code };
  }

  /** The path prefix the actor may see, or null for everything. */
  /** The names of some regions by id (no scope check: for labelling figures already scoped). */
  async names(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .reader(Region)
      .createQueryBuilder('r')
      .where('r.id IN (:...ids)', { ids })
      .getMany();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async scopePath(actor: Actor): Promise<string | null> {
    if (actor.regionId === null) return null;
    const r = await this.byId(actor.regionId);
    if (!r) throw new NotFound('用户所属行政区不存在');
    return r.path;
  }

  /** The level of the actor's region, or null for everything. */
  async scopeLevel(actor: Actor): Promise<Region['level'] | null> {
    return actor.regionId === null ? null : ((await this.byId(actor.regionId))?.level ?? null);
  }

  async list(actor: Actor): Promise<RegionView[]> {
    const scope = await this.scopePath(actor);
    const qb = this.db.reader(Region).createQueryBuilder('r').orderBy('r.path', 'ASC');
    if (scope) qb.where('r.path LIKE :p', { p: `${scope}%` });
    return (await qb.getMany()).map((r) => this.view(r));
  }

  /** Whether the actor's scope holds a region (null = the whole country, held only by a global scope). */
  async holds(actor: Actor, regionId: number | null): Promise<boolean> {
    const scope = await this.scopePath(actor);
    if (!scope) return true;
    if (regionId === null) return false;
    const r = await this.byId(regionId);
    return !!r && r.path.startsWith(scope);
  }

  /** A region within the actor's scope, or 404 — missing and out of scope look the same. */
  async findInScope(actor: Actor, id: number): Promise<Region> {
    const r = await this.byId(id);
    const scope = await this.scopePath(actor);
    if (!r || (scope && !r.path.startsWith(scope))) throw new NotFound('行政区');
    return r;
  }

  /**
   * A region a request body names (`regionId`): out of scope or missing is the caller's mistake (400
   * naming the field); anything else — a failing database — stays a 500.
   */
  async findNamedInScope(actor: Actor, id: number): Promise<Region> {
    return this.findInScope(actor, id).catch((e: unknown) => {
      throw e instanceof NotFound ? ruleViolation('regionId', 'REGION_NOT_FOUND') : e;
    });
  }

  async get(actor: Actor, id: number): Promise<RegionView> {
    return this.view(await this.findInScope(actor, id));
  }
}
