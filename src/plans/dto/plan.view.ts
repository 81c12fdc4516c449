import { PageView } from '../../common/page.view';
import type { TargetMeasure } from '../plan.entity';

/** A target of a plan (规划目标). */
export class PlanTargetView {
  id: number;
  measure: TargetMeasure;
  value: number;
  qualifier: string | null;
  fromYear: number;
  deadline: string;
  quote: string | null;
}

/** A plan (规划) with its targets. */
export class PlanView {
  id: number;
  name: string;
  regionId: number;
  regionName: string;
  periodStart: number;
  periodEnd: number;
  issuedBy: string | null;
  docNo: string | null;
  issuedOn: string | null;
  note: string | null;
  namedProjects: string[] | null;
  targets: PlanTargetView[];
  version: number;
}

export class PlanPageView extends PageView {
  items: PlanView[];
}

/** Delivered, under construction and planned (transitional seats: shown apart, not counted). */
export class TransitionalProgress {
  delivered: number;
  underConstruction: number;
  planned: number;
}

/** One county's part of a target above county level. */
export class RegionProgress {
  regionId: number;
  regionName: string;
  delivered: number;
  underConstruction: number;
  planned: number;
  projects: number;
}

/** Progress toward one target as of a day. */
export class TargetProgress {
  targetId: number;
  measure: TargetMeasure;
  label: string;
  target: number;
  qualifier: string | null;
  fromYear: number;
  deadline: string;
  quote: string | null;
  /** Completed or in use on the day (permanent seats only). */
  delivered: number;
  underConstruction: number;
  /** Planned, preparing or suspended. */
  planned: number;
  /** Transitional seats, shown apart, not counted. */
  transitional: TransitionalProgress;
  projects: number;
  /** delivered ÷ target, 4 decimals; null for a zero target. */
  percentDelivered: number | null;
  /** For a plan above county level: each county's delivered / under construction / planned. */
  byRegion?: RegionProgress[];
  /** At the pace so far, what will be delivered by the deadline. */
  projectedByDeadline: number;
  /** The pace so far will not reach the target by the deadline (said 滞后 while the period runs). */
  atRisk: boolean;
  /**
   * Once the deadline has passed (`asOf` after it): `met` (已完成) when the seats delivered reached
   * the target, else `missed` (未完成); null while the period runs (then 滞后 / 正常 by `atRisk`).
   */
  outcome: 'met' | 'missed' | null;
}

/** `GET /api/plans/:id/progress`. */
export class PlanProgress {
  planId: number;
  name: string;
  regionId: number;
  regionName: string;
  /** [periodStart, periodEnd] */
  period: number[];
  asOf: string;
  targets: TargetProgress[];
}
