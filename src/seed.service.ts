import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import liannan from '../seeds/liannan-2021-2025.json';
import planTargets from '../seeds/plan-targets.json';
import { AuditService } from './audit/audit.service';
import { SYSTEM_ACTOR } from './common/actor';
import { Clock } from './common/clock';
import { HUNDREDTHS, toUnits, WAN } from './common/money';
import { AppConfig, APP_CONFIG } from './config/app-config';
import { Plan, PlanTarget, TargetMeasure } from './plans/plan.entity';
import { Project } from './projects/project.entity';
import { insertCreatedProjects, newProjectRow } from './projects/project-creation';
import { Region, RegionLevel } from './regions/region.entity';
import { Database } from './database/database';
import { ReportedGap } from './funding/funding.entities';

interface RegionRef {
  province: string;
  city: string;
  county: string | null;
}

interface SeedResult {
  regions: number;
  plans: number;
  targets: number;
  projects: number;
  reportedGaps: number;
}

/**
 * Loads the reference data (seeds/) exactly as printed: regions and plan targets of
 * plan-targets.json, and the 14 projects of the Liannan table. Idempotent: what exists (matched by
 * name, or region + name + plan year for projects) is left as it is, so staff edits survive a
 * re-run. Projects start `planned` with no progress reports: the plan does not say what was built.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.seedIfEmpty();
  }

  /** Seeds an empty database on first start (SEED_REFERENCE_DATA, default true). */
  async seedIfEmpty(): Promise<void> {
    if (!this.config.seedReferenceData) return;
    await this.db.exclusively(async () => {
      const regions = await this.db.write.getRepository(Region).count();
      if (regions > 0) return;
      const r = await this.run();
      this.logger.log(`reference data loaded: ${JSON.stringify(r)}`);
    });
  }

  /** Runs the whole seed in one transaction. */
  run(): Promise<SeedResult> {
    const result: SeedResult = { regions: 0, plans: 0, targets: 0, projects: 0, reportedGaps: 0 };
    const work = async (em: EntityManager) => {
      const planIds = new Map<string, number>();
      for (const p of planTargets.plans) {
        const regionId = await this.region(em, p.region, result);
        planIds.set(p.name, await this.plan(em, regionId, p, result));
      }
      const countyId = await this.region(em, liannan.region, result);
      const planId = planIds.get(liannan.plan.name) ?? null;
      const now = this.clock.now().toISOString();
      let row = 0;
      for (const src of liannan.projects) {
        row++;
        const planYear = Number(src.planYear);
        if (await em.existsBy(Project, { regionId: countyId, name: src.name, planYear })) continue;
        const seats = {
          seatsKindergarten: src.kindergarten ?? 0,
          seatsPrimary: src.primary ?? 0,
          seatsJuniorMiddle: src.juniorMiddle ?? 0,
          seatsSeniorSecondary: src.seniorSecondary ?? 0,
          seatsSpecialEducation: 0,
        };
        const p = newProjectRow(
          {
            name: src.name,
            regionId: countyId,
            planYear,
            planId,
            source: {
              type: 'plan',
              document: liannan.plan.name,
              table: liannan.source.split(' — ')[1] ?? liannan.source,
              row,
            },
            printedSubtotal: src.seatsSubtotal,
            ...seats,
            floorArea: src.floorAreaM2 === null ? null : toUnits(src.floorAreaM2, HUNDREDTHS),
            land: src.landMu === null ? null : toUnits(src.landMu, HUNDREDTHS),
            budgetFen: toUnits(src.budgetWan, WAN),
            plannedCompletion: src.plannedCompletion,
          },
          now,
        );
        await insertCreatedProjects(em, SYSTEM_ACTOR, [{ project: p }], {
          action: 'seed',
          budgetReason: '规划表资金测算',
          now,
        });
        result.projects++;
      }
      await this.reportedGap(em, countyId, planId, result);
      return result;
    };
    return this.db.transaction(work);
  }

  /** The plan's stated shortfall (13104.53 = 4166.53 completed + 8938 under construction). */
  private async reportedGap(
    em: EntityManager,
    regionId: number,
    planId: number | null,
    result: SeedResult,
  ): Promise<void> {
    const s = liannan.fundingShortfall;
    if (await em.existsBy(ReportedGap, { regionId, document: liannan.plan.name })) return;
    const gap = await em.save(
      ReportedGap,
      em.create(ReportedGap, {
        regionId,
        planId,
        document: liannan.plan.name,
        quote: s.quote,
        totalFen: toUnits(s.totalWan, WAN),
        completedFen: toUnits(s.completedProjectsWan, WAN),
        underConstructionFen: toUnits(s.underConstructionWan, WAN),
      }),
    );
    await this.audit.record(em, SYSTEM_ACTOR, {
      action: 'seed',
      entity: 'reported_gap',
      entityId: gap.id,
      changes: { totalWan: { old: null, new: s.totalWan } },
    });
    result.reportedGaps++;
  }

  private async region(em: EntityManager, ref: RegionRef, result: SeedResult): Promise<number> {
    const chain: [string, RegionLevel][] = [
      [ref.province, 'province'],
      [ref.city, 'city'],
    ];
    if (ref.county) chain.push([ref.county, 'county']);
    let parent: Region | null = null;
    for (const [name, level] of chain) {
      let r: Region | null = await em.findOneBy(Region, {
        name,
        level,
        parentId: parent ? parent.id : IsNull(),
      });
      if (!r) {
        const saved: Region = await em.save(
          Region,
          em.create(Region, { name, level, parentId: parent?.id ?? null, path: '', code: null }),
        );
        saved.path = `${parent?.path ?? '/'}${saved.id}/`;
        await em.update(Region, saved.id, { path: saved.path });
        await this.audit.record(em, SYSTEM_ACTOR, {
          action: 'seed',
          entity: 'region',
          entityId: saved.id,
          changes: { name: { old: null, new: name }, level: { old: null, new: level } },
        });
        result.regions++;
        r = saved;
      }
      parent = r;
    }
    return parent!.id;
  }

  private async plan(
    em: EntityManager,
    regionId: number,
    p: (typeof planTargets.plans)[number],
    result: SeedResult,
  ): Promise<number> {
    const existing = await em.findOneBy(Plan, { regionId, name: p.name });
    if (existing) return existing.id;
    const extra = p as {
      issuedBy?: string;
      docNo?: string;
      issued?: string;
      note?: string;
      namedProjects?: string[];
    };
    const plan = await em.save(
      Plan,
      em.create(Plan, {
        name: p.name,
        regionId,
        periodStart: p.period[0],
        periodEnd: p.period[1],
        issuedBy: extra.issuedBy ?? null,
        docNo: extra.docNo ?? null,
        issuedOn: extra.issued ?? null,
        note: extra.note ?? null,
        namedProjects: extra.namedProjects ?? null,
        version: 1,
      }),
    );
    result.plans++;
    for (const t of p.targets) {
      await em.insert(PlanTarget, {
        planId: plan.id,
        measure: t.measure as TargetMeasure,
        value: t.value,
        qualifier: t.qualifier,
        fromYear: t.from,
        deadline: t.deadline,
        quote: t.quote,
      });
      result.targets++;
    }
    await this.audit.record(em, SYSTEM_ACTOR, {
      action: 'seed',
      entity: 'plan',
      entityId: plan.id,
      changes: { name: { old: null, new: p.name }, targets: { old: null, new: p.targets.length } },
    });
    return plan.id;
  }
}
