/**
 * The project list's reads (项目台账): filters, order, paging, the 合计 of every match, and the
 * views with today's figures — as `plans/plans.query.ts` is the plans' reads. `ProjectsService`
 * keeps the writes. The SQL fragments a filter or an order adds are pure functions below, checked
 * in projects.query.spec.ts; the query itself by test/e2e/projects and list-totals-alerts.
 */
import { Injectable } from '@nestjs/common';
import { In, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { JsonBody } from '../common/json-body';
import { fenToWan, formatUnits, HUNDREDTHS } from '../common/money';
import { Page, pageWindow } from '../common/page';
import { Database } from '../database/database';
import { exactSumParts, joinSum } from '../database/raw-sql';
import { ReadCache, stableJson } from '../database/read-cache';
import { RegionsService } from '../regions/regions.service';
import { ALERT_RANKS_BY_IDS, alertRankSql, alertRanks, levelOfRank } from './alert-level';
import { AlertRefresh } from './alert-refresh';
import { ListProjectsQuery, SortField } from './dto/list-projects.dto';
import { FiguresService } from './figures.service';
import { figureExpr, overdueSql } from './figures.sql';
import { Project } from './project.entity';
import { ProjectTotals, ProjectView, toProjectView } from './project.view';

const SORT_SQL: Record<SortField, string> = {
  id: 'p.id',
  name: 'p.name',
  planYear: 'p.planYear',
  status: 'p.status',
  budgetWan: 'p.budgetFen',
  floorAreaM2: 'p.floorArea',
  plannedCompletion: 'p.plannedCompletionDue',
  seatsTotal:
    'p.seatsKindergarten + p.seatsPrimary + p.seatsJuniorMiddle + p.seatsSeniorSecondary + p.seatsSpecialEducation',
  lastReportedOn: 'p.lastReportedOn',
  progressPercent: 'p.progressPercent',
};

/** From this many matches a page is read in its sort order (see `listQuery`). */
const IN_ORDER_FROM = 1000;

const STAGE_COLUMN = {
  kindergarten: 'p.seatsKindergarten',
  primary: 'p.seatsPrimary',
  juniorMiddle: 'p.seatsJuniorMiddle',
  seniorSecondary: 'p.seatsSeniorSecondary',
  specialEducation: 'p.seatsSpecialEducation',
} as const;

/** The list's order: `name` ascending, `-name` descending (nulls last either way up); 年度 by default. */
export function listOrder(sort: string | undefined): {
  column: string;
  dir: 'ASC' | 'DESC';
  nulls: 'NULLS LAST' | 'NULLS FIRST';
} {
  const [field, dir] = sort?.startsWith('-')
    ? [sort.slice(1), 'DESC' as const]
    : [sort ?? 'planYear', 'ASC' as const];
  return {
    column: SORT_SQL[field as SortField],
    dir,
    nulls: dir === 'ASC' ? 'NULLS LAST' : 'NULLS FIRST',
  };
}

/** The columns 搜索 looks in, each `LIKE :like` with a backslash escaping. */
export const SEARCH_SQL = `(${['name', 'code', 'builder', 'contractor', 'manager', 'phone']
  .map((c) => `p.${c} LIKE :like ESCAPE '\\'`)
  .join(' OR ')})`;

/** 搜索's text as a LIKE pattern: anywhere in the column, `%`, `_` and a backslash meaning themselves. */
export function searchPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** 类型's filter: the kinds listed, `none` = 未分类 (the kind was never given; the reference projects have none). */
export function kindFilter(kind: readonly string[]): { sql: string; kinds: string[] } {
  const kinds = kind.filter((k) => k !== 'none');
  const blank = kind.includes('none') ? 'p.kind IS NULL' : null;
  const listed = kinds.length ? 'p.kind IN (:...kind)' : null;
  return { sql: `(${[listed, blank].filter(Boolean).join(' OR ')})`, kinds };
}

@Injectable()
export class ProjectsQuery {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
    private readonly money: FiguresService,
    private readonly cache: ReadCache,
    private readonly alerts: AlertRefresh,
  ) {}

  /** Views with today's money figures and 预警等级 (one grouped query each for the whole page). */
  async views(rows: Project[]): Promise<ProjectView[]> {
    const ids = rows.map((p) => p.id);
    const [figures, ranks] = await Promise.all([
      this.money.figures(ids, this.clock.today()),
      ids.length
        ? this.db.select<{ id: unknown; r: unknown }>(ALERT_RANKS_BY_IDS, { ids })
        : Promise.resolve([]),
    ]);
    const level = new Map(ranks.map((r) => [Number(r.id), levelOfRank(r.r)]));
    return rows.map((p) => ({
      ...toProjectView(p, figures.get(p.id)),
      alertLevel: level.get(p.id) ?? null,
    }));
  }

  scoped(
    qb: SelectQueryBuilder<Project>,
    scopePath: string | null,
    inOrder = false,
  ): SelectQueryBuilder<Project> {
    if (scopePath) {
      qb.andWhere(
        `${inOrder ? '+ ' : ''}p.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :scopePath)`,
        { scopePath: `${scopePath}%` },
      );
    }
    return qb;
  }

  /**
   * The list's query with every filter and the order, without paging (the export uses it too).
   * `inOrder` (SQLite, many matches): read the sort order's index and test the region on each
   * row, instead of reading the region's (or status's) rows and sorting them all — the unary `+`
   * keeps SQLite off those indexes (a province page: 7 ms → 1.3 ms; a county's is faster the
   * other way).
   */
  async listQuery(
    actor: Actor,
    q: ListProjectsQuery,
    inOrder = false,
  ): Promise<SelectQueryBuilder<Project>> {
    await this.alerts.current(); // 预警等级 is today's: the day's scan first, if none has run
    const plus = inOrder && this.db.dialect === 'sqlite';
    const qb = this.scoped(
      this.db.reader(Project).createQueryBuilder('p'),
      await this.regions.scopePath(actor),
      plus,
    );
    if (q.regionId !== undefined) {
      const region = await this.regions.findInScope(actor, q.regionId);
      qb.andWhere(
        `${plus ? '+ ' : ''}p.regionId IN (SELECT r2.id FROM region r2 WHERE r2.path LIKE :regionPath)`,
        { regionPath: `${region.path}%` },
      );
    }
    if (!q.includeArchived) qb.andWhere('p.archivedAt IS NULL');
    if (q.status?.length)
      qb.andWhere(`${plus ? '+ ' : ''}p.status IN (:...status)`, { status: q.status });
    if (q.kind?.length) {
      const { sql, kinds } = kindFilter(q.kind);
      qb.andWhere(sql, { kind: kinds });
    }
    if (q.stage) qb.andWhere(`${STAGE_COLUMN[q.stage]} > 0`);
    if (q.planYear !== undefined) qb.andWhere('p.planYear = :planYear', { planYear: q.planYear });
    if (q.q) qb.andWhere(SEARCH_SQL, { like: searchPattern(q.q) });
    if (q.alertLevel?.length)
      qb.andWhere(`${alertRankSql('p.id')} IN (:...alertRanks)`, {
        alertRanks: alertRanks(q.alertLevel),
      });
    if (q.overdue !== undefined) {
      const asOf = q.asOf ?? this.clock.today();
      // the status the project had on that day (its latest report on or before it)
      const cond = overdueSql('p.plannedCompletionDue', figureExpr('status', 'p'));
      qb.andWhere(q.overdue ? cond : `NOT ${cond}`, { asOf });
    }
    const { column, dir, nulls } = listOrder(q.sort);
    // ties by id in the same direction: one (field, id) index serves both orders on PostgreSQL
    qb.orderBy(column, dir, nulls).addOrderBy('p.id', dir);
    return qb;
  }

  /** A page of the list: the projects, the count of all that match, with today's figures. */
  async list(actor: Actor, q: ListProjectsQuery): Promise<Page<ProjectView>> {
    return this.page(actor, q, await this.cacheKey(actor, q));
  }

  /**
   * The 合计 of everything the list's filters match (not one page): count, seats by stage, floor
   * area, land and 资金测算 summed exactly; projects without an estimate (未测算) counted apart.
   * Kept like the list's count, until a list column changes in scope.
   */
  async totals(actor: Actor, q: ListProjectsQuery): Promise<ProjectTotals> {
    const key = await this.cacheKey(actor, q);
    const scope = await this.listScope(actor, q);
    return this.cache.get(
      `${key}|totals`,
      async () => {
        const qb = (await this.listQuery(actor, q)).orderBy().select('COUNT(*)', 'n');
        for (const [stage, col] of Object.entries(STAGE_COLUMN))
          qb.addSelect(`COALESCE(SUM(${col}), 0)`, stage);
        qb.addSelect('COUNT(*) - COUNT(p.budgetFen)', 'budget_unknown');
        qb.addSelect('COUNT(*) - COUNT(p.floorArea)', 'floor_unknown');
        qb.addSelect('COUNT(*) - COUNT(p.land)', 'land_unknown');
        for (const [alias, col] of [
          ['floor', 'p.floorArea'],
          ['land', 'p.land'],
          ['budget', 'p.budgetFen'],
        ]) {
          const [hi, lo] = exactSumParts(col, this.db.dialect);
          qb.addSelect(hi, `${alias}_hi`).addSelect(lo, `${alias}_lo`);
        }
        const row = (await qb.getRawOne<Record<string, unknown>>()) ?? {};
        const seats = Object.fromEntries(
          Object.keys(STAGE_COLUMN).map((k) => [k, Number(row[k] ?? 0)]),
        ) as Record<keyof typeof STAGE_COLUMN, number>;
        const sum = (alias: string) => joinSum(row, alias) ?? 0n;
        return {
          count: Number(row.n ?? 0),
          seats: { ...seats, total: Object.values(seats).reduce((a, b) => a + b, 0) },
          floorAreaM2: formatUnits(sum('floor'), HUNDREDTHS),
          landMu: formatUnits(sum('land'), HUNDREDTHS),
          budgetWan: fenToWan(sum('budget')),
          budgetUnknown: Number(row.budget_unknown ?? 0),
          floorAreaUnknown: Number(row.floor_unknown ?? 0),
          landUnknown: Number(row.land_unknown ?? 0),
        };
      },
      () => ({ scope }),
      actor,
    );
  }

  /**
   * The same page as JSON, kept until the data changes (ReadCache): keyed by the actor's scope,
   * the filters and today (the figures are today's); the count by the filters alone, so paging
   * through a list counts once.
   */
  async listJson(actor: Actor, q: ListProjectsQuery): Promise<JsonBody> {
    await this.alerts.current(); // before the cache: a page cached yesterday names yesterday's 预警等级
    const key = await this.cacheKey(actor, q);
    const { page, pageSize } = pageWindow(q.page, q.pageSize);
    const scope = await this.listScope(actor, q);
    let ids: number[] = [];
    return this.cache.get(
      `${key}|${q.sort ?? ''}|${page}|${pageSize}`,
      async () => {
        const p = await this.page(actor, q, key, scope);
        ids = p.items.map((i) => i.id);
        return new JsonBody(p);
      },
      // a page changes with its projects' figures, or with a list column of a project in scope
      () => ({ scope, ids }),
      actor,
    );
  }

  /** The region path a list's matches lie under ('' = everywhere). */
  private async listScope(actor: Actor, q: ListProjectsQuery): Promise<string> {
    if (q.regionId !== undefined) return (await this.regions.findInScope(actor, q.regionId)).path;
    return (await this.regions.scopePath(actor)) ?? '';
  }

  private async cacheKey(actor: Actor, q: ListProjectsQuery): Promise<string> {
    if (q.regionId !== undefined) await this.regions.findInScope(actor, q.regionId); // 404 before any cache
    const { page: _p, pageSize: _s, sort: _o, ...filters } = q;
    return `projects|${await this.regions.scopePath(actor)}|${this.clock.today()}|${stableJson(filters)}`;
  }

  private async page(
    actor: Actor,
    q: ListProjectsQuery,
    key: string,
    scope?: string,
  ): Promise<Page<ProjectView>> {
    const { page, pageSize, offset } = pageWindow(q.page, q.pageSize);
    const scopePath = scope ?? (await this.listScope(actor, q));
    // COUNT(*) over the same filters (TypeORM's getCount counts DISTINCT ids, needlessly slower)
    const counting = this.cache.get(
      `${key}|count`,
      async () => {
        const counted = await (
          await this.listQuery(actor, q)
        )
          .orderBy()
          .select('COUNT(*)', 'n')
          .getRawOne<{ n: string | number }>();
        return Number(counted?.n ?? 0);
      },
      () => ({ scope: scopePath }),
      actor,
    );
    // the page's ids in order, kept until a list column changes in scope: after a change to what
    // a page shows of a project only the rows are read again
    let read: Project[] | null = null;
    const pageIds = (inOrder: boolean) =>
      this.cache.get(
        `${key}|${q.sort ?? ''}|${page}|${pageSize}|ids`,
        async () => {
          const qb = await this.listQuery(actor, q, inOrder);
          read = await qb.offset(offset).limit(pageSize).getMany();
          return read.map((p) => p.id);
        },
        () => ({ scope: scopePath }),
        actor,
      );
    // SQLite: many matches are read in their sort order (found sooner than sorting them all);
    // PostgreSQL plans that itself, so the count and the page run at once, on two connections
    const [total, ids] =
      this.db.dialect === 'postgres'
        ? await Promise.all([counting, pageIds(false)])
        : await counting.then(async (n) => [n, await pageIds(n >= IN_ORDER_FROM)] as const);
    const rows: Project[] =
      read ?? (ids.length ? await this.db.reader(Project).findBy({ id: In(ids) }) : []);
    const byId = new Map(rows.map((p) => [p.id, p]));
    const ordered = ids.flatMap((id) => byId.get(id) ?? []);
    return { items: await this.views(ordered), total, page, pageSize };
  }
}
