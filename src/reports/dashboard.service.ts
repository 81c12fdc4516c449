import { Injectable, Optional } from '@nestjs/common';
import { WorkbookPool } from '../workers/workbook-pool';
import type { DashboardArgs } from './dashboard.task';
import { RULES } from '../alerts/alert-rules';
import { AlertsService } from '../alerts/alerts.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { addDays, daysBetween, daysInMonth, dayjs } from '../common/dates';
import {
  isCompleted,
  isCounted,
  isStarted,
  REPORTING_STATUSES,
  STAGES,
} from '../projects/project-rules';
import { ReadCache } from '../database/read-cache';
import { DashboardQuery } from './dto/dashboard.dto';
import { funds, rankCounties, rates } from './report-rates';
import { Dashboard, DashboardSubmission, DueReport, SubmissionCounts } from './dto/dashboard.view';
import { SubmissionStatusQuery } from './submission-status.query';
import { WorkCalendar } from '../calendar/work-calendar.service';
import { alertInputOf, ReportDataService, ReportProject } from './report-data.service';

/**
 * A project of the scope as of the day, as 首页 read it (the map's points take these, so a point's
 * status and alerts are the figures 首页 counted): its status, seats, 资金测算 and alerts.
 */
export interface DashboardProject {
  id: number;
  name: string;
  regionId: number;
  status: ReportProject['status'];
  seats: number;
  /** fen, as a decimal string (a worker thread's answer is cloned, bigint and all, but JSON is not). */
  budgetFen: string | null;
  /** The highest severity among its alerts on the day; null when none. */
  alertLevel: 'red' | 'yellow' | 'blue' | null;
  redAlerts: number;
}

type Computed = { dashboard: Dashboard; ids: number[]; projects: DashboardProject[] };

/** At most this many of the reports due are listed (all are counted). */
const DUE_LISTED = 100;

/**
 * 首页 (驾驶舱): the programme as of a day, from the monthly report's own figures (the read model,
 * `ReportDataService.projectsAsOf`), so every rate and the ranking equal the report's for that day.
 * Its money (测算, 已落实, 已到位, 已支付, 缺口) is what `GET /api/funding/summary` totals, added up from
 * the same figures (`funds`): the screen has every figure of the day in one answer.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly data: ReportDataService,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
    private readonly alerts: AlertsService,
    private readonly submissions: SubmissionStatusQuery,
    private readonly calendar: WorkCalendar,
    /** Absent in a worker thread, which computes in place. */
    @Optional() private readonly pool?: WorkbookPool,
  ) {}

  /**
   * Kept (ReadCache) until a change under the scope or to one of its projects: leaders reopen 首页
   * all day, and a session renewal or a write elsewhere does not make it compute again.
   */
  async dashboard(actor: Actor, q: DashboardQuery): Promise<Dashboard> {
    const asOf = q.asOf ?? this.clock.today();
    const { path, region } = await this.data.scope(actor, q.regionId);
    // the reporting cycle's part is read while the figures are computed: it needs only the scope
    const [computed, cycle] = await Promise.all([
      this.cached(path, region, asOf),
      this.reportingCycle(path, region, asOf),
    ]);
    const d = computed.dashboard;
    return {
      ...d,
      counties: d.counties.map((c) => ({
        ...c,
        // 报送及时率 even for a county without projects (unranked, its project rates —): the
        // monthly return is due from every county, a 零报告 included (test/e2e/submission-reminders)
        timelinessRate: cycle.timeliness.get(c.regionId) ?? null,
      })),
      submission: cycle.submission,
    };
  }

  /**
   * 首页's figures (without the reporting cycle's part) and the projects they were computed from,
   * as of the day: the map (挂图作战) draws these, from the same cache entry and worker thread.
   */
  async withProjects(
    actor: Actor,
    q: DashboardQuery,
  ): Promise<{ dashboard: Dashboard; projects: DashboardProject[] }> {
    const asOf = q.asOf ?? this.clock.today();
    const { path, region } = await this.data.scope(actor, q.regionId);
    const computed = await this.cached(path, region, asOf);
    return { dashboard: computed.dashboard, projects: computed.projects };
  }

  private async cached(
    path: string | null,
    region: { id: number; name: string; level: string } | null,
    asOf: string,
  ): Promise<Computed> {
    if (asOf === this.clock.today()) await this.alerts.current(); // today's 红/黄/蓝 follow the day
    return this.cache.get(
      `dashboard|${path ?? ''}|${region?.id ?? ''}|${asOf}`,
      // computed in a worker thread (a past day's alerts are evaluated live: about half a second
      // of CPU for a province), its money (funds) with the rest
      () =>
        this.pool
          ? this.pool.run<Computed>('dashboard', {
              path,
              region: region && { id: region.id, name: region.name, level: region.level },
              asOf,
            } satisfies DashboardArgs)
          : this.compute(path, region, asOf),
      (v) => ({ scope: path ?? '', ids: v.ids }),
    );
  }

  /**
   * The reporting cycle's part, read on every call: the cache follows project changes only, and a
   * submission or a return changes none. 报送及时率 of each county ranked (those under the scope,
   * when there is more than one), and the scope's own return or its counties' for the last month.
   */
  private async reportingCycle(
    path: string | null,
    region: { id: number; level: string } | null,
    asOf: string,
  ): Promise<{ timeliness: Map<number, number | null>; submission: DashboardSubmission | null }> {
    const month = dayjs
      .utc(`${asOf.slice(0, 7)}-01`)
      .subtract(1, 'month')
      .format('YYYY-MM');
    const [timeliness, submission] = await Promise.all([
      this.data
        .countiesUnder(path)
        .then((cs) => this.submissions.timeliness(cs.length > 1 ? cs.map((c) => c.id) : [], asOf)),
      region ? this.submissionOf(region, month, asOf) : null,
    ]);
    return { timeliness, submission };
  }

  private async submissionOf(
    region: { id: number; level: string },
    month: string,
    asOf: string,
  ): Promise<DashboardSubmission> {
    if (region.level === 'county') {
      const [own] = await this.submissions.monthOf([region.id], month, asOf);
      return {
        month,
        dueOn: own.dueOn,
        status: own.status,
        lateDays: own.lateDays,
        firstSubmittedAt: own.firstSubmittedAt,
        counts: null,
      };
    }
    const children = await this.submissions.children(region.id);
    const months = await this.submissions.monthOf(
      children.map((c) => c.id),
      month,
      asOf,
    );
    const counts: SubmissionCounts = {
      not_submitted: 0,
      submitted: 0,
      approved: 0,
      returned: 0,
      withdrawn: 0,
      total: months.length,
    };
    for (const m of months) counts[m.status as keyof SubmissionCounts]++;
    return {
      month,
      dueOn: await this.calendar.dueOn(month),
      status: null,
      lateDays: null,
      firstSubmittedAt: null,
      counts,
    };
  }

  async compute(
    path: string | null,
    region: { id: number; name: string; level: string } | null,
    asOf: string,
  ): Promise<Computed> {
    // a past day's alerts are evaluated live on the figures just read, a chunk at a time (what
    // the rules read of 1,000 projects is garbage before the next chunk); today's are the stored
    // ones. Counted per project for the map, added up for the 红/黄/蓝 counts
    const today = asOf === this.clock.today();
    const bySeverity = new Map<number, Record<'red' | 'yellow' | 'blue', number>>();
    const [projects, counties] = await Promise.all([
      this.data.projectsAsOf(
        path,
        asOf,
        today
          ? undefined
          : async (chunk) => {
              const counts = await this.alerts.pastSeveritiesOf(
                path,
                asOf,
                chunk.map(alertInputOf),
              );
              for (const [id, c] of counts) bySeverity.set(id, c);
            },
      ),
      this.data.countiesUnder(path),
    ]);
    if (today)
      for (const [id, c] of await this.alerts.severitiesByProject(path, asOf))
        bySeverity.set(id, c);
    const alerts = { red: 0, yellow: 0, blue: 0 };
    for (const c of bySeverity.values()) {
      alerts.red += c.red;
      alerts.yellow += c.yellow;
      alerts.blue += c.blue;
    }
    const live = projects.filter((p) => isCounted(p.status));
    const seats = STAGES.map((stage) => {
      const sum = (ps: ReportProject[]) => ps.reduce((n, p) => n + p.seats[stage], 0);
      return {
        stage,
        planned: sum(live),
        underConstruction: sum(live.filter((p) => isStarted(p.status) && !isCompleted(p.status))),
        delivered: sum(live.filter((p) => isCompleted(p.status))),
      };
    });
    const r = rates(projects, asOf);
    const [y, m] = asOf.split('-').map(Number);
    const monthEnd = `${asOf.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
    const due = projects
      .filter((p) => REPORTING_STATUSES.includes(p.status))
      .map((p): DueReport => {
        const dueOn = p.lastReportedOn ? addDays(p.lastReportedOn, RULES.staleAfterDays) : null;
        return {
          projectId: p.id,
          name: p.name,
          regionName: p.regionName,
          status: p.status,
          lastReportedOn: p.lastReportedOn,
          dueOn,
          daysLate: dueOn ? Math.max(0, daysBetween(dueOn, asOf)) : 0,
        };
      })
      .filter((d) => d.dueOn === null || d.dueOn <= monthEnd)
      .sort((a, b) =>
        (a.dueOn ?? '') < (b.dueOn ?? '')
          ? -1
          : (a.dueOn ?? '') > (b.dueOn ?? '')
            ? 1
            : a.projectId - b.projectId,
      );
    const dashboard: Dashboard = {
      asOf,
      region: {
        id: region?.id ?? null,
        name: region?.name ?? '全部地区',
        level: region?.level ?? null,
      },
      projects: projects.length,
      seats,
      rates: r,
      investmentVsSchedule:
        r.investmentRate === null || r.scheduleCount === null
          ? null
          : Math.round((r.investmentRate - r.scheduleCount) * 1000) / 10,
      overdue: live.filter((p) => (p.daysOverdue ?? 0) > 0).length,
      alerts,
      funds: funds(projects),
      dueReports: { total: due.length, monthEnd, items: due.slice(0, DUE_LISTED) },
      counties:
        counties.length > 1
          ? rankCounties(counties, projects, asOf).map(({ c, r: x, overdue, ranked }, i) => ({
              regionId: c.id,
              name: c.name,
              rank: ranked ? i + 1 : null,
              overdue,
              ...x,
              timelinessRate: null, // filled in fresh on every read (submissions are not cached)
            }))
          : [],
      submission: null,
    };
    return {
      dashboard,
      ids: projects.map((p) => p.id),
      projects: projects.map((p): DashboardProject => {
        const sev = bySeverity.get(p.id);
        return {
          id: p.id,
          name: p.name,
          regionId: p.regionId,
          status: p.status,
          seats: STAGES.reduce((n, stage) => n + p.seats[stage], 0),
          budgetFen: p.budget === null ? null : p.budget.toString(),
          alertLevel: sev?.red ? 'red' : sev?.yellow ? 'yellow' : sev?.blue ? 'blue' : null,
          redAlerts: sev?.red ?? 0,
        };
      }),
    };
  }
}
