import { AlertRefresh } from '../projects/alert-refresh';
import { Injectable } from '@nestjs/common';
import { AuditService, diffViews } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { dueDate } from '../common/dates';
import { NotFound, ruleViolation, VersionConflict } from '../common/errors';
import { Database } from '../database/database';
import { updateVersioned } from '../database/versioned-update';
import { ProjectsService } from '../projects/projects.service';
import { CreateMilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { Milestone } from './milestone.entity';
import { MilestoneView } from './dto/milestone.view';
import { assertPeriodOpen } from '../projects/period-lock';

function toMilestoneView(m: Milestone): MilestoneView {
  return {
    id: m.id,
    projectId: m.projectId,
    key: m.key,
    name: m.name,
    sortOrder: m.sortOrder,
    plannedDate: m.plannedDate,
    plannedDue: m.plannedDue,
    actualDate: m.actualDate,
    owner: m.owner,
    note: m.note,
    version: m.version,
  };
}

@Injectable()
export class MilestonesService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly alerts: AlertRefresh,
  ) {}

  async list(actor: Actor, projectId: number) {
    await this.projects.findInScope(actor, projectId);
    const rows = await this.db
      .reader(Milestone)
      .find({ where: { projectId }, order: { sortOrder: 'ASC', id: 'ASC' } });
    const items = rows.map(toMilestoneView);
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  private checkActual(actualDate: string | null | undefined): void {
    if (actualDate && actualDate > this.clock.today())
      throw ruleViolation('actualDate', 'MILESTONE_ACTUAL_IN_FUTURE');
  }

  async add(actor: Actor, projectId: number, dto: CreateMilestoneDto): Promise<MilestoneView> {
    this.checkActual(dto.actualDate);
    return this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', projectId);
      await this.projects.findWritable(actor, projectId, em);
      if (await em.existsBy(Milestone, { projectId, key: dto.key }))
        throw ruleViolation('key', 'MILESTONE_KEY_EXISTS', dto.key);
      await assertPeriodOpen(em, [projectId], { actualDate: dto.actualDate });
      const last = await em
        .createQueryBuilder(Milestone, 'm')
        .select('MAX(m.sortOrder)', 'max')
        .where('m.projectId = :projectId', { projectId })
        .getRawOne<{ max: number | null }>();
      const now = this.clock.now().toISOString();
      const m = await em.save(
        Milestone,
        em.create(Milestone, {
          projectId,
          key: dto.key,
          name: dto.name.trim(),
          sortOrder: dto.sortOrder ?? Number(last?.max ?? 0) + 10,
          plannedDate: dto.plannedDate ?? null,
          plannedDue: dto.plannedDate ? dueDate(dto.plannedDate) : null,
          actualDate: dto.actualDate ?? null,
          owner: dto.owner ?? null,
          note: dto.note ?? null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        }),
      );
      const view = toMilestoneView(m);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'milestone',
        entityId: m.id,
        projectId,
        changes: diffViews(null, view as unknown as Record<string, unknown>, [
          'id',
          'version',
          'projectId',
        ]),
      });
      await this.alerts.refresh(em, actor, [projectId]);
      return view;
    });
  }

  async update(
    actor: Actor,
    projectId: number,
    milestoneId: number,
    dto: UpdateMilestoneDto,
  ): Promise<MilestoneView> {
    this.checkActual(dto.actualDate);
    return this.db.transaction(async (em) => {
      await this.projects.findWritable(actor, projectId, em);
      const m = await em.findOneBy(Milestone, { id: milestoneId, projectId });
      if (!m) throw new NotFound('里程碑');
      if (m.version !== dto.version) throw new VersionConflict();
      // an actual date moved into, out of or within a submitted month
      if (dto.actualDate !== undefined && dto.actualDate !== m.actualDate)
        await assertPeriodOpen(em, [projectId], { actualDate: [m.actualDate, dto.actualDate] });
      const next: Milestone = { ...m };
      if (dto.name !== undefined) next.name = dto.name.trim();
      if (dto.plannedDate !== undefined) {
        next.plannedDate = dto.plannedDate;
        next.plannedDue = dto.plannedDate ? dueDate(dto.plannedDate) : null;
      }
      if (dto.actualDate !== undefined) next.actualDate = dto.actualDate;
      if (dto.owner !== undefined) next.owner = dto.owner;
      if (dto.note !== undefined) next.note = dto.note;
      if (dto.sortOrder !== undefined) next.sortOrder = dto.sortOrder;
      next.updatedAt = this.clock.now().toISOString();
      const { id: _i, version: _v, createdAt: _c, projectId: _p, key: _k, ...set } = next;
      await updateVersioned(em, Milestone, milestoneId, dto.version, set);
      next.version = m.version + 1;
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'milestone',
        entityId: milestoneId,
        projectId,
        changes: diffViews(
          toMilestoneView(m) as unknown as Record<string, unknown>,
          toMilestoneView(next) as unknown as Record<string, unknown>,
        ),
      });
      await this.alerts.refresh(em, actor, [projectId]);
      return toMilestoneView(next);
    });
  }
}
