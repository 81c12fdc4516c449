import { MEASURE_LABELS as VOCAB_MEASURES } from '../common/vocabulary';
import { registerLabels } from '../common/labels';
import { Injectable } from '@nestjs/common';
import { daysBetween } from '../common/dates';
import { Database } from '../database/database';
import { bindNamed } from '../database/raw-sql';
import { figureExpr, stageSql } from '../projects/figures.sql';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { Plan, PlanTarget, TargetMeasure } from './plan.entity';
import { PlanProgress, RegionProgress, TargetProgress } from './dto/plan.view';

export const MEASURE_LABELS: Record<TargetMeasure, string> = registerLabels(VOCAB_MEASURES);

/** SQL for what a project adds to a measure (seats, beds, or one school). */
const MEASURE_SQL: Record<TargetMeasure, string> = {
  kindergarten: 'pr.seats_kindergarten',
  primary: 'pr.seats_primary',
  juniorMiddle: 'pr.seats_junior_middle',
  compulsory: '(pr.seats_primary + pr.seats_junior_middle)',
  seniorSecondary: 'pr.seats_senior_secondary',
  boardingBeds: 'pr.boarding_beds',
  compulsorySchools: 'CASE WHEN pr.seats_primary + pr.seats_junior_middle > 0 THEN 1 ELSE 0 END',
};

/**
 * Progress toward a plan's targets as of a day, from the projects in the plan's region (its
 * sub-regions too: a city plan counts its counties) whose plan year falls in the target's years.
 */
@Injectable()
export class PlansQuery {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
  ) {}

  async progress(plan: Plan, asOf: string): Promise<PlanProgress> {
    const region = await this.db.reader(Region).findOneByOrFail({ id: plan.regionId });
    const targets = await this.db
      .reader(PlanTarget)
      .find({ where: { planId: plan.id }, order: { id: 'ASC' } });
    const out: TargetProgress[] = [];
    for (const t of targets) {
      const expr = MEASURE_SQL[t.measure];
      const [sql, params] = bindNamed(
        this.db.dialect,
        `
        WITH ps AS (
          SELECT pr.region_id, pr.transitional_seats AS transitional, ${expr} AS n, ${figureExpr('status')} AS status
          FROM project pr JOIN region rg ON rg.id = pr.region_id
          WHERE pr.archived_at IS NULL AND rg.path LIKE :path AND pr.plan_year >= :fromYear
            AND pr.plan_year <= :toYear AND ${expr} > 0
        )
        SELECT region_id, transitional, ${stageSql('status')} AS stage, CAST(SUM(n) AS TEXT) AS n, COUNT(*) AS projects
        FROM ps GROUP BY region_id, transitional, ${stageSql('status')}`,
        {
          asOf,
          path: `${region.path}%`,
          fromYear: t.fromYear,
          toYear: Number(t.deadline.slice(0, 4)),
        },
      );
      const rows: {
        region_id: number | string;
        transitional: boolean | number;
        stage: string;
        n: string;
        projects: string | number;
      }[] = await this.db.read.query(sql, params);
      const p: TargetProgress = {
        targetId: t.id,
        measure: t.measure,
        label: MEASURE_LABELS[t.measure],
        target: t.value,
        qualifier: t.qualifier,
        fromYear: t.fromYear,
        deadline: t.deadline,
        quote: t.quote,
        delivered: 0,
        underConstruction: 0,
        planned: 0,
        transitional: { delivered: 0, underConstruction: 0, planned: 0 },
        projects: 0,
        percentDelivered: null,
        projectedByDeadline: 0,
        atRisk: false,
        outcome: null,
      };
      const byRegion = new Map<number, RegionProgress>();
      for (const r of rows) {
        if (r.stage === 'cancelled') continue;
        const n = Number(r.n);
        const key =
          r.stage === 'delivered'
            ? 'delivered'
            : r.stage === 'building'
              ? 'underConstruction'
              : 'planned';
        if (r.transitional === true || r.transitional === 1) p.transitional[key] += n;
        else {
          p[key] += n;
          p.projects += Number(r.projects);
          const id = Number(r.region_id);
          const g = byRegion.get(id) ?? {
            regionId: id,
            regionName: '',
            delivered: 0,
            underConstruction: 0,
            planned: 0,
            projects: 0,
          };
          g[key] += n;
          g.projects += Number(r.projects);
          byRegion.set(id, g);
        }
      }
      // a city's (or province's) plan over its counties: each county's part (named below)
      if (region.level !== 'county')
        p.byRegion = [...byRegion.values()].sort(
          (a, b) => b.delivered - a.delivered || a.regionId - b.regionId,
        );
      p.percentDelivered =
        t.value > 0 ? Math.round((p.delivered / t.value) * 10_000) / 10_000 : null;
      // pace: delivered so far over the days since counting began, carried to the deadline
      const start = `${t.fromYear}-01-01`;
      const elapsed = Math.max(1, daysBetween(start, asOf < t.deadline ? asOf : t.deadline));
      const span = Math.max(1, daysBetween(start, t.deadline));
      p.projectedByDeadline =
        asOf >= t.deadline ? p.delivered : Math.floor((p.delivered * span) / elapsed);
      // at risk: the pace so far will not reach the target by the deadline
      p.atRisk = p.projectedByDeadline < t.value;
      // a period that has ended is no longer at risk of anything: it was met or it was not
      if (asOf > t.deadline) p.outcome = p.delivered >= t.value ? 'met' : 'missed';
      out.push(p);
    }
    // the counties' names: one read for every target
    const ids = new Set(out.flatMap((p) => (p.byRegion ?? []).map((g) => g.regionId)));
    const names = await this.regions.names([...ids]);
    for (const p of out)
      for (const g of p.byRegion ?? []) g.regionName = names.get(g.regionId) ?? '';
    return {
      planId: plan.id,
      name: plan.name,
      regionId: plan.regionId,
      regionName: region.name,
      period: [plan.periodStart, plan.periodEnd],
      asOf,
      targets: out,
    };
  }

  /** Plans of regions inside a path (or all). */
  async plansIn(path: string | null): Promise<Plan[]> {
    const qb = this.db
      .reader(Plan)
      .createQueryBuilder('pl')
      .innerJoin(Region, 'r', 'r.id = pl.regionId')
      .orderBy('pl.id');
    if (path) qb.where('r.path LIKE :path', { path: `${path}%` });
    return qb.getMany();
  }
}
