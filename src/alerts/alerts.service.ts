import { User } from '../auth/user.entity';
import { ALERT_STATE_LABELS as VOCAB_ALERT_STATES } from '../common/vocabulary';
import { registerLabels } from '../common/labels';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock } from '../common/clock';
import { addDays, dayjs } from '../common/dates';
import { NotFound, VersionConflict, ruleViolation } from '../common/errors';
import { Page, pageWindow } from '../common/page';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { bulkInsert, bulkUpdate, reserveIds } from '../database/bulk';
import { bindNamed } from '../database/raw-sql';
import { Database } from '../database/database';
import { figureColumns } from '../projects/figures.sql';
import { gapOf } from '../projects/project-figures';
import { Project } from '../projects/project.entity';
import { ProjectStatus } from '../projects/project-rules';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { AlertNotice, alertPayload, digestPayload } from './alert-messages';
import {
  AlertCondition,
  alertSeverities,
  evaluateAlerts,
  MilestoneInput,
  ProjectInput,
  Severity,
} from './alert-rules';
import { reconcileAlerts } from './alert-reconcile';
import { Alert, AlertDelivery, JobLease, ScanRun } from './alert.entities';
import { ChannelsService } from './channels.service';
import { AlertsQuery } from './dto/alerts.dto';
import { AlertView } from './dto/alert.view';

const DAILY_JOB = 'daily_alert_scan';
const LEASE_MS = 10 * 60_000;

const INSTANCE_ID = `${hostname()}:${process.pid}`;

const ORDER: Record<Severity, number> = { red: 0, yellow: 1, blue: 2 };

/** The PostgreSQL advisory lock between the scan and writes' refreshes (see `lockAlerts`). */
const ALERTS_LOCK = 727_274_002;

/** Projects a write's refresh reads and reconciles at a time (an import's set, in chunks). */
const REFRESH_CHUNK = 500;

/** Alert states as staff read them. */
export const ALERT_STATE_LABELS: Record<Alert['state'], string> =
  registerLabels(VOCAB_ALERT_STATES);

/** A project's figures as of the day that the rules read, as a caller that already has them passes them. */
export type KnownProject = Omit<ProjectInput, 'monthly' | 'owner'>;

/**
 * A project's input to the alert rules as one object literal (fields in one order): spreading
 * (`{ ...known, monthly, owner }`) gives each of a province's 10,000 inputs a hidden class of its own.
 */
const projectInput = (
  p: KnownProject,
  monthly: ProjectInput['monthly'],
  owner: string | null,
): ProjectInput => ({
  id: p.id,
  name: p.name,
  regionId: p.regionId,
  regionName: p.regionName,
  status: p.status,
  plannedCompletion: p.plannedCompletion,
  plannedCompletionDue: p.plannedCompletionDue,
  lastReportedOn: p.lastReportedOn,
  monthly,
  gapFen: p.gapFen,
  owner,
});

/** A due milestone as the alert rules' query reads it. */
interface DueMilestoneRow {
  id: number;
  project_id: number;
  name: string;
  planned_date: string;
  planned_due: string;
  actual_date: string | null;
  owner: string | null;
}

const milestoneInputs = (rows: DueMilestoneRow[]): MilestoneInput[] =>
  rows.map((m) => ({
    id: Number(m.id),
    projectId: Number(m.project_id),
    name: m.name,
    plannedDate: m.planned_date,
    plannedDue: m.planned_due,
    actualDate: m.actual_date,
    owner: m.owner,
  }));

/** A milestone as a report reads it once for a chunk of projects (the alert rules and 里程碑 share it). */
export interface MilestoneRow {
  id: number;
  project_id: number;
  name: string;
  planned_date: string | null;
  planned_due: string | null;
  actual_date: string | null;
  owner: string | null;
  sort_order: number;
}

/**
 * What the two milestone queries of {@link AlertsService.inputs} select, from every milestone of
 * the projects (read once by the monthly report): each project's owner of its next open
 * milestone (by due day, then sort order, then id) and the open milestones due by `soon`.
 */
function milestoneAlertInputs(
  rows: readonly MilestoneRow[],
  asOf: string,
  soon: string,
): { owners: Map<number, string>; due: MilestoneInput[] } {
  const owners = new Map<number, string>();
  const best = new Map<number, MilestoneRow>();
  const due: MilestoneInput[] = [];
  for (const m of rows) {
    const open = m.actual_date === null || m.actual_date > asOf;
    if (!open) continue;
    const pid = Number(m.project_id);
    if (m.owner !== null) {
      const b = best.get(pid);
      const key = m.planned_due ?? '9999-12-31';
      const bKey = b ? (b.planned_due ?? '9999-12-31') : '';
      if (
        !b ||
        key < bKey ||
        (key === bKey &&
          (Number(m.sort_order) < Number(b.sort_order) ||
            (Number(m.sort_order) === Number(b.sort_order) && Number(m.id) < Number(b.id))))
      ) {
        best.set(pid, m);
        owners.set(pid, m.owner);
      }
    }
    if (m.planned_due !== null && m.planned_due <= soon)
      due.push({
        id: Number(m.id),
        projectId: pid,
        name: m.name,
        plannedDate: m.planned_date as string,
        plannedDue: m.planned_due,
        actualDate: m.actual_date,
        owner: m.owner,
      });
  }
  return { owners, due };
}

@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channels: ChannelsService,
  ) {}

  // ---- the data the rules need, as of a day ---------------------------------------------

  /** A read on committed data, or inside the write's own transaction when `em` is given. */
  private run<T>(sql: string, params: Record<string, unknown>, em?: EntityManager): Promise<T[]> {
    if (!em) return this.db.select<T>(sql, params);
    const [text, values] = bindNamed(this.db.dialect, sql, params);
    return em.query(text, values);
  }

  /**
   * Projects and milestones reduced to the day (status, last report, monthly progress, gap);
   * only the projects `ids` when given (projects of the scope: a large report and 首页 read them a
   * chunk at a time); inside the transaction `em` when given (a write brings its projects' alerts
   * up to date before it commits).
   */
  async inputs(
    scopePath: string | null,
    asOf: string,
    ids?: number[],
    em?: EntityManager,
    /**
     * The projects' figures as of the day, already read by the caller (the monthly report reads
     * the same figures for its sheets): their query is not run again. `ids` are then theirs.
     */
    known?: KnownProject[],
    /** Every milestone of the `known` projects, already read by the caller: no milestone query. */
    milestoneRows?: readonly MilestoneRow[],
    /**
     * The inputs of `alertSeverities` only (counts name no one and write no message): no owners
     * read, and each due milestone without its name and printed day (four columns, as arrays:
     * a province's past day reads ~15,000 of them).
     */
    forCounts = false,
  ): Promise<{
    projects: ProjectInput[];
    milestones: MilestoneInput[];
    names: Map<number, string>;
  }> {
    // the ids, when given, are projects of the scope (read from it): the region path is not
    // checked again (a chunk's milestones then take 1.8 ms instead of 3.1 ms)
    const scope = ids
      ? ' AND pr.id IN (:ids)'
      : scopePath
        ? ' AND pr.region_id IN (SELECT rs.id FROM region rs WHERE rs.path LIKE :path)'
        : '';
    const params = {
      ids,
      asOf,
      path: `${scopePath ?? ''}%`,
      soon: addDays(asOf, 30),
      from: dayjs.utc(asOf).subtract(4, 'month').startOf('month').format('YYYY-MM-DD'),
    };
    const rows = known
      ? []
      : await this.run<{
          id: number;
          name: string;
          region_id: number;
          region_name: string;
          planned_completion: string | null;
          planned_completion_due: string | null;
          last_reported_on: string | null;
          status: ProjectStatus;
          budget: string | null;
          committed: string;
        }>(
          `SELECT pr.id, pr.name, pr.region_id, rg.name AS region_name, pr.planned_completion, pr.planned_completion_due,
         ${figureColumns(['last_reported_on', 'status', 'budget', 'committed'])}
       FROM project pr JOIN region rg ON rg.id = pr.region_id
       WHERE pr.archived_at IS NULL${scope}`,
          params,
          em,
        );
    const monthly = new Map<
      number,
      Map<string, { on: string; id: number; progressPercent: number }>
    >();
    const reports = await this.run<{
      project_id: number;
      reported_on: string;
      id: number;
      progress_percent: number;
    }>(
      `SELECT r.project_id, r.reported_on, r.id, r.progress_percent FROM progress_report r JOIN project pr ON pr.id = r.project_id
       WHERE pr.archived_at IS NULL AND r.withdrawn_at IS NULL AND r.reported_on >= :from AND r.reported_on <= :asOf${scope}`,
      params,
      em,
    );
    for (const r of reports) {
      const months =
        monthly.get(Number(r.project_id)) ??
        new Map<string, { on: string; id: number; progressPercent: number }>();
      const month = r.reported_on.slice(0, 7);
      const cur = months.get(month);
      if (!cur || r.reported_on > cur.on || (r.reported_on === cur.on && Number(r.id) > cur.id)) {
        months.set(month, {
          on: r.reported_on,
          id: Number(r.id),
          progressPercent: Number(r.progress_percent),
        });
      }
      monthly.set(Number(r.project_id), months);
    }
    const names = new Map<number, string>();
    const monthsOf = (id: number) =>
      [...(monthly.get(id)?.entries() ?? [])]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([month, v]) => ({ month, progressPercent: v.progressPercent }));
    if (known && milestoneRows) {
      const { owners, due } = milestoneAlertInputs(milestoneRows, asOf, params.soon);
      const projects: ProjectInput[] = known.map((p) => {
        names.set(p.id, p.name);
        return projectInput(p, monthsOf(p.id), owners.get(p.id) ?? null);
      });
      return { projects, milestones: due, names };
    }
    const owners = new Map<number, string>();
    // the owner of each project's next open milestone: one row per project, not every milestone
    const ownerRows = forCounts
      ? []
      : await this.run<{ project_id: number; owner: string }>(
          `SELECT project_id, owner FROM (
         SELECT m.project_id, m.owner, ROW_NUMBER() OVER (PARTITION BY m.project_id ORDER BY COALESCE(m.planned_due, '9999-12-31'), m.sort_order, m.id) AS n
         FROM milestone m JOIN project pr ON pr.id = m.project_id
         WHERE pr.archived_at IS NULL AND m.owner IS NOT NULL AND (m.actual_date IS NULL OR m.actual_date > :asOf)${scope}
       ) o WHERE n = 1`,
          params,
          em,
        );
    for (const o of ownerRows)
      if (!owners.has(Number(o.project_id))) owners.set(Number(o.project_id), o.owner);
    const dueMilestones = `FROM milestone m JOIN project pr ON pr.id = m.project_id
       WHERE pr.archived_at IS NULL AND m.planned_due IS NOT NULL AND m.planned_due <= :soon AND (m.actual_date IS NULL OR m.actual_date > :asOf)${scope}`;
    const milestones =
      forCounts && !em
        ? (
            await this.db.selectRows(
              `SELECT m.id, m.project_id, m.planned_due, m.actual_date ${dueMilestones}`,
              params,
            )
          ).rows.map(([id, projectId, plannedDue, actualDate]): MilestoneInput => ({
            id: Number(id),
            projectId: Number(projectId),
            name: '',
            plannedDate: plannedDue as string,
            plannedDue: plannedDue as string,
            actualDate: actualDate as string | null,
            owner: null,
          }))
        : milestoneInputs(
            await this.run<DueMilestoneRow>(
              `SELECT m.id, m.project_id, m.name, m.planned_date, m.planned_due, m.actual_date, m.owner ${dueMilestones}`,
              params,
              em,
            ),
          );
    if (known) {
      const projects: ProjectInput[] = known.map((p) => {
        names.set(p.id, p.name);
        return projectInput(p, monthsOf(p.id), owners.get(p.id) ?? null);
      });
      return { projects, milestones, names };
    }
    const projects: ProjectInput[] = rows.map((r) => {
      names.set(Number(r.id), r.name);
      // the same fields in the same order as projectInput's: one hidden class for all inputs
      return {
        id: Number(r.id),
        name: r.name,
        regionId: Number(r.region_id),
        regionName: r.region_name,
        status: r.status,
        plannedCompletion: r.planned_completion,
        plannedCompletionDue: r.planned_completion_due,
        lastReportedOn: r.last_reported_on,
        monthly: monthsOf(Number(r.id)),
        gapFen: gapOf({
          status: r.status,
          budget: r.budget === null ? null : BigInt(r.budget),
          committed: BigInt(String(r.committed)),
        }),
        owner: owners.get(Number(r.id)) ?? null,
      };
    });
    return { projects, milestones, names };
  }

  // ---- reads -----------------------------------------------------------------------------

  /**
   * Alerts in the caller's scope. With `asOf`, the conditions as of that day computed live (not
   * stored: nothing to acknowledge); without it, the stored alerts the scans keep.
   */
  async list(
    actor: Actor,
    q: AlertsQuery,
  ): Promise<Page<AlertView> & { asOf?: string; counts: Record<Severity, number> }> {
    if (!q.asOf || q.asOf === this.clock.today()) await this.current();
    const path =
      q.regionId !== undefined
        ? (await this.regions.findInScope(actor, q.regionId)).path
        : await this.regions.scopePath(actor);
    const w = pageWindow(q.page, q.pageSize);
    if (q.asOf) {
      const input = await this.inputs(path, q.asOf);
      const matching = evaluateAlerts(input, q.asOf).filter(
        (c) =>
          (!q.kind?.length || q.kind.includes(c.kind)) &&
          (!q.state?.length || q.state.includes('open')),
      );
      const counts = { red: 0, yellow: 0, blue: 0 };
      for (const c of matching) counts[c.severity]++;
      let live = matching
        .filter((c) => !q.severity?.length || q.severity.includes(c.severity))
        .sort(
          (a, b) =>
            ORDER[a.severity] - ORDER[b.severity] ||
            b.daysOverdue - a.daysOverdue ||
            a.projectId - b.projectId,
        );
      const total = live.length;
      live = live.slice(w.offset, w.offset + w.pageSize);
      return {
        asOf: q.asOf,
        items: live.map((c) => this.liveView(c, input.names.get(c.projectId) ?? '')),
        total,
        page: w.page,
        pageSize: w.pageSize,
        counts,
      };
    }
    const qb = this.storedQuery(path, q)
      .addSelect('p.name', 'project_name')
      .leftJoin(User, 'u', 'u.username = a.acknowledgedBy')
      .addSelect('u.displayName', 'ack_display_name');
    const counts = await this.countBySeverity(qb);
    if (q.severity?.length) qb.andWhere('a.severity IN (:...severity)', { severity: q.severity });
    const total = await qb.getCount();
    qb.orderBy("CASE a.severity WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END", 'ASC')
      .addOrderBy('a.daysOverdue', 'DESC')
      .addOrderBy('a.id', 'ASC');
    const { entities, raw } = await qb.offset(w.offset).limit(w.pageSize).getRawAndEntities();
    return {
      items: entities.map((a, i) => {
        const r = raw[i] as { project_name: string; ack_display_name: string | null };
        return {
          ...this.storedView(a, r.project_name),
          acknowledgedByDisplayName: r.ack_display_name ?? null,
        };
      }),
      total,
      page: w.page,
      pageSize: w.pageSize,
      counts,
    };
  }

  /**
   * The stored alerts under a region path (an alert's region is its project's current region), of
   * the given kinds and states; by default the standing ones, open or acknowledged (an acknowledged
   * alert stands until its condition clears, as in 项目台账's 预警等级).
   */
  private storedQuery(path: string | null, q: Pick<AlertsQuery, 'kind' | 'state'>) {
    const qb = this.db
      .reader(Alert)
      .createQueryBuilder('a')
      .innerJoin(Project, 'p', 'p.id = a.projectId');
    if (path)
      qb.andWhere('p.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :path)', {
        path: `${path}%`,
      });
    if (q.kind?.length) qb.andWhere('a.kind IN (:...kind)', { kind: q.kind });
    qb.andWhere('a.state IN (:...state)', {
      state: q.state?.length ? q.state : ['open', 'acknowledged'],
    });
    return qb;
  }

  /** 红/黄/蓝 counts under a query's filters but the severity: one alert counts once. */
  private async countBySeverity(
    qb: ReturnType<AlertsService['storedQuery']>,
  ): Promise<Record<Severity, number>> {
    const bySeverity: { severity: Severity; n: number | string }[] = await qb
      .clone()
      .select('a.severity', 'severity')
      .addSelect('COUNT(*)', 'n')
      .groupBy('a.severity')
      .getRawMany();
    const counts = { red: 0, yellow: 0, blue: 0 };
    for (const r of bySeverity) counts[r.severity] = Number(r.n);
    return counts;
  }

  /**
   * 红/黄/蓝 counts of each project that has any, the same numbers as 预警中心's tabs without filters
   * (`GET /api/alerts` counts): today, the standing alerts (open or acknowledged) under the region
   * path, one per alert (a project with two overdue milestones counts twice); another day, the
   * conditions of that day computed live, as `GET /api/alerts?asOf=` counts them. 首页 adds them up;
   * the map's points and its counties' red alerts are these.
   */
  async severitiesByProject(
    path: string | null,
    asOf: string,
    known?: KnownProject[],
  ): Promise<Map<number, Record<Severity, number>>> {
    if (asOf === this.clock.today()) {
      const out = new Map<number, Record<Severity, number>>();
      const rows: { projectId: number | string; severity: Severity; n: number | string }[] =
        await this.storedQuery(path, {})
          .select('a.projectId', 'projectId')
          .addSelect('a.severity', 'severity')
          .addSelect('COUNT(*)', 'n')
          .groupBy('a.projectId')
          .addGroupBy('a.severity')
          .getRawMany();
      for (const r of rows) {
        const id = Number(r.projectId);
        let c = out.get(id);
        if (!c) out.set(id, (c = { red: 0, yellow: 0, blue: 0 }));
        c[r.severity] += Number(r.n);
      }
      return out;
    }
    return alertSeverities(
      await this.inputs(path, asOf, undefined, undefined, known, undefined, true),
      asOf,
    );
  }

  /**
   * A past day's 红/黄/蓝 counts of the projects `known` only (their figures read by the caller, a
   * chunk at a time: 首页 evaluates each chunk's alerts as it reads it). Today's are stored: use
   * {@link severitiesByProject} for the scope.
   */
  async pastSeveritiesOf(
    path: string | null,
    asOf: string,
    known: KnownProject[],
  ): Promise<Map<number, Record<Severity, number>>> {
    return alertSeverities(
      await this.inputs(
        path,
        asOf,
        known.map((p) => p.id),
        undefined,
        known,
        undefined,
        true,
      ),
      asOf,
    );
  }

  private liveView(c: AlertCondition, projectName: string): AlertView {
    return {
      id: null,
      kind: c.kind,
      severity: c.severity,
      projectId: c.projectId,
      projectName,
      milestoneId: c.milestoneId,
      regionId: c.regionId,
      daysOverdue: c.daysOverdue,
      state: 'open',
      message: c.message,
      owner: c.owner,
      openedAt: null,
      updatedAt: null,
      resolvedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
      version: null,
    };
  }

  private storedView(a: Alert, projectName: string): AlertView {
    return {
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      projectId: a.projectId,
      projectName,
      milestoneId: a.milestoneId,
      regionId: a.regionId,
      daysOverdue: a.daysOverdue,
      state: a.state,
      message: a.message,
      owner: a.owner,
      openedAt: a.openedAt,
      updatedAt: a.updatedAt,
      resolvedAt: a.resolvedAt,
      acknowledgedAt: a.acknowledgedAt,
      acknowledgedBy: a.acknowledgedBy,
      ackNote: a.ackNote,
      version: a.version,
    };
  }

  // ---- writes ----------------------------------------------------------------------------

  /** 确认: an open alert, with a 确认说明 (`note`, trimmed, required: why it is known or what is being done). */
  async acknowledge(actor: Actor, id: number, version?: number, note?: string): Promise<AlertView> {
    const text = note?.trim() ?? '';
    if (!text) throw ruleViolation('note', 'FIELD_REQUIRED', '确认说明');
    note = text;
    return this.db.transaction(async (em) => {
      const path = await this.regions.scopePath(actor);
      const qb = em
        .createQueryBuilder(Alert, 'a')
        .innerJoin(Project, 'p', 'p.id = a.projectId')
        .where('a.id = :id', { id });
      if (path)
        qb.andWhere('p.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :path)', {
          path: `${path}%`,
        });
      const a = await qb.getOne();
      if (!a) throw new NotFound('预警');
      if (version !== undefined && version !== a.version) throw new VersionConflict();
      if (a.state !== 'open')
        throw ruleViolation('state', 'ALERT_NOT_OPEN', `当前为“${ALERT_STATE_LABELS[a.state]}”`);
      const now = this.clock.now().toISOString();
      const r = await em
        .createQueryBuilder()
        .update(Alert)
        .set({
          state: 'acknowledged',
          acknowledgedAt: now,
          acknowledgedBy: actor.username,
          ackNote: note,
          updatedAt: now,
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :v', { id, v: a.version })
        .execute();
      if (r.affected !== 1) throw new VersionConflict();
      await this.audit.record(em, actor, {
        action: 'acknowledge',
        entity: 'alert',
        entityId: id,
        projectId: a.projectId,
        changes: {
          state: { old: 'open', new: 'acknowledged' },
          acknowledgedBy: { old: null, new: actor.username },
          ackNote: { old: null, new: note },
        },
      });
      const name = (await em.findOneBy(Project, { id: a.projectId }))?.name ?? '';
      return this.storedView(
        {
          ...a,
          state: 'acknowledged',
          acknowledgedAt: now,
          acknowledgedBy: actor.username,
          ackNote: note,
          updatedAt: now,
          version: a.version + 1,
        },
        name,
      );
    });
  }

  /**
   * Brings the stored alerts in line with the conditions as of a day: opens new ones, updates
   * days and severity, re-opens returning ones, resolves cleared ones, and queues one webhook
   * message per alert state (or one digest per region when more than the threshold are open).
   * The webhooks are called later by the delivery worker, never inside this transaction.
   */
  async scan(
    actor: Actor,
    asOf: string,
    trigger: 'schedule' | 'manual',
    scopePath?: string | null,
  ) {
    const path = scopePath === undefined ? await this.regions.scopePath(actor) : scopePath;
    const startedAt = this.clock.now().toISOString();
    return this.db.transaction(async (em) => {
      // read in the transaction, under the alerts' lock: a write that commits meanwhile cannot
      // have its refreshed alerts overwritten from data read before it
      await this.lockAlerts(em, 'scan');
      const input = await this.inputs(path, asOf, undefined, em);
      const { counts, queued } = await this.reconcile(em, input, asOf, { path });
      await em.insert(ScanRun, {
        asOf,
        trigger,
        instance: INSTANCE_ID,
        startedAt,
        finishedAt: this.clock.now().toISOString(),
        counts: { ...counts, queued } as never,
      });
      await this.audit.record(em, actor, {
        action: 'scan',
        entity: 'alert_scan',
        entityId: 0,
        changes: {
          asOf: { old: null, new: asOf },
          ...Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, { old: null, new: v }])),
        },
      });
      this.logger.log(
        `scan as of ${asOf} (${trigger}): ${JSON.stringify(counts)}, ${queued} messages queued`,
      );
      return { asOf, trigger, ...counts, queued };
    });
  }

  /**
   * Brings the alerts of the projects `projectIds` up to date as of today, inside the transaction
   * `em` of the write that changed them (a progress report, a project's dates, status, region or
   * archiving, a milestone, a budget revision or funding line, an import): the scan's own
   * reconciliation restricted to those projects, so the write and its alerts commit or roll back
   * together. Messages are queued exactly as the scan queues them (one per alert state; the
   * delivery worker sends them after the commit, never in the request). Audited as a scan when
   * anything changed. Reads a chunk of projects at a time: an import may touch thousands.
   */
  async refresh(em: EntityManager, actor: Actor, projectIds: readonly number[]): Promise<void> {
    const ids = [...new Set(projectIds)].sort((a, b) => a - b);
    if (!ids.length) return;
    await this.lockAlerts(em, 'write');
    const asOf = this.clock.today();
    const total: Record<string, number> = {};
    let queued = 0;
    for (let i = 0; i < ids.length; i += REFRESH_CHUNK) {
      const chunk = ids.slice(i, i + REFRESH_CHUNK);
      const input = await this.inputs(null, asOf, chunk, em);
      const r = await this.reconcile(em, input, asOf, { ids: chunk });
      for (const [k, v] of Object.entries(r.counts)) total[k] = (total[k] ?? 0) + v;
      queued += r.queued;
    }
    const { unchanged: _u, open: _o, ...moved } = total;
    if (!Object.values(moved).some((n) => n > 0)) return;
    await this.audit.record(em, actor, {
      action: 'scan',
      entity: 'alert_scan',
      entityId: 0,
      changes: {
        asOf: { old: null, new: asOf },
        projects: { old: null, new: ids.length },
        ...Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, { old: null, new: v }])),
        queued: { old: null, new: queued },
      },
    });
  }

  /**
   * PostgreSQL: writes' refreshes share the alerts' lock (they touch their own projects' alerts),
   * a scan holds it alone from reading its data to its commit, so neither reconciles from data the
   * other has changed. SQLite: the write mutex already runs one transaction at a time.
   */
  private async lockAlerts(em: EntityManager, mode: 'scan' | 'write'): Promise<void> {
    if (this.db.dialect !== 'postgres') return;
    await em.query(
      mode === 'scan'
        ? 'SELECT pg_advisory_xact_lock($1)'
        : 'SELECT pg_advisory_xact_lock_shared($1)',
      [ALERTS_LOCK],
    );
  }

  /**
   * The one reconciliation of stored alerts with the conditions of `input` as of `asOf`, for the
   * alerts under the region `path` (a scan) or of the projects `ids` (a write's refresh).
   */
  private async reconcile(
    em: EntityManager,
    input: Awaited<ReturnType<AlertsService['inputs']>>,
    asOf: string,
    restrict: { path: string | null } | { ids: number[] },
  ) {
    const conditions = evaluateAlerts(input, asOf);
    const now = this.clock.now().toISOString();
    const existingQb = em.createQueryBuilder(Alert, 'a');
    if ('ids' in restrict) existingQb.where('a.projectId IN (:...ids)', { ids: restrict.ids });
    else if (restrict.path)
      existingQb.where('a.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :path)', {
        path: `${restrict.path}%`,
      });
    const {
      changed,
      moved,
      fresh,
      cleared,
      counts: c,
    } = reconcileAlerts(conditions, await existingQb.getMany(), asOf, now);
    const counts = { ...c, open: 0 };
    const notify: Alert[] = [];
    for (const { alert: a, next } of changed) {
      // state changes are few: one statement each
      await em
        .createQueryBuilder()
        .update(Alert)
        .set({ ...next, updatedAt: now, version: () => 'version + 1' })
        .where('id = :id', { id: a.id })
        .execute();
      notify.push({ ...a, ...next });
    }
    // days and messages move every day for every open alert: one statement per chunk
    await bulkUpdate(
      em,
      'alert',
      moved.map((t) => [t.id, t.daysOverdue, t.message, t.owner, t.severity, asOf, now]),
      {
        days_overdue: 'CAST(v.column2 AS INTEGER)',
        message: 'v.column3',
        owner: 'v.column4',
        severity: 'v.column5',
        last_scanned_on: 'v.column6',
        updated_at: 'v.column7',
        version: '"alert".version + 1',
      },
    );
    const ids = await reserveIds(em, 'alert', fresh.length);
    const opened = fresh.map((c, i) =>
      Object.assign(new Alert(), {
        id: ids[i],
        kind: c.kind,
        subjectKey: c.subjectKey,
        projectId: c.projectId,
        milestoneId: c.milestoneId,
        regionId: c.regionId,
        severity: c.severity,
        daysOverdue: c.daysOverdue,
        state: 'open' as const,
        message: c.message,
        owner: c.owner,
        stateVersion: 1,
        lastScannedOn: asOf,
        openedAt: now,
        updatedAt: now,
        resolvedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        ackNote: null,
        version: 1,
      }),
    );
    await bulkInsert(
      em,
      'alert',
      [
        'id',
        'kind',
        'subject_key',
        'project_id',
        'milestone_id',
        'region_id',
        'severity',
        'days_overdue',
        'state',
        'message',
        'owner',
        'state_version',
        'last_scanned_on',
        'opened_at',
        'updated_at',
        'version',
      ],
      opened.map((a) => [
        a.id,
        a.kind,
        a.subjectKey,
        a.projectId,
        a.milestoneId,
        a.regionId,
        a.severity,
        a.daysOverdue,
        a.state,
        a.message,
        a.owner,
        1,
        asOf,
        now,
        now,
        1,
      ]),
    );
    notify.push(...opened);
    for (let i = 0; i < cleared.length; i += 500) {
      await em
        .createQueryBuilder()
        .update(Alert)
        .set({
          state: 'resolved',
          resolvedAt: now,
          updatedAt: now,
          lastScannedOn: asOf,
          version: () => 'version + 1',
        })
        .where('id IN (:...ids)', { ids: cleared.slice(i, i + 500) })
        .execute();
    }
    const openQb = em
      .createQueryBuilder(Alert, 'a')
      .select('a.regionId', 'region_id')
      .addSelect('COUNT(*)', 'n')
      .where("a.state = 'open'")
      .groupBy('a.regionId');
    if ('ids' in restrict) {
      // a refresh: the open alerts of the regions it has news for (a digest counts them all)
      const regions = [...new Set(notify.map((a) => a.regionId))];
      openQb.andWhere(regions.length ? 'a.regionId IN (:...regions)' : '1 = 0', { regions });
    } else if (restrict.path)
      openQb.andWhere('a.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :path)', {
        path: `${restrict.path}%`,
      });
    const openByRegion = new Map(
      (await openQb.getRawMany<{ region_id: number; n: string | number }>()).map((r) => [
        Number(r.region_id),
        Number(r.n),
      ]),
    );
    counts.open = [...openByRegion.values()].reduce((s, n) => s + n, 0);
    const queued = await this.enqueue(em, notify, openByRegion, input.names, asOf, now);
    return { counts, queued };
  }

  /** Outbox rows, one per webhook and alert state; a digest per region over the threshold. */
  private async enqueue(
    em: EntityManager,
    alerts: Alert[],
    openByRegion: Map<number, number>,
    names: Map<number, string>,
    day: string,
    now: string,
  ): Promise<number> {
    const targets = this.config.alertWebhooks;
    if (!alerts.length) return 0;
    const regionNames = new Map((await em.findBy(Region, {})).map((r) => [r.id, r.name]));
    const notice = (a: Alert): AlertNotice => ({
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      state: 'open',
      projectId: a.projectId,
      projectName: names.get(a.projectId) ?? '',
      milestoneId: a.milestoneId,
      regionId: a.regionId,
      regionName: regionNames.get(a.regionId) ?? '',
      daysOverdue: a.daysOverdue,
      owner: a.owner,
      message: a.message,
    });
    const byRegion = new Map<number, Alert[]>();
    for (const a of alerts) byRegion.set(a.regionId, [...(byRegion.get(a.regionId) ?? []), a]);
    let queued = 0;
    const put = async (
      target: (typeof targets)[number],
      alertId: number | null,
      stateKey: string,
      payload: object,
    ) => {
      // this state was already sent there
      if (await em.existsBy(AlertDelivery, { target: target.url, stateKey })) return;
      await em
        .createQueryBuilder()
        .insert()
        .into(AlertDelivery)
        .values({
          alertId,
          target: target.url,
          format: target.format,
          stateKey,
          payload: JSON.stringify(payload),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lockedUntil: null,
          lastError: null,
          createdAt: now,
          sentAt: null,
        })
        .orIgnore()
        .execute();
      queued++;
    };
    for (const [regionId, list] of byRegion) {
      const open = openByRegion.get(regionId) ?? 0;
      // the region's own alert channels, or its nearest ancestor's (issue 34)
      if (open > this.config.alerts.digestThreshold) {
        const notices = list.map(notice);
        const states = createHash('sha1')
          .update(
            list
              .map((a) => `${a.id}.${a.stateVersion}`)
              .sort()
              .join(','),
          )
          .digest('hex')
          .slice(0, 16);
        const body = (f: 'wecom' | 'dingtalk') =>
          digestPayload(f, regionNames.get(regionId) ?? '', day, notices, open) as {
            markdown: { title?: string; content?: string; text?: string };
          };
        const text = body('dingtalk').markdown.text ?? '';
        queued += await this.channels.enqueue(em, {
          regionId,
          topic: 'alerts',
          inherit: true,
          key: `digest:${regionId}:${day}:${states}`,
          title: body('dingtalk').markdown.title ?? '',
          lines: text.split('\n\n').slice(1),
          robotBody: body,
        });
      } else
        for (const a of list) {
          const n = notice(a);
          const dt = alertPayload('dingtalk', n) as { markdown: { title: string; text: string } };
          queued += await this.channels.enqueue(em, {
            regionId,
            topic: 'alerts',
            inherit: true,
            key: `alert:${a.id}:${a.stateVersion}`,
            title: dt.markdown.title,
            lines: dt.markdown.text.split('\n\n').slice(1),
            robotBody: (f) => alertPayload(f, n),
          });
        }
      for (const t of targets) {
        if (open > this.config.alerts.digestThreshold) {
          const states = createHash('sha1')
            .update(
              list
                .map((a) => `${a.id}.${a.stateVersion}`)
                .sort()
                .join(','),
            )
            .digest('hex')
            .slice(0, 16);
          await put(
            t,
            null,
            `digest:${regionId}:${day}:${states}`,
            digestPayload(t.format, regionNames.get(regionId) ?? '', day, list.map(notice), open),
          );
        } else {
          for (const a of list)
            await put(
              t,
              a.id,
              `alert:${a.id}:${a.stateVersion}`,
              alertPayload(t.format, notice(a)),
            );
        }
      }
    }
    return queued;
  }

  /**
   * The daily scan of the whole database for `day`, if no instance has run it yet (a lease row per
   * job, so several instances on one database run it once); true when this call ran it.
   */
  async runDaily(day: string): Promise<boolean> {
    const now = this.clock.now();
    const claimed = await this.db.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(JobLease)
        .values({ name: DAILY_JOB, holder: null, leasedUntil: null, lastRunOn: null })
        .orIgnore()
        .execute();
      const r = await em
        .createQueryBuilder()
        .update(JobLease)
        .set({ holder: INSTANCE_ID, leasedUntil: new Date(now.getTime() + LEASE_MS).toISOString() })
        .where(
          'name = :name AND (last_run_on IS NULL OR last_run_on < :day) AND (leased_until IS NULL OR leased_until < :now)',
          { name: DAILY_JOB, day, now: now.toISOString() },
        )
        .execute();
      return r.affected === 1;
    });
    if (!claimed) return false;
    try {
      await this.scanAll(day, 'schedule');
      await this.db.transaction((em) =>
        em
          .createQueryBuilder()
          .update(JobLease)
          .set({ lastRunOn: day, leasedUntil: null })
          .where('name = :name AND holder = :holder', { name: DAILY_JOB, holder: INSTANCE_ID })
          .execute(),
      );
      return true;
    } catch (e) {
      // let another tick (here or elsewhere) retry today
      await this.db.transaction((em) =>
        em
          .createQueryBuilder()
          .update(JobLease)
          .set({ leasedUntil: null })
          .where('name = :name AND holder = :holder', { name: DAILY_JOB, holder: INSTANCE_ID })
          .execute(),
      );
      throw e;
    }
  }

  /** The business day whose scan this process has seen done: reads of today skip the check. */
  private currentDay: string | null = null;
  private catchingUp: Promise<void> | null = null;

  /**
   * Today's stored alerts follow the passage of time: the first read of a day (预警中心, 首页,
   * 项目台账's 预警等级) before its daily scan has run, runs it — so the four overdue counts agree from
   * midnight on, not only after 08:00. Off with the scheduler (SCHEDULER_ENABLED=false: tests and
   * scripts that scan on demand). One check per process per day; the lease keeps it to one scan.
   */
  async current(): Promise<void> {
    if (!this.config.schedulerEnabled) return;
    const day = this.clock.today();
    if (this.currentDay === day) return;
    this.catchingUp ??= (async () => {
      const lease = await this.db.read.getRepository(JobLease).findOneBy({ name: DAILY_JOB });
      if ((lease?.lastRunOn ?? '') >= day || (await this.runDaily(day))) this.currentDay = day;
    })().finally(() => (this.catchingUp = null));
    await this.catchingUp;
  }

  /** Scans the whole database as the system (the daily job). */
  scanAll(asOf: string, trigger: 'schedule' | 'manual') {
    return this.scan(SYSTEM_ACTOR, asOf, trigger, null);
  }
}
