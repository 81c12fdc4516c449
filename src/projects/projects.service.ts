import { AlertRefresh } from './alert-refresh';
import { Injectable } from '@nestjs/common';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { Action, projectFieldAction } from '../common/permissions';
import { Permissions } from '../common/permissions.service';
import { AuditService, diffViews } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { dueDate } from '../common/dates';
import {
  fieldError,
  FieldError,
  InvalidInput,
  NotFound,
  ruleViolation,
  VersionConflict,
} from '../common/errors';
import { fenToWan, formatUnits, HUNDREDTHS, toUnits, WAN } from '../common/money';
import { Page, pageWindow } from '../common/page';
import { Database } from '../database/database';
import { ReadCache, stableJson } from '../database/read-cache';
import { JsonBody } from '../common/json-body';
import { BudgetRevision } from './budget-revision.entity';
import { FiguresService } from './figures.service';
import { figureExpr, overdueSql } from './figures.sql';
import { updateVersioned } from '../database/versioned-update';
import { exactSumParts, joinSum } from '../database/raw-sql';
import { ALERT_RANKS_BY_IDS, alertRankSql, alertRanks, levelOfRank } from './alert-level';
import { DEFAULT_MILESTONES } from './milestone-defaults';
import { ProgressReport } from './progress-report.entity';
import { toProgressView } from './progress.view';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { CreateProjectDto, UpdateProjectDto } from './dto/project.dto';
import { ListProjectsQuery, SortField } from './dto/list-projects.dto';
import { Project } from './project.entity';
import {
  checkTransition,
  COMPLETED_STATUSES,
  kindFromName,
  ProjectStatus,
  TRANSITIONS,
} from './project-rules';
import { ProjectTotals, ProjectView, toProjectView } from './project.view';
import {
  defaultMilestoneRows,
  insertCreatedProjects,
  NewMilestone,
  newProjectRow,
} from './project-creation';

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

/** What a progress report changes; shared by POST …/progress and a PATCH that changes status. */
export interface ReportInput {
  reportedOn: string;
  status: ProjectStatus;
  progressPercent: number;
  investmentCompletedFen: number | null;
  actualCompletion: string | null;
  note: string | null;
}

@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly money: FiguresService,
    private readonly cache: ReadCache,
    private readonly alerts: AlertRefresh,
    private readonly permissions: Permissions,
  ) {}

  /** Views with today's money figures and 预警等级 (one grouped query each for the whole page). */
  private async views(rows: Project[]): Promise<ProjectView[]> {
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

  // ---- reads ----------------------------------------------------------------------------

  private scoped(
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
      // `none` = 未分类: the kind was never given (the reference projects have none)
      const kinds = q.kind.filter((k) => k !== 'none');
      const blank = q.kind.includes('none') ? 'p.kind IS NULL' : null;
      const listed = kinds.length ? 'p.kind IN (:...kind)' : null;
      qb.andWhere(`(${[listed, blank].filter(Boolean).join(' OR ')})`, { kind: kinds });
    }
    if (q.stage) qb.andWhere(`${STAGE_COLUMN[q.stage]} > 0`);
    if (q.planYear !== undefined) qb.andWhere('p.planYear = :planYear', { planYear: q.planYear });
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const cols = ['name', 'code', 'builder', 'contractor', 'manager', 'phone'];
      qb.andWhere(`(${cols.map((c) => `p.${c} LIKE :like ESCAPE '\\'`).join(' OR ')})`, { like });
    }
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
    const [field, dir] = q.sort?.startsWith('-')
      ? [q.sort.slice(1), 'DESC' as const]
      : [q.sort ?? 'planYear', 'ASC' as const];
    // ties by id in the same direction: one (field, id) index serves both orders on PostgreSQL
    qb.orderBy(
      SORT_SQL[field as SortField],
      dir,
      dir === 'ASC' ? 'NULLS LAST' : 'NULLS FIRST',
    ).addOrderBy('p.id', dir);
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

  /** The project if it exists in the actor's region, else 404 (missing and out of scope alike). */
  async findInScope(actor: Actor, id: number, em?: EntityManager): Promise<Project> {
    const manager = em ?? this.db.read.manager;
    const qb = manager.createQueryBuilder(Project, 'p').where('p.id = :id', { id });
    this.scoped(qb, await this.regions.scopePath(actor));
    const p = await qb.getOne();
    if (!p) throw new NotFound('项目');
    return p;
  }

  /**
   * The project for a write to it or to what hangs off it (milestones, funding lines, payments,
   * budget revisions): in scope, and not archived — an archived project is read-only (400).
   */
  async findWritable(actor: Actor, id: number, em: EntityManager): Promise<Project> {
    const p = await this.findInScope(actor, id, em);
    if (p.archivedAt) throw ruleViolation('id', 'PROJECT_ARCHIVED');
    return p;
  }

  /** One project, with the statuses a progress report may set next (its own included). */
  async get(actor: Actor, id: number): Promise<ProjectView & { nextStatuses: ProjectStatus[] }> {
    const view = (await this.views([await this.findInScope(actor, id)]))[0];
    return { ...view, nextStatuses: [view.status, ...TRANSITIONS[view.status]] };
  }

  // ---- writes ---------------------------------------------------------------------------

  /** A county-level region inside the actor's scope, or a 400 naming the field. */
  private async checkRegion(actor: Actor, em: EntityManager, regionId: number): Promise<void> {
    const scope = await this.regions.scopePath(actor);
    const r = await em.findOneBy(Region, { id: regionId });
    if (!r || (scope && !r.path.startsWith(scope)))
      throw ruleViolation('regionId', 'REGION_NOT_FOUND');
    if (r.level !== 'county') throw ruleViolation('regionId', 'REGION_NOT_COUNTY', r.name);
  }

  /**
   * A plan the project may belong to: one of its own region or of a region above it (a city plan
   * counts its counties). Any other plan — another county's — answers exactly like a missing one.
   */
  private async checkPlan(
    em: EntityManager,
    planId: number | null | undefined,
    regionId: number,
  ): Promise<void> {
    if (!planId) return;
    // by table name: plans/ reads projects' figures, so projects/ does not import its entity
    const [row] = (await em.query(
      `SELECT pr.path AS plan_path, r.path AS project_path FROM plan p JOIN region pr ON pr.id = p.region_id,
       region r WHERE p.id = ${this.db.param(1)} AND r.id = ${this.db.param(2)}`,
      [planId, regionId],
    )) as { plan_path: string; project_path: string }[];
    if (!row || !row.project_path.startsWith(row.plan_path))
      throw ruleViolation('planId', 'NOT_FOUND', '规划');
  }

  /** Copies the fields a DTO gives onto a project; `undefined` = not given, `null` = clear. */
  private applyFields(p: Project, dto: CreateProjectDto | UpdateProjectDto): void {
    if (dto.name !== undefined) p.name = dto.name.trim();
    if (dto.seats !== undefined) {
      const s = dto.seats;
      if (s.kindergarten !== undefined) p.seatsKindergarten = s.kindergarten ?? 0;
      if (s.primary !== undefined) p.seatsPrimary = s.primary ?? 0;
      if (s.juniorMiddle !== undefined) p.seatsJuniorMiddle = s.juniorMiddle ?? 0;
      if (s.seniorSecondary !== undefined) p.seatsSeniorSecondary = s.seniorSecondary ?? 0;
      if (s.specialEducation !== undefined) p.seatsSpecialEducation = s.specialEducation ?? 0;
    }
    if (dto.plannedCompletion !== undefined) {
      p.plannedCompletion = dto.plannedCompletion;
      p.plannedCompletionDue = dto.plannedCompletion ? dueDate(dto.plannedCompletion) : null;
    }
    if (dto.floorAreaM2 !== undefined)
      p.floorArea = dto.floorAreaM2 === null ? null : toUnits(dto.floorAreaM2, HUNDREDTHS);
    if (dto.landMu !== undefined)
      p.land = dto.landMu === null ? null : toUnits(dto.landMu, HUNDREDTHS);
    if (dto.budgetWan !== undefined) p.budgetFen = toUnits(dto.budgetWan, WAN);
    if (dto.planYear !== undefined) p.planYear = dto.planYear;
    if (dto.regionId !== undefined) p.regionId = dto.regionId;
    if (dto.code !== undefined) p.code = dto.code?.trim() || null;
    if (dto.town !== undefined) p.town = dto.town?.trim() || null;
    if (dto.kind !== undefined) p.kind = dto.kind;
    if (dto.transitionalSeats !== undefined) p.transitionalSeats = dto.transitionalSeats;
    if (dto.boardingBeds !== undefined) p.boardingBeds = dto.boardingBeds;
    if (dto.plannedStart !== undefined) p.plannedStart = dto.plannedStart;
    if (dto.planId !== undefined) p.planId = dto.planId;
    if (dto.builder !== undefined) p.builder = dto.builder?.trim() || null;
    if (dto.contractor !== undefined) p.contractor = dto.contractor?.trim() || null;
    if (dto.manager !== undefined) p.manager = dto.manager?.trim() || null;
    if (dto.phone !== undefined) p.phone = dto.phone?.trim() || null;
  }

  private checkDates(p: Project): FieldError[] {
    if (
      p.plannedStart &&
      p.plannedCompletionDue &&
      dueDate(p.plannedStart) > p.plannedCompletionDue
    ) {
      return [
        fieldError(
          'plannedStart',
          'PLANNED_START_AFTER_COMPLETION',
          `${p.plannedStart} > ${p.plannedCompletion}`,
        ),
      ];
    }
    return [];
  }

  /**
   * Who writes what, field by field, from the permission table (`projectFieldAction`): 资金测算 is
   * `project.edit.budget`, everything else `project.edit.data`, and a new project `project.create`.
   * A body touching both needs both; the budget is checked first (its 403 code wins).
   */
  private checkFieldRoles(
    actor: Actor,
    dto: CreateProjectDto | UpdateProjectDto,
    creating: boolean,
  ): void {
    const needed = new Set<Action>();
    for (const [k, v] of Object.entries(dto))
      if (v !== undefined && k !== 'version') needed.add(projectFieldAction(k));
    if (creating) {
      needed.delete('project.edit.data');
      needed.add('project.create');
    }
    const order: Action[] = ['project.edit.budget', 'project.create', 'project.edit.data'];
    for (const action of order) if (needed.has(action)) this.permissions.require(actor, action);
  }

  async create(actor: Actor, dto: CreateProjectDto): Promise<ProjectView> {
    this.checkFieldRoles(actor, dto, true);
    const id = await this.db.transaction(async (em) => {
      await this.checkRegion(actor, em, dto.regionId);
      await this.checkPlan(em, dto.planId, dto.regionId);
      const now = this.clock.now().toISOString();
      const p = newProjectRow(
        { name: dto.name.trim(), regionId: dto.regionId, source: { type: 'api' } },
        now,
      );
      this.applyFields(p, dto);
      if (dto.kind === undefined) p.kind = kindFromName(p.name);
      const dateErrors = this.checkDates(p);
      if (dateErrors.length) throw new InvalidInput(dateErrors);
      // duplicate milestone keys are left to the unique index: the whole unit of work rolls back
      const milestones = this.initialMilestones(p, dto.milestones ?? []);
      const [saved] = await insertCreatedProjects(em, actor, [{ project: p, milestones }], {
        action: 'create',
        budgetReason: '建档时的资金测算',
        now,
      });
      await this.alerts.refresh(em, actor, [saved.id]);
      return saved.id;
    });
    return this.get(actor, id);
  }

  /** The default milestones of the project's kind, with any given ones merged in by key. */
  private initialMilestones(
    p: Project,
    given: NonNullable<CreateProjectDto['milestones']>,
  ): NewMilestone[] {
    const rows = defaultMilestoneRows(p);
    let extraOrder = 1000;
    for (const g of given) {
      let row = rows.find((r) => r.key === g.key);
      if (!row) {
        const std = DEFAULT_MILESTONES.find((m) => m.key === g.key);
        row = {
          key: g.key,
          name: g.name ?? std?.name ?? g.key,
          sortOrder: extraOrder++,
          plannedDate: null,
          actualDate: null,
          owner: null,
          note: null,
        };
        rows.push(row);
      }
      if (g.name !== undefined) row.name = g.name;
      if (g.plannedDate !== undefined) row.plannedDate = g.plannedDate;
      if (g.actualDate !== undefined) row.actualDate = g.actualDate;
      if (g.owner !== undefined) row.owner = g.owner;
      if (g.note !== undefined) row.note = g.note;
    }
    return rows;
  }

  async update(actor: Actor, id: number, dto: UpdateProjectDto): Promise<ProjectView> {
    this.checkFieldRoles(actor, dto, false);
    await this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', id);
      const current = await this.findInScope(actor, id, em);
      const before = toProjectView(current);
      if (current.version !== dto.version) throw new VersionConflict();
      if (current.archivedAt) throw ruleViolation('id', 'PROJECT_ARCHIVED');
      if (dto.regionId !== undefined && dto.regionId !== current.regionId)
        await this.checkRegion(actor, em, dto.regionId);
      if (
        (dto.planId !== undefined && dto.planId !== current.planId) ||
        (dto.regionId !== undefined && dto.regionId !== current.regionId)
      ) {
        await this.checkPlan(
          em,
          dto.planId === undefined ? current.planId : dto.planId,
          dto.regionId ?? current.regionId,
        );
      }
      const next = em.create(Project, { ...current });
      this.applyFields(next, dto);
      const dateErrors = this.checkDates(next);
      if (dateErrors.length) throw new InvalidInput(dateErrors);
      if (dto.status !== undefined && dto.status !== current.status) {
        await this.recordReport(em, actor, next, {
          reportedOn: this.clock.today(),
          status: dto.status,
          progressPercent: current.progressPercent ?? 0,
          investmentCompletedFen: current.investmentCompletedFen,
          actualCompletion: dto.actualCompletion ?? null,
          note: '状态变更',
        });
      } else if (dto.actualCompletion !== undefined) {
        if (dto.actualCompletion === null && COMPLETED_STATUSES.includes(current.status)) {
          throw ruleViolation('actualCompletion', 'ACTUAL_COMPLETION_REQUIRED');
        }
        if (dto.actualCompletion && dto.actualCompletion > this.clock.today()) {
          throw ruleViolation('actualCompletion', 'ACTUAL_COMPLETION_IN_FUTURE');
        }
        next.actualCompletion = dto.actualCompletion;
      }
      next.updatedAt = this.clock.now().toISOString();
      if (next.budgetFen !== current.budgetFen && next.budgetFen !== null) {
        // a budget changed here is a revision in force from today, so past figures stay as they were
        const rev = await em.save(
          BudgetRevision,
          em.create(BudgetRevision, {
            projectId: id,
            effectiveOn: this.clock.today(),
            budgetFen: next.budgetFen,
            reason: '修改资金测算',
            createdBy: actor.username,
            createdAt: next.updatedAt,
          }),
        );
        await this.audit.record(em, actor, {
          action: 'create',
          entity: 'budget_revision',
          entityId: rev.id,
          projectId: id,
          changes: {
            effectiveOn: { old: null, new: rev.effectiveOn },
            budgetWan: { old: null, new: fenToWan(rev.budgetFen) },
            reason: { old: null, new: rev.reason },
          },
        });
      }
      const { id: _id, version: _v, createdAt: _c, ...set } = next;
      await updateVersioned(em, Project, id, dto.version, set);
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'project',
        entityId: id,
        projectId: id,
        changes: diffViews(
          before as unknown as Record<string, unknown>,
          toProjectView(next) as unknown as Record<string, unknown>,
        ),
      });
      await this.alerts.refresh(em, actor, [id]);
      // an alert's region is its project's: alerts move with the project they are about, resolved
      // ones too (after the refresh, which takes the alerts' lock before touching any alert row)
      if (next.regionId !== current.regionId) {
        // by table name: alerts/ builds on projects/, so projects/ does not import its entity
        await em.query(
          `UPDATE alert SET region_id = ${this.db.param(1)} WHERE project_id = ${this.db.param(2)}`,
          [next.regionId, id],
        );
      }
    });
    return this.get(actor, id);
  }

  /**
   * 归档 or 取消归档 (`undo`): the reason is kept in the audit row. `reason` undefined = not asked
   * for (the DELETE alias); '' = asked for and not given (400, after the 404 of another region).
   */
  async archive(
    actor: Actor,
    id: number,
    version: number,
    reason?: string,
    undo = false,
  ): Promise<ProjectView> {
    await this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', id);
      const current = await this.findInScope(actor, id, em);
      if (!undo && current.archivedAt) throw ruleViolation('id', 'PROJECT_ARCHIVED');
      if (undo && !current.archivedAt) throw ruleViolation('id', 'PROJECT_NOT_ARCHIVED');
      if (reason !== undefined && !reason.trim())
        throw ruleViolation('reason', 'ARCHIVE_REASON_REQUIRED');
      const now = this.clock.now().toISOString();
      const archivedAt = undo ? null : now;
      await updateVersioned(em, Project, id, version, { archivedAt, updatedAt: now });
      await this.audit.record(em, actor, {
        action: undo ? 'unarchive' : 'archive',
        entity: 'project',
        entityId: id,
        projectId: id,
        changes: {
          archivedAt: { old: current.archivedAt, new: archivedAt },
          ...(reason ? { reason: { old: null, new: reason.trim() } } : {}),
        },
      });
      // an archived project has no alerts (the rules read live projects only): they resolve
      await this.alerts.refresh(em, actor, [id]);
    });
    return this.get(actor, id);
  }

  /**
   * Applies a progress report to `p` in memory (status, percent, investment, completion,
   * lastReportedOn) after checking the transition table, and inserts the report. The caller
   * writes `p` with a versioned update in the same transaction.
   */
  async recordReport(
    em: EntityManager,
    actor: Actor,
    p: Project,
    input: ReportInput,
  ): Promise<ProgressReport> {
    const errors: FieldError[] = [];
    const today = this.clock.today();
    if (input.reportedOn > today)
      errors.push(fieldError('reportedOn', 'REPORT_IN_FUTURE', `${input.reportedOn} > ${today}`));
    if (p.lastReportedOn && input.reportedOn < p.lastReportedOn) {
      errors.push(
        fieldError(
          'reportedOn',
          'REPORT_BEFORE_LATEST',
          `${input.reportedOn} < ${p.lastReportedOn}`,
        ),
      );
    }
    const actualCompletion = input.actualCompletion ?? p.actualCompletion;
    if (input.actualCompletion && input.actualCompletion > input.reportedOn) {
      errors.push(
        fieldError(
          'actualCompletion',
          'ACTUAL_COMPLETION_AFTER_REPORT',
          `${input.actualCompletion} > ${input.reportedOn}`,
        ),
      );
    }
    const bad = checkTransition({ from: p.status, to: input.status, actualCompletion });
    if (bad)
      errors.push(
        fieldError(
          bad.code === 'ILLEGAL_TRANSITION' ? 'status' : 'actualCompletion',
          bad.code,
          bad.detail,
        ),
      );
    if (errors.length) throw new InvalidInput(errors, errors[0].code);

    const report = await em.save(
      ProgressReport,
      em.create(ProgressReport, {
        projectId: p.id,
        reportedOn: input.reportedOn,
        status: input.status,
        progressPercent: input.progressPercent,
        investmentCompletedFen: input.investmentCompletedFen,
        actualCompletion: input.actualCompletion,
        note: input.note,
        reportedBy: actor.username,
        reportedById: actor.id,
        createdAt: this.clock.now().toISOString(),
      }),
    );
    const reportView = toProgressView(report);
    const { id: _id, projectId: _pid, createdAt: _c, ...reported } = reportView;
    await this.audit.record(em, actor, {
      action: 'create',
      entity: 'progress_report',
      entityId: report.id,
      projectId: p.id,
      changes: Object.fromEntries(
        Object.entries(reported).map(([k, v]) => [k, { old: null, new: v }]),
      ),
    });
    p.status = input.status;
    p.progressPercent = input.progressPercent;
    if (input.investmentCompletedFen !== null)
      p.investmentCompletedFen = input.investmentCompletedFen;
    p.actualCompletion = COMPLETED_STATUSES.includes(input.status)
      ? actualCompletion
      : (input.actualCompletion ?? p.actualCompletion);
    p.lastReportedOn = input.reportedOn;
    return report;
  }
}
