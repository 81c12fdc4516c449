import { Injectable } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { InvalidInput, NotFound } from '../common/errors';
import { formatCoordinate } from '../common/geo';
import { byPinyin } from '../common/pinyin';
import { fenToWan } from '../common/money';
import { Database } from '../database/database';
import { ReadCache } from '../database/read-cache';
import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { DashboardService } from '../reports/dashboard.service';
import { alertInputOf, ReportDataService } from '../reports/report-data.service';
import { rankCounties } from '../reports/report-rates';
import { checkBoundary } from './boundary-check';
import { BoundaryQuery, MapQuery, UploadBoundaryDto } from './dto/map.dto';
import { MapBoundaryInfo, MapBoundaryShapes, MapCell, MapPoint, MapView } from './dto/map.view';
import { MapBoundary } from './map-boundary.entity';

type Computed = Omit<MapView, 'boundary'> & { ids: number[] };

/**
 * 挂图作战: the located projects of a scope and its counties' cells as of a day. The cells' rates
 * are the county ranking's (`rankCounties` over `projectsAsOf`, as 首页 computes them); the
 * points' alert levels and the cells' red alerts are the alerts 首页 counts for the day.
 */
@Injectable()
export class MapService {
  constructor(
    private readonly data: ReportDataService,
    private readonly dashboards: DashboardService,
    private readonly alerts: AlertsService,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
    private readonly db: Database,
  ) {}

  async map(actor: Actor, q: MapQuery): Promise<MapView> {
    const asOf = q.asOf ?? this.clock.today();
    if (asOf === this.clock.today()) await this.alerts.current();
    const { path, region } = await this.data.scope(actor, q.regionId);
    // kept until a change under the scope, as 首页's figures are (a location is a project change)
    const { ids: _ids, ...view } = await this.cache.get(
      `map|${path ?? ''}|${region?.id ?? ''}|${asOf}`,
      () => this.fromDashboard(actor, q, path, region, asOf),
      (v) => ({ scope: path ?? '', ids: v.ids }),
    );
    return { ...view, boundary: region ? await this.boundaryInfo(region) : null };
  }

  private async compute(
    path: string | null,
    region: Region | null,
    asOf: string,
  ): Promise<Computed> {
    const [projects, counties, located] = await Promise.all([
      this.data.projectsAsOf(path, asOf),
      this.data.countiesUnder(path),
      this.locations(path),
    ]);
    const severities = await this.alerts.severitiesByProject(
      path,
      asOf,
      projects.map(alertInputOf),
    );
    const points: MapPoint[] = [];
    const perCounty = new Map<number, { count: number; located: number; red: number }>();
    for (const p of projects) {
      const sev = severities.get(p.id);
      const where = located.get(p.id);
      let c = perCounty.get(p.regionId);
      if (!c) perCounty.set(p.regionId, (c = { count: 0, located: 0, red: 0 }));
      c.count++;
      c.red += sev?.red ?? 0;
      if (!where) continue;
      c.located++;
      points.push({
        id: p.id,
        name: p.name,
        regionId: p.regionId,
        status: p.status,
        alertLevel: sev?.red ? 'red' : sev?.yellow ? 'yellow' : sev?.blue ? 'blue' : null,
        seats:
          p.seats.kindergarten +
          p.seats.primary +
          p.seats.juniorMiddle +
          p.seats.seniorSecondary +
          p.seats.specialEducation,
        budgetWan: p.budget === null ? null : fenToWan(p.budget),
        lat: formatCoordinate(where.lat)!,
        lng: formatCoordinate(where.lng)!,
      });
    }
    const cells: MapCell[] = rankCounties(counties, projects, asOf)
      .map(({ c, r, overdue }) => {
        const own = perCounty.get(c.id);
        return {
          regionId: c.id,
          name: c.name,
          projectCount: own?.count ?? 0,
          located: own?.located ?? 0,
          overdue,
          redAlerts: own?.red ?? 0,
          ...r,
        };
      })
      .sort((a, b) => byPinyin(a.name, b.name) || a.regionId - b.regionId);
    return {
      asOf,
      region: {
        id: region?.id ?? null,
        name: region?.name ?? '全部地区',
        level: region?.level ?? null,
      },
      cells,
      points,
      unlocated: projects.length - points.length,
      ids: projects.map((p) => p.id),
    };
  }

  /**
   * The map from 首页's own computation of the day (`DashboardService.withProjects`: cached, and
   * computed in a worker thread — the map card asks after 首页's figures, so they are usually
   * there already): the county cells are its ranking rows, the points its projects as of the day
   * with their alerts, placed by today's locations. A single county (首页 ranks none) is computed
   * here in full: it is small.
   */
  private async fromDashboard(
    actor: Actor,
    q: MapQuery,
    path: string | null,
    region: Region | null,
    asOf: string,
  ): Promise<Computed> {
    const [{ dashboard: dash, projects }, located] = await Promise.all([
      this.dashboards.withProjects(actor, { asOf, regionId: q.regionId }),
      this.locations(path),
    ]);
    if (!dash.counties.length) return this.compute(path, region, asOf);
    const points: MapPoint[] = [];
    const perCounty = new Map<number, { count: number; located: number; red: number }>();
    for (const p of projects) {
      let c = perCounty.get(p.regionId);
      if (!c) perCounty.set(p.regionId, (c = { count: 0, located: 0, red: 0 }));
      c.count++;
      c.red += p.redAlerts;
      const where = located.get(p.id);
      if (!where) continue;
      c.located++;
      points.push({
        id: p.id,
        name: p.name,
        regionId: p.regionId,
        status: p.status,
        alertLevel: p.alertLevel,
        seats: p.seats,
        budgetWan: p.budgetFen === null ? null : fenToWan(p.budgetFen),
        lat: formatCoordinate(where.lat)!,
        lng: formatCoordinate(where.lng)!,
      });
    }
    const cells: MapCell[] = dash.counties
      .map(({ timelinessRate: _t, ...c }) => {
        const own = perCounty.get(c.regionId);
        return {
          ...c,
          projectCount: own?.count ?? 0,
          located: own?.located ?? 0,
          redAlerts: own?.red ?? 0,
        };
      })
      .sort((a, b) => byPinyin(a.name, b.name) || a.regionId - b.regionId);
    return {
      asOf,
      region: dash.region,
      cells,
      points,
      unlocated: projects.length - points.length,
      ids: projects.map((p) => p.id),
    };
  }

  /** The located projects under a path: id → millionths. */
  private async locations(path: string | null): Promise<Map<number, { lat: number; lng: number }>> {
    const rows: { id: number | string; lat: number | string; lng: number | string }[] =
      await this.db
        .reader(Project)
        .createQueryBuilder('p')
        .select('p.id', 'id')
        .addSelect('p.latE6', 'lat')
        .addSelect('p.lngE6', 'lng')
        .innerJoin(Region, 'r', 'r.id = p.regionId')
        .where('p.latE6 IS NOT NULL AND p.lngE6 IS NOT NULL AND r.path LIKE :path', {
          path: `${path ?? ''}%`,
        })
        .getRawMany();
    return new Map(rows.map((r) => [Number(r.id), { lat: Number(r.lat), lng: Number(r.lng) }]));
  }

  private async boundaryInfo(region: Region): Promise<MapBoundaryInfo | null> {
    const row = await this.db
      .reader(MapBoundary)
      .createQueryBuilder('b')
      .select([
        'b.regionId',
        'b.approvalNo',
        'b.source',
        'b.features',
        'b.bytes',
        'b.uploadedBy',
        'b.uploadedAt',
      ])
      .where('b.regionId = :id', { id: region.id })
      .getOne();
    return row ? infoOf(row, region.name) : null;
  }

  /** Every uploaded boundary in the caller's scope (系统管理 → 地图边界). */
  async list(actor: Actor): Promise<MapBoundaryInfo[]> {
    const scope = await this.regions.scopePath(actor);
    const rows = await this.db
      .reader(MapBoundary)
      .createQueryBuilder('b')
      .select([
        'b.regionId',
        'b.approvalNo',
        'b.source',
        'b.features',
        'b.bytes',
        'b.uploadedBy',
        'b.uploadedAt',
      ])
      .innerJoin(Region, 'r', 'r.id = b.regionId')
      .where('r.path LIKE :path', { path: `${scope ?? ''}%` })
      .orderBy('r.path')
      .getMany();
    const names = new Map(
      (await this.db.reader(Region).findBy({})).map((r) => [r.id, r.name] as const),
    );
    return rows.map((b) => infoOf(b, names.get(b.regionId) ?? ''));
  }

  /** The boundary with its shapes, for drawing; 404 when the region has none or is out of scope. */
  async shapes(actor: Actor, q: BoundaryQuery): Promise<MapBoundaryShapes> {
    const id = q.regionId ?? actor.regionId;
    if (!id) throw new NotFound('地图边界');
    const region = await this.regions.findInScope(actor, id);
    const row = await this.db.reader(MapBoundary).findOneBy({ regionId: region.id });
    if (row) return { ...infoOf(row, region.name), geojson: JSON.parse(row.geojson) as object };
    if (q.nearest) {
      const own = await this.ownShape(region);
      if (own) return own;
    }
    throw new NotFound('地图边界');
  }

  /**
   * A region's own shape from the nearest region above it with a boundary: that boundary's
   * feature named as the region (its 审图号 and 来源 with it); null when none draws it. Read past the
   * caller's scope, as it shows only the caller's own region.
   */
  private async ownShape(region: Region): Promise<MapBoundaryShapes | null> {
    const above = region.path
      .split('/')
      .filter(Boolean)
      .map(Number)
      .filter((id) => id !== region.id)
      .reverse();
    for (const id of above) {
      const row = await this.db.reader(MapBoundary).findOneBy({ regionId: id });
      if (!row) continue;
      const all = JSON.parse(row.geojson) as {
        type: string;
        features: { properties?: { name?: unknown } | null }[];
      };
      const features = all.features.filter(
        (f) => typeof f.properties?.name === 'string' && f.properties.name.trim() === region.name,
      );
      if (!features.length) return null;
      const parent = await this.db.reader(Region).findOneBy({ id });
      return {
        ...infoOf({ ...row, features: features.length }, parent?.name ?? ''),
        geojson: { type: 'FeatureCollection', features },
      };
    }
    return null;
  }

  /** Checks and stores (or replaces) a region's boundary; every problem named in one 400. */
  async upload(
    actor: Actor,
    file: { buffer: Buffer } | undefined,
    dto: UploadBoundaryDto,
  ): Promise<MapBoundaryInfo> {
    const region = await this.regions.findNamedInScope(actor, dto.regionId);
    const children = await this.db.reader(Region).findBy({ parentId: region.id });
    const checked = checkBoundary(
      { bytes: file?.buffer ?? null, approvalNo: dto.approvalNo, source: dto.source },
      children.map((c) => c.name),
    );
    if (checked.errors.length) throw new InvalidInput(checked.errors, 'BOUNDARY_INVALID');
    const row: MapBoundary = {
      regionId: region.id,
      approvalNo: dto.approvalNo!.trim(),
      source: dto.source!.trim(),
      geojson: checked.geojson!,
      features: checked.features,
      bytes: file!.buffer.length,
      uploadedBy: actor.username,
      uploadedAt: this.clock.now().toISOString(),
    };
    await this.db.transaction(async (em) => {
      const before = await em.findOneBy(MapBoundary, { regionId: region.id });
      if (before) await em.delete(MapBoundary, { regionId: region.id });
      await em.insert(MapBoundary, row);
      await this.audit.record(em, actor, {
        action: before ? 'update' : 'create',
        entity: 'map_boundary',
        entityId: region.id,
        changes: {
          approvalNo: { old: before?.approvalNo ?? null, new: row.approvalNo },
          source: { old: before?.source ?? null, new: row.source },
          features: { old: before?.features ?? null, new: row.features },
        },
      });
    });
    return infoOf(row, region.name);
  }

  async remove(actor: Actor, regionId: number): Promise<MapBoundaryInfo> {
    const region = await this.regions.findInScope(actor, regionId);
    return this.db.transaction(async (em) => {
      const before = await em.findOneBy(MapBoundary, { regionId: region.id });
      if (!before) throw new NotFound('地图边界');
      await em.delete(MapBoundary, { regionId: region.id });
      await this.audit.record(em, actor, {
        action: 'delete',
        entity: 'map_boundary',
        entityId: region.id,
        changes: {
          approvalNo: { old: before.approvalNo, new: null },
          source: { old: before.source, new: null },
        },
      });
      const { geojson: _shapes, ...info } = before;
      return infoOf(info, region.name);
    });
  }
}

function infoOf(b: Omit<MapBoundary, 'geojson'>, regionName: string): MapBoundaryInfo {
  return {
    regionId: b.regionId,
    regionName,
    approvalNo: b.approvalNo,
    source: b.source,
    features: b.features,
    bytes: b.bytes,
    uploadedBy: b.uploadedBy,
    uploadedAt: b.uploadedAt,
  };
}
