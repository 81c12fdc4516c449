import { AlertRefresh } from './alert-refresh';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { Action, projectFieldAction } from '../common/permissions';
import { Permissions } from '../common/permissions.service';
import { AuditService, diffViews } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { dueDate } from '../common/dates';
import { parseCoordinate } from '../common/geo';
import {
  fieldError,
  FieldError,
  InvalidInput,
  NotFound,
  ruleViolation,
  VersionConflict,
} from '../common/errors';
import { fenToWan, HUNDREDTHS, toUnits, WAN } from '../common/money';
import { Database } from '../database/database';
import { ReadCache } from '../database/read-cache';
import { BudgetRevision } from './budget-revision.entity';
import { FiguresService } from './figures.service';
import { updateVersioned } from '../database/versioned-update';
import { DEFAULT_MILESTONES } from './milestone-defaults';
import { ProgressReport } from './progress-report.entity';
import { toProgressView } from './progress.view';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { CreateProjectDto, UpdateProjectDto } from './dto/project.dto';
import { Project } from './project.entity';
import { changesAlertInputs } from './alert-inputs';
import { ProjectsQuery } from './projects.query';
import {
  checkTransition,
  COMPLETED_STATUSES,
  kindFromName,
  ProjectStatus,
  TRANSITIONS,
} from './project-rules';
import { ProjectView, toProjectView } from './project.view';
import {
  defaultMilestoneRows,
  insertCreatedProjects,
  NewMilestone,
  newProjectRow,
} from './project-creation';
import { assertPeriodOpen } from './period-lock';

/** What a progress report changes; shared by POST …/progress and a PATCH that changes status. */
interface ReportInput {
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
    private readonly query: ProjectsQuery,
    private readonly permissions: Permissions,
  ) {}

  // ---- reads ----------------------------------------------------------------------------

  /** The project if it exists in the actor's region, else 404 (missing and out of scope alike). */
  async findInScope(actor: Actor, id: number, em?: EntityManager): Promise<Project> {
    const manager = em ?? this.db.read.manager;
    const qb = manager.createQueryBuilder(Project, 'p').where('p.id = :id', { id });
    this.query.scoped(qb, await this.regions.scopePath(actor));
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
    const view = (await this.query.views([await this.findInScope(actor, id)]))[0];
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
    if (dto.lat !== undefined) p.latE6 = dto.lat === null ? null : parseCoordinate(dto.lat);
    if (dto.lng !== undefined) p.lngE6 = dto.lng === null ? null : parseCoordinate(dto.lng);
  }

  /** 纬度 and 经度 go together: a location is both or neither. */
  private checkLocation(p: Project): FieldError[] {
    if ((p.latE6 === null) === (p.lngE6 === null)) return [];
    return [fieldError(p.latE6 === null ? 'lat' : 'lng', 'LOCATION_INCOMPLETE')];
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
      const dateErrors = [...this.checkDates(p), ...this.checkLocation(p)];
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
      const dateErrors = [...this.checkDates(next), ...this.checkLocation(next)];
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
        if (dto.actualCompletion !== current.actualCompletion)
          await assertPeriodOpen(em, [id], {
            actualCompletion: [current.actualCompletion, dto.actualCompletion],
          });
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
      if (changesAlertInputs(current, next)) await this.alerts.refresh(em, actor, [id]);
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
    // a submitted month's figures stay as sent (docs/domain.md "The monthly reporting cycle")
    await assertPeriodOpen(em, [p.id], {
      reportedOn: input.reportedOn,
      actualCompletion: input.actualCompletion,
    });

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
