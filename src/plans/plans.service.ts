import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService, diffViews } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { NotFound, ruleViolation, VersionConflict } from '../common/errors';
import { Database } from '../database/database';
import { updateVersioned } from '../database/versioned-update';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { CreatePlanDto, PlanTargetDto, UpdatePlanDto } from './dto/plan.dto';
import { Plan, PlanTarget } from './plan.entity';
import { PlansQuery } from './plans.query';
import { PlanView } from './dto/plan.view';

/** Plans (规划) and their targets; admin and finance write, everyone in scope reads. */
@Injectable()
export class PlansService {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly query: PlansQuery,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private async view(em: EntityManager, p: Plan): Promise<PlanView> {
    const targets = await em.find(PlanTarget, { where: { planId: p.id }, order: { id: 'ASC' } });
    const region = await em.findOneBy(Region, { id: p.regionId });
    return {
      id: p.id,
      name: p.name,
      regionId: p.regionId,
      regionName: region?.name ?? '',
      periodStart: p.periodStart,
      periodEnd: p.periodEnd,
      issuedBy: p.issuedBy,
      docNo: p.docNo,
      issuedOn: p.issuedOn,
      note: p.note,
      namedProjects: p.namedProjects,
      targets: targets.map((t) => ({
        id: t.id,
        measure: t.measure,
        value: t.value,
        qualifier: t.qualifier,
        fromYear: t.fromYear,
        deadline: t.deadline,
        quote: t.quote,
      })),
      version: p.version,
    };
  }

  private async findInScope(actor: Actor, id: number, em?: EntityManager): Promise<Plan> {
    const manager = em ?? this.db.read.manager;
    const p = await manager.findOneBy(Plan, { id });
    if (!p) throw new NotFound('规划');
    const scope = await this.regions.scopePath(actor);
    const r = await manager.findOneBy(Region, { id: p.regionId });
    if (scope && (!r || !r.path.startsWith(scope))) throw new NotFound('规划');
    return p;
  }

  async list(actor: Actor) {
    const plans = await this.query.plansIn(await this.regions.scopePath(actor));
    const items = [];
    for (const p of plans) items.push(await this.view(this.db.read.manager, p));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  async get(actor: Actor, id: number): Promise<PlanView> {
    return this.view(this.db.read.manager, await this.findInScope(actor, id));
  }

  async progress(actor: Actor, id: number, asOf?: string) {
    return this.query.progress(await this.findInScope(actor, id), asOf ?? this.clock.today());
  }

  private checkTargets(
    periodStart: number,
    periodEnd: number,
    targets: PlanTargetDto[] | undefined,
  ): void {
    if (periodEnd < periodStart)
      throw ruleViolation('periodEnd', 'OUT_OF_RANGE', `${periodEnd} < ${periodStart}`);
    targets?.forEach((t, i) => {
      if (Number(t.deadline.slice(0, 4)) < t.fromYear)
        throw ruleViolation(
          `targets[${i}].deadline`,
          'OUT_OF_RANGE',
          `${t.deadline} 早于 ${t.fromYear}`,
        );
    });
  }

  private async writeTargets(
    em: EntityManager,
    planId: number,
    targets: PlanTargetDto[],
  ): Promise<void> {
    await em.delete(PlanTarget, { planId });
    for (const t of targets) {
      await em.insert(PlanTarget, {
        planId,
        measure: t.measure,
        value: t.value,
        qualifier: t.qualifier ?? null,
        fromYear: t.fromYear,
        deadline: t.deadline,
        quote: t.quote ?? null,
      });
    }
  }

  async create(actor: Actor, dto: CreatePlanDto): Promise<PlanView> {
    this.checkTargets(dto.periodStart, dto.periodEnd, dto.targets);
    await this.regions.findNamedInScope(actor, dto.regionId);
    return this.db.transaction(async (em) => {
      const p = await em.save(
        Plan,
        em.create(Plan, {
          name: dto.name.trim(),
          regionId: dto.regionId,
          periodStart: dto.periodStart,
          periodEnd: dto.periodEnd,
          issuedBy: dto.issuedBy ?? null,
          docNo: dto.docNo ?? null,
          issuedOn: dto.issuedOn ?? null,
          note: dto.note ?? null,
          namedProjects: dto.namedProjects ?? null,
          version: 1,
        }),
      );
      await this.writeTargets(em, p.id, dto.targets ?? []);
      const view = await this.view(em, p);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'plan',
        entityId: p.id,
        changes: diffViews(null, view as unknown as Record<string, unknown>, ['id', 'version']),
      });
      return view;
    });
  }

  async update(actor: Actor, id: number, dto: UpdatePlanDto): Promise<PlanView> {
    return this.db.transaction(async (em) => {
      const p = await this.findInScope(actor, id, em);
      if (p.version !== dto.version) throw new VersionConflict();
      const before = await this.view(em, p);
      const next: Plan = { ...p };
      for (const k of [
        'name',
        'periodStart',
        'periodEnd',
        'issuedBy',
        'docNo',
        'issuedOn',
        'note',
        'namedProjects',
      ] as const) {
        if (dto[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = dto[k];
      }
      this.checkTargets(next.periodStart, next.periodEnd, dto.targets);
      const { id: _i, version: _v, regionId: _r, ...set } = next;
      await updateVersioned(em, Plan, id, dto.version, set);
      if (dto.targets) await this.writeTargets(em, id, dto.targets);
      const after = await this.view(em, { ...next, version: p.version + 1 });
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'plan',
        entityId: id,
        changes: diffViews(
          before as unknown as Record<string, unknown>,
          after as unknown as Record<string, unknown>,
          ['version'],
        ),
      });
      return after;
    });
  }
}
