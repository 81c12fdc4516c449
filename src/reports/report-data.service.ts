import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AlertsService, KnownProject, MilestoneRow } from '../alerts/alerts.service';
import { AlertCondition, evaluateAlerts, milestoneDaysOverdue } from '../alerts/alert-rules';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { calendarDayIn, daysInMonth, dayjs } from '../common/dates';
import { Database } from '../database/database';
import { FundingSource } from '../funding/funding.entities';
import {
  FigureColumn,
  figureColumns,
  figureExpr,
  packedFigureColumns,
  unpackFigures,
} from '../projects/figures.sql';
import { FiguresService } from '../projects/figures.service';
import { gapOf, readFigures } from '../projects/project-figures';
import { PlansQuery } from '../plans/plans.query';
import { PlanProgress } from '../plans/dto/plan.view';
import { daysOverdue, isCompleted, ProjectKind, ProjectStatus } from '../projects/project-rules';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { RegionMonthStatus, SubmissionStatusQuery } from './submission-status.query';
import { AuditChanges } from '../audit/audit-log.entity';

export interface ReportProject {
  id: number;
  name: string;
  regionId: number;
  regionName: string;
  planYear: number | null;
  kind: ProjectKind | null;
  status: ProjectStatus;
  seats: {
    kindergarten: number;
    primary: number;
    juniorMiddle: number;
    seniorSecondary: number;
    specialEducation: number;
  };
  transitional: boolean;
  /** 小计 as the source printed it, when it printed one. */
  printedSubtotal: number | null;
  floorArea: number | null;
  land: number | null;
  plannedStart: string | null;
  plannedCompletion: string | null;
  plannedCompletionDue: string | null;
  actualCompletion: string | null;
  progressPercent: number | null;
  investmentFen: bigint;
  /** 建设单位, 施工单位, 项目负责人, 联系电话 */
  builder: string | null;
  contractor: string | null;
  manager: string | null;
  phone: string | null;
  lastReportedOn: string | null;
  /** null = 未测算: left blank in the report and out of the budget totals (counted apart). */
  budget: bigint | null;
  committed: bigint;
  received: bigint;
  paid: bigint;
  gap: bigint;
  daysOverdue: number | null;
}

interface ReportMilestone {
  projectId: number;
  projectName: string;
  regionName: string;
  name: string;
  plannedDate: string | null;
  plannedDue: string | null;
  actualDate: string | null;
  /** Days late on the report's day by the alert rule (`milestoneDaysOverdue`), else null. */
  daysOverdue: number | null;
  owner: string | null;
  note: string | null;
}

export interface ReportChange {
  at: string;
  actorName: string;
  /** The user's 姓名, when they have one. */
  actorDisplayName: string | null;
  action: string;
  entity: string;
  projectName: string | null;
  changes: AuditChanges;
}

export interface ReportData {
  month: string;
  /** The day every figure is as of: the month's last day, or today while the month is open. */
  asOf: string;
  /** The month is not yet over (it is the current month): the report is as of today. */
  monthOpen: boolean;
  /** The business time zone (TZ_BUSINESS) instants are printed in. */
  timeZone: string;
  region: { id: number | null; name: string; level: Region['level'] | null };
  generatedAt: string;
  projects: ReportProject[];
  alerts: AlertCondition[];
  projectNames: Map<number, string>;
  /** Milestones a page (a chunk of projects) at a time, in report order; read with the chunks. */
  milestones: () => AsyncGenerator<ReportMilestone[]>;
  fundingBySource: {
    source: FundingSource;
    group: 'completed' | 'under_construction' | 'other';
    committed: bigint;
    received: bigint;
  }[];
  changes: ReportChange[];
  /** Every region's and plan's name, for ids an audit entry names (地区、所属规划 in words). */
  regionNames: Map<number, string>;
  planNames: Map<number, string>;
  /** What happened in the month by its own date (reportedOn, actualDate, committedOn, …). */
  events: MonthEvent[];
  plans: PlanProgress[];
  counties: { id: number; name: string }[];
  /** Funding shortfalls as the plans of the regions in the report state them (连南: 13104.53). */
  reportedGaps: ReportedGapLine[];
  /** 报送情况: each county's month and 报送及时率 (a city's or province's report); null in a county's. */
  submissions: SubmissionSheet | null;
}

/** The 报送情况 sheet: the counties' reports of the month, as they stand when it is generated. */
export interface SubmissionSheet {
  /** The business day it was generated: 逾期天数 of an unsubmitted month and 报送及时率 are as of it. */
  today: string;
  dueOn: string;
  rows: (RegionMonthStatus & { name: string; timelinessRate: number | null })[];
}

/** A change whose own (business) date falls in the report's month, for 本月变动. */
export type MonthEvent = {
  projectId: number;
  projectName: string;
  regionName: string;
  date: string;
} & (
  | {
      kind: 'report';
      status: ProjectStatus;
      previous: ProjectStatus | null;
      progressPercent: number;
      investmentFen: bigint | null;
    }
  | { kind: 'milestone'; name: string }
  | { kind: 'committed' | 'received'; source: FundingSource; amountFen: bigint }
  | { kind: 'payment'; payee: string; amountFen: bigint }
  | { kind: 'revision'; budgetFen: bigint; reason: string }
  | {
      /** 更正: a progress report or budget revision withdrawn in the month (dated by the withdrawal). */
      kind: 'withdrawal';
      entity: 'progress_report' | 'budget_revision';
      /** The withdrawn entry's own day (填报日期 / 生效日期). */
      on: string;
      status: ProjectStatus | null;
      progressPercent: number | null;
      budgetFen: bigint | null;
      reason: string;
    }
);

interface ReportedGapLine {
  regionName: string;
  document: string;
  total: bigint;
  completed: bigint;
  underConstruction: bigint;
  /** The regions whose projects the stated shortfall is about (the region and those below it). */
  regionIds: Set<number>;
}

/** A project's figures as the alert rules take them (AlertsService.inputs' `known`). */
export const alertInputOf = (p: ReportProject): KnownProject => ({
  id: p.id,
  name: p.name,
  regionId: p.regionId,
  regionName: p.regionName,
  status: p.status,
  plannedCompletion: p.plannedCompletion,
  plannedCompletionDue: p.plannedCompletionDue,
  lastReportedOn: p.lastReportedOn,
  gapFen: p.gap,
});

/** Alert kinds the report lists. */
const REPORTED_ALERTS: AlertCondition['kind'][] = [
  'project_overdue',
  'milestone_overdue',
  'milestone_due_soon',
  'stale_report',
  'no_progress',
  'funding_gap',
];
/** Projects read (with their alert inputs) at a time. */
const REPORT_CHUNK = 1000;
/** With {@link packedFigureColumns}' five: every figure of a project as of the day. */
const REPORT_FIGURES: readonly FigureColumn[] = ['investment', 'budget', 'paid'];

/**
 * The day a month's report is as of: its last day once the month is over; today while it is open
 * (nothing is late that is not late today). A month after the current one has no report.
 */
function reportDay(month: string, today: string): { asOf: string; monthOpen: boolean } {
  const [y, m] = month.split('-').map(Number);
  const end = `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
  return today < end ? { asOf: today, monthOpen: true } : { asOf: end, monthOpen: false };
}

/** Everything the monthly report shows, as of the month's last day (today in the current month). */
@Injectable()
export class ReportDataService {
  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly alerts: AlertsService,
    private readonly plans: PlansQuery,
    private readonly clock: Clock,
    private readonly figures: FiguresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly submissions: SubmissionStatusQuery,
  ) {}

  /** 报送情况 of the counties under a city or province (none in a county's own report). */
  private async submissionSheet(
    month: string,
    region: Pick<Region, 'level'> | null,
    counties: { id: number; name: string }[],
  ): Promise<SubmissionSheet | null> {
    if (region?.level === 'county' || !counties.length) return null;
    const today = this.clock.today();
    const ids = counties.map((c) => c.id);
    const [months, timeliness] = await Promise.all([
      this.submissions.monthOf(ids, month, today),
      this.submissions.timeliness(ids, today),
    ]);
    return {
      today,
      dueOn: months[0].dueOn,
      rows: months.map((m, i) => ({
        ...m,
        name: counties[i].name,
        timelinessRate: timeliness.get(m.regionId) ?? null,
      })),
    };
  }

  private run<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    return this.db.select<T>(sql, params);
  }

  /** Scope of a report: the region asked for (within the caller's), or the caller's whole scope. */
  async scope(
    actor: Actor,
    regionId?: number,
  ): Promise<{ path: string | null; region: Region | null }> {
    if (regionId !== undefined) {
      const region = await this.regions.findInScope(actor, regionId);
      return { path: region.path, region };
    }
    const path = await this.regions.scopePath(actor);
    return {
      path,
      region: actor.regionId
        ? await this.db.reader(Region).findOneBy({ id: actor.regionId })
        : null,
    };
  }

  async count(path: string | null): Promise<number> {
    const rows = await this.run<{ n: string | number }>(
      `SELECT COUNT(*) AS n FROM project pr JOIN region rg ON rg.id = pr.region_id WHERE pr.archived_at IS NULL AND rg.path LIKE :path`,
      { path: `${path ?? ''}%` },
    );
    return Number(rows[0].n);
  }

  /** Every milestone of some projects, in sheet order within each project (sort order, id). */
  private milestoneRows(ids: number[]): Promise<(MilestoneRow & { note: string | null })[]> {
    return this.run<MilestoneRow & { note: string | null }>(
      `SELECT m.id, m.project_id, m.name, m.planned_date, m.planned_due, m.actual_date, m.owner, m.note, m.sort_order
       FROM milestone m WHERE m.project_id IN (:ids) ORDER BY m.project_id, m.sort_order, m.id`,
      { ids },
    );
  }

  /**
   * A chunk's milestones as the 里程碑 sheet prints them, in report order. Read once with the
   * chunk (the alert rules take the same rows); strings that repeat (names, days, owners) are
   * kept once, so the province's 100,000 rows stay small until the sheet is written.
   */
  private milestonePage(
    chunk: ReportProject[],
    rows: (MilestoneRow & { note: string | null })[],
    asOf: string,
    intern: (s: string | null) => string | null,
  ): ReportMilestone[] {
    const order = new Map(chunk.map((p, k) => [p.id, k]));
    const byId = new Map(chunk.map((p) => [p.id, p]));
    const sorted = rows.filter((r) => byId.has(Number(r.project_id)));
    // stable: within a project the rows keep their (sort order, id) order
    sorted.sort((a, b) => order.get(Number(a.project_id))! - order.get(Number(b.project_id))!);
    return sorted.map((r) => {
      const p = byId.get(Number(r.project_id))!;
      const actualDate = r.actual_date && r.actual_date <= asOf ? intern(r.actual_date) : null;
      const plannedDue = intern(r.planned_due);
      return {
        projectId: p.id,
        projectName: p.name,
        regionName: p.regionName,
        name: intern(r.name)!,
        plannedDate: intern(r.planned_date),
        plannedDue,
        actualDate,
        daysOverdue: milestoneDaysOverdue({ plannedDue, actualDate }, p.status, asOf),
        owner: intern(r.owner),
        note: r.note,
      };
    });
  }

  /** The report's figures of some projects as of a day, in the order of `ids`. */
  private async projectChunk(ids: number[], asOf: string): Promise<ReportProject[]> {
    // rows as arrays: a province's 10,000 row objects of 31 named fields each were a third of
    // this read's time and most of the garbage a past day's 首页 collected
    const { columns, rows } = await this.db.selectRows(
      `SELECT pr.id, pr.name, pr.region_id, rg.name AS region_name, pr.plan_year, pr.kind, pr.seats_kindergarten, pr.seats_primary,
         pr.seats_junior_middle, pr.seats_senior_secondary, pr.seats_special_education, pr.transitional_seats, pr.printed_subtotal, pr.floor_area, pr.land,
         pr.planned_start, pr.planned_completion, pr.planned_completion_due, pr.actual_completion,
         pr.builder, pr.contractor, pr.manager, pr.phone,
         ${figureColumns(REPORT_FIGURES)}, ${packedFigureColumns()}
       FROM project pr JOIN region rg ON rg.id = pr.region_id
       WHERE pr.id IN (:ids)`,
      { ids, asOf },
    );
    const at = (name: string) => {
      const i = columns.indexOf(name);
      if (i < 0) throw new Error(`projectChunk: no column ${name}`);
      return i;
    };
    const c = {
      id: at('id'),
      name: at('name'),
      regionId: at('region_id'),
      regionName: at('region_name'),
      planYear: at('plan_year'),
      kind: at('kind'),
      kindergarten: at('seats_kindergarten'),
      primary: at('seats_primary'),
      juniorMiddle: at('seats_junior_middle'),
      seniorSecondary: at('seats_senior_secondary'),
      specialEducation: at('seats_special_education'),
      transitional: at('transitional_seats'),
      printedSubtotal: at('printed_subtotal'),
      floorArea: at('floor_area'),
      land: at('land'),
      plannedStart: at('planned_start'),
      plannedCompletion: at('planned_completion'),
      due: at('planned_completion_due'),
      actual: at('actual_completion'),
      builder: at('builder'),
      contractor: at('contractor'),
      manager: at('manager'),
      phone: at('phone'),
      latestReport: at('latest_report'),
      funding: at('funding'),
      investment: at('investment'),
      budget: at('budget'),
      paid: at('paid'),
    };
    const byId = new Map(rows.map((r) => [Number(r[c.id]), r]));
    const num = (v: unknown) => (v === null ? null : Number(v));
    // a project deleted since the ids were read is left out
    return ids
      .flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
      .map((r) => {
        const f = readFigures({
          ...unpackFigures(r[c.latestReport], r[c.funding]),
          investment: r[c.investment],
          budget: r[c.budget] as string | null,
          paid: r[c.paid] as string,
        });
        const due = r[c.due] as string | null;
        const actual = r[c.actual] as string | null;
        const transitional = r[c.transitional];
        return {
          id: Number(r[c.id]),
          name: r[c.name] as string,
          regionId: Number(r[c.regionId]),
          regionName: r[c.regionName] as string,
          planYear: num(r[c.planYear]),
          kind: r[c.kind] as ProjectKind | null,
          status: f.status,
          seats: {
            kindergarten: Number(r[c.kindergarten]),
            primary: Number(r[c.primary]),
            juniorMiddle: Number(r[c.juniorMiddle]),
            seniorSecondary: Number(r[c.seniorSecondary]),
            specialEducation: Number(r[c.specialEducation]),
          },
          transitional: transitional === true || transitional === 1,
          printedSubtotal: num(r[c.printedSubtotal]),
          floorArea: num(r[c.floorArea]),
          land: num(r[c.land]),
          plannedStart: r[c.plannedStart] as string | null,
          plannedCompletion: r[c.plannedCompletion] as string | null,
          plannedCompletionDue: due,
          actualCompletion: isCompleted(f.status) && actual && actual <= asOf ? actual : null,
          progressPercent: f.progressPercent,
          investmentFen: f.investment,
          builder: r[c.builder] as string | null,
          contractor: r[c.contractor] as string | null,
          manager: r[c.manager] as string | null,
          phone: r[c.phone] as string | null,
          lastReportedOn: f.lastReportedOn,
          budget: f.budget,
          committed: f.committed,
          received: f.received,
          paid: f.paid,
          gap: gapOf(f),
          daysOverdue: daysOverdue(due, f.status, asOf),
        };
      });
  }

  /** The month's changes by business date, grouped by project then date (本月变动). */
  private async monthEvents(
    month: string,
    asOf: string,
    path: string | null,
  ): Promise<MonthEvent[]> {
    // up to the report's day: in the current month, nothing dated after today
    const params = { from: `${month}-01`, to: asOf, path: `${path ?? ''}%` };
    const scope = `JOIN project pr ON pr.id = x.project_id JOIN region rg ON rg.id = pr.region_id
       WHERE pr.archived_at IS NULL AND rg.path LIKE :path`;
    const cols = 'x.project_id, pr.name AS project_name, rg.name AS region_name';
    type Row = Record<string, string | number | null>;
    const rows = (sql: string) => this.run<Row>(sql, params);
    const head = (r: Row, date: unknown) => ({
      projectId: Number(r.project_id),
      projectName: String(r.project_name),
      regionName: String(r.region_name),
      date: String(date),
    });
    const out: MonthEvent[] = [];
    for (const r of await rows(
      `SELECT ${cols}, x.reported_on, x.status, x.progress_percent, CAST(x.investment_completed_fen AS TEXT) AS inv,
         (SELECT y.status FROM progress_report y WHERE y.project_id = x.project_id AND y.withdrawn_at IS NULL
            AND (y.reported_on < x.reported_on OR (y.reported_on = x.reported_on AND y.id < x.id))
          ORDER BY y.reported_on DESC, y.id DESC LIMIT 1) AS previous
       FROM progress_report x ${scope} AND x.withdrawn_at IS NULL AND x.reported_on BETWEEN :from AND :to`,
    ))
      out.push({
        ...head(r, r.reported_on),
        kind: 'report',
        status: r.status as ProjectStatus,
        previous: (r.previous as ProjectStatus | null) ?? 'planned',
        progressPercent: Number(r.progress_percent),
        investmentFen: r.inv === null ? null : BigInt(r.inv),
      });
    for (const r of await rows(
      `SELECT ${cols}, x.actual_date, x.name FROM milestone x ${scope} AND x.actual_date BETWEEN :from AND :to`,
    ))
      out.push({ ...head(r, r.actual_date), kind: 'milestone', name: String(r.name) });
    for (const [kind, amount, day] of [
      ['committed', 'committed_fen', 'committed_on'],
      ['received', 'received_fen', 'received_on'],
    ] as const)
      for (const r of await rows(
        `SELECT ${cols}, x.${day} AS day, x.source, CAST(x.${amount} AS TEXT) AS amount FROM funding_line x ${scope}
           AND x.${day} BETWEEN :from AND :to AND x.${amount} <> 0`,
      ))
        out.push({
          ...head(r, r.day),
          kind,
          source: r.source as FundingSource,
          amountFen: BigInt(String(r.amount)),
        });
    for (const r of await rows(
      `SELECT ${cols}, x.paid_on, x.payee, CAST(x.amount_fen AS TEXT) AS amount FROM payment x ${scope}
         AND x.paid_on BETWEEN :from AND :to`,
    ))
      out.push({
        ...head(r, r.paid_on),
        kind: 'payment',
        payee: String(r.payee ?? ''),
        amountFen: BigInt(String(r.amount)),
      });
    for (const r of await rows(
      `SELECT ${cols}, x.effective_on, x.reason, CAST(x.budget_fen AS TEXT) AS budget FROM budget_revision x ${scope}
         AND x.withdrawn_at IS NULL AND x.effective_on BETWEEN :from AND :to`,
    ))
      out.push({
        ...head(r, r.effective_on),
        kind: 'revision',
        budgetFen: BigInt(String(r.budget)),
        reason: String(r.reason ?? ''),
      });
    // 更正: withdrawn in the month (by the business day of the withdrawal, up to the report's day)
    const tz = this.config.businessTimeZone;
    const withdrawn = {
      start: dayjs.tz(`${month}-01`, tz).toISOString(),
      end: dayjs.tz(asOf, tz).add(1, 'day').toISOString(),
    };
    for (const [entity, day, cols2] of [
      ['progress_report', 'reported_on', 'x.status, x.progress_percent, NULL AS budget'],
      [
        'budget_revision',
        'effective_on',
        'NULL AS status, NULL AS progress_percent, CAST(x.budget_fen AS TEXT) AS budget',
      ],
    ] as const)
      for (const r of await this.run<Row>(
        `SELECT ${cols}, x.${day} AS day, x.withdrawn_at, x.withdraw_reason, ${cols2} FROM ${entity} x ${scope}
           AND x.withdrawn_at >= :start AND x.withdrawn_at < :end`,
        { ...params, ...withdrawn },
      ))
        out.push({
          ...head(r, calendarDayIn(tz, new Date(String(r.withdrawn_at)))),
          kind: 'withdrawal',
          entity,
          on: String(r.day ?? ''),
          status: (r.status as ProjectStatus | null) ?? null,
          progressPercent: r.progress_percent === null ? null : Number(r.progress_percent),
          budgetFen: r.budget === null ? null : BigInt(String(r.budget)),
          reason: String(r.withdraw_reason ?? ''),
        });
    const order = [
      'report',
      'milestone',
      'committed',
      'received',
      'payment',
      'revision',
      'withdrawal',
    ];
    return out.sort(
      (a, b) =>
        a.regionName.localeCompare(b.regionName, 'zh-CN') ||
        a.projectName.localeCompare(b.projectName, 'zh-CN') ||
        a.projectId - b.projectId ||
        (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
        order.indexOf(a.kind) - order.indexOf(b.kind),
    );
  }

  /** The ids of the projects in scope, in report order (region, plan year, id). */
  private async reportOrder(path: string | null): Promise<number[]> {
    const rows = await this.run<{ id: number }>(
      `SELECT pr.id FROM project pr JOIN region rg ON rg.id = pr.region_id
       WHERE pr.archived_at IS NULL AND rg.path LIKE :path ORDER BY rg.path, pr.plan_year, pr.id`,
      { path: `${path ?? ''}%` },
    );
    return rows.map((r) => Number(r.id));
  }

  /** The report's figures of every project in scope as of a day, in report order. */
  async projectsAsOf(
    path: string | null,
    asOf: string,
    /** Called with each chunk as it is read (首页 evaluates a past day's alerts chunk by chunk). */
    eachChunk?: (chunk: ReportProject[]) => Promise<void>,
  ): Promise<ReportProject[]> {
    const order = await this.reportOrder(path);
    const projects: ReportProject[] = [];
    for (let i = 0; i < order.length; i += REPORT_CHUNK) {
      const chunk = await this.projectChunk(order.slice(i, i + REPORT_CHUNK), asOf);
      await eachChunk?.(chunk);
      for (const p of chunk) projects.push(p);
    }
    return projects;
  }

  /** The counties under a region path, in path order (the ranking's rows). */
  async countiesUnder(path: string | null): Promise<{ id: number; name: string }[]> {
    return (
      await this.db
        .reader(Region)
        .createQueryBuilder('r')
        .where("r.level = 'county' AND r.path LIKE :path", { path: `${path ?? ''}%` })
        .orderBy('r.path')
        .getMany()
    ).map((r) => ({ id: r.id, name: r.name }));
  }

  async load(
    month: string,
    path: string | null,
    region: Pick<Region, 'id' | 'name' | 'level'> | null,
    progress?: (p: number) => void,
    /** Between chunks: the job runner's garbage collection (JobContext.betweenPhases). */
    betweenPhases: () => void = () => undefined,
  ): Promise<ReportData> {
    const { asOf, monthOpen } = reportDay(month, this.clock.today());
    const params = { asOf, path: `${path ?? ''}%` };
    // the projects in report order, then their figures and alerts a chunk at a time: what is read
    // for 1,000 projects is garbage before the next chunk, so memory does not grow with the scope
    const order = await this.reportOrder(path);
    const projects: ReportProject[] = [];
    const alerts: AlertCondition[] = [];
    const projectNames = new Map<number, string>();
    const milestonePages: ReportMilestone[][] = [];
    const strings = new Map<string, string>();
    const intern = (v: string | null) => {
      if (v === null) return null;
      const k = strings.get(v);
      if (k !== undefined) return k;
      strings.set(v, v);
      return v;
    };
    // a chunk's figures and every milestone of its projects (read once: the alert rules' owners
    // and due milestones, and the 里程碑 sheet's rows)
    const chunkAt = (i: number) => {
      const ids = order.slice(i, i + REPORT_CHUNK);
      return Promise.all([this.projectChunk(ids, asOf), this.milestoneRows(ids)]);
    };
    let next = order.length ? chunkAt(0) : null;
    for (let i = 0; i < order.length; i += REPORT_CHUNK) {
      const ids = order.slice(i, i + REPORT_CHUNK);
      const [chunk, milestoneRows] = await next!;
      // the next chunk's figures are asked for while this one's alerts are read and evaluated
      // (PostgreSQL runs them at once on two connections)
      next = i + REPORT_CHUNK < order.length ? chunkAt(i + REPORT_CHUNK) : null;
      next?.catch(() => undefined); // awaited on the next turn
      for (const p of chunk) projects.push(p);
      // the alert rules read the figures just read, not a second query for them
      const input = await this.alerts.inputs(
        path,
        asOf,
        chunk.map((p) => p.id),
        undefined,
        chunk.map(alertInputOf),
        milestoneRows,
      );
      milestonePages.push(this.milestonePage(chunk, milestoneRows, asOf, intern));
      for (const a of evaluateAlerts(input, asOf))
        if (REPORTED_ALERTS.includes(a.kind)) alerts.push(a);
      for (const [id, name] of input.names) projectNames.set(id, name);
      progress?.(5 + (40 * (i + ids.length)) / order.length);
      betweenPhases(); // read chunks survive long enough to reach the old generation
    }
    betweenPhases();
    // the one roll-up by source (FiguresService.fundingBySource), by the stage of each project
    const agg = new Map<string, ReportData['fundingBySource'][number]>();
    const inScope = `WITH pf AS MATERIALIZED (SELECT pr.id AS id, ${figureExpr('status')} AS status
      FROM project pr JOIN region rg ON rg.id = pr.region_id WHERE pr.archived_at IS NULL AND rg.path LIKE :path)`;
    // independent reads at once (on PostgreSQL each on a connection of its own)
    const [fundingLines, events] = await Promise.all([
      this.figures.fundingBySource(inScope, params),
      this.monthEvents(month, asOf, path),
    ]);
    for (const l of fundingLines) {
      const group =
        l.stage === 'delivered'
          ? 'completed'
          : l.stage === 'building'
            ? 'under_construction'
            : 'other';
      const k = `${l.source}|${group}`;
      const a = agg.get(k) ?? {
        source: l.source as FundingSource,
        group,
        committed: 0n,
        received: 0n,
      };
      a.committed += l.committed;
      a.received += l.received;
      agg.set(k, a);
    }
    progress?.(50);
    const tz = this.config.businessTimeZone;
    const from = dayjs.tz(`${month}-01`, tz).toISOString();
    const to = dayjs.tz(`${month}-01`, tz).add(1, 'month').toISOString();
    const names = new Map(projects.map((p) => [p.id, p.name]));
    const changes = (
      await this.run<{
        at: string;
        actor_name: string;
        actor_display_name: string | null;
        action: string;
        entity: string;
        project_id: number | null;
        changes: string;
      }>(
        `SELECT a.at, a.actor_name, u.display_name AS actor_display_name, a.action, a.entity, a.project_id, a.changes
       FROM audit_log a LEFT JOIN "user" u ON u.username = a.actor_name
       WHERE a.at >= :from AND a.at < :to AND a.project_id IN (SELECT pr.id FROM project pr JOIN region rg ON rg.id = pr.region_id WHERE rg.path LIKE :path)
       ORDER BY a.id`,
        { from, to, path: `${path ?? ''}%` },
      )
    ).map((c) => ({
      at: c.at,
      actorName: c.actor_name,
      actorDisplayName: c.actor_display_name ?? null,
      action: c.action,
      entity: c.entity,
      projectName: c.project_id === null ? null : (names.get(Number(c.project_id)) ?? null),
      changes: JSON.parse(c.changes) as AuditChanges,
    }));
    const regionNames = new Map(
      (await this.run<{ id: number; name: string }>('SELECT id, name FROM region', {})).map(
        (r) => [Number(r.id), r.name] as const,
      ),
    );
    const planNames = new Map(
      (await this.run<{ id: number; name: string }>('SELECT id, name FROM plan', {})).map(
        (r) => [Number(r.id), r.name] as const,
      ),
    );
    progress?.(55);
    const plans: PlanProgress[] = [];
    for (const plan of await this.plans.plansIn(path)) {
      const pp = await this.plans.progress(plan, asOf);
      if (pp.targets.length) plans.push(pp);
    }
    const counties = await this.countiesUnder(path);
    const gaps = await this.run<Record<string, string | number>>(
      `SELECT g.document, r.name AS region_name, r.path, CAST(g.total_fen AS TEXT) AS total,
         CAST(g.completed_fen AS TEXT) AS completed, CAST(g.under_construction_fen AS TEXT) AS uc
       FROM reported_gap g JOIN region r ON r.id = g.region_id WHERE r.path LIKE :path ORDER BY r.path, g.id`,
      { path: `${path ?? ''}%` },
    );
    const reportedGaps: ReportedGapLine[] = [];
    for (const g of gaps) {
      const below = await this.run<{ id: number | string }>(
        'SELECT id FROM region WHERE path LIKE :p',
        { p: `${String(g.path)}%` },
      );
      reportedGaps.push({
        regionName: String(g.region_name),
        document: String(g.document),
        total: BigInt(g.total),
        completed: BigInt(g.completed),
        underConstruction: BigInt(g.uc),
        regionIds: new Set(below.map((r) => Number(r.id))),
      });
    }
    const submissions = await this.submissionSheet(month, region, counties);
    progress?.(60);
    return {
      reportedGaps,
      submissions,
      events,
      month,
      asOf,
      monthOpen,
      timeZone: this.config.businessTimeZone,
      region: {
        id: region?.id ?? null,
        name: region?.name ?? '全部地区',
        level: region?.level ?? null,
      },
      generatedAt: this.clock.now().toISOString(),
      projects,
      alerts,
      projectNames,
      milestones: async function* () {
        yield* milestonePages;
      },
      fundingBySource: [...agg.values()],
      changes,
      regionNames,
      planNames,
      plans,
      counties,
    };
  }
}
