import { Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { User } from '../auth/user.entity';
import { Actor } from '../common/actor';
import { Permissions } from '../common/permissions.service';
import { Clock } from '../common/clock';
import { Forbidden, NotFound, ruleViolation } from '../common/errors';
import { fenToWan, formatNullable, WAN } from '../common/money';
import { Database } from '../database/database';
import { updateVersioned } from '../database/versioned-update';
import { AlertRefresh } from '../projects/alert-refresh';
import { BudgetRevision } from '../projects/budget-revision.entity';
import { ProgressReport } from '../projects/progress-report.entity';
import { toProgressView, ProgressView } from '../projects/progress.view';
import { Project } from '../projects/project.entity';
import { COMPLETED_STATUSES } from '../projects/project-rules';
import { ProjectsService } from '../projects/projects.service';
import { assertPeriodOpen } from '../projects/period-lock';

/**
 * 更正: a progress report or a budget revision withdrawn (已撤回). The row stays in the history with
 * who, when and why; from then on it counts nowhere — the figures as of any day, the alerts, the
 * monthly report and the "no earlier than the latest report" rule all read the latest row NOT
 * withdrawn (figures.sql.ts). The project's own copy of its latest report (status, 形象进度,
 * 累计完成投资, 最近填报日期) and of its budget in force are recomputed in the same transaction.
 */
@Injectable()
export class CorrectionsService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly permissions: Permissions,
    // provided by AlertsModule once the issue-29 alerts work is in; absent before it
    @Optional() private readonly alerts?: AlertRefresh,
  ) {}

  /**
   * Withdraws a progress report: by its author, an officer of the author's role in the author's
   * region, or an admin (anyone else in scope: 403; out of scope: 404).
   */
  async withdrawReport(
    actor: Actor,
    projectId: number,
    reportId: number,
    reason: string,
  ): Promise<ProgressView> {
    return this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', projectId);
      const p = await this.projects.findWritable(actor, projectId, em);
      const report = await em.findOneBy(ProgressReport, { id: reportId, projectId });
      if (!report) throw new NotFound('进度填报');
      await this.mayWithdraw(em, actor, report, p);
      if (report.withdrawnAt) throw ruleViolation('id', 'ALREADY_WITHDRAWN');
      await assertPeriodOpen(em, [projectId], { reportedOn: report.reportedOn });
      const now = this.clock.now().toISOString();
      const marks = {
        withdrawnAt: now,
        withdrawnBy: actor.username,
        withdrawReason: reason.trim(),
      };
      await em.update(ProgressReport, reportId, { ...marks, withdrawnById: actor.id });
      Object.assign(report, marks, { withdrawnById: actor.id });
      // one entry: the withdrawal, then what it gave back to the project (状态：暂停 → 在建 …)
      await this.audit.record(em, actor, {
        action: 'withdraw',
        entity: 'progress_report',
        entityId: reportId,
        projectId,
        changes: {
          reportedOn: { old: report.reportedOn, new: report.reportedOn },
          withdrawnAt: { old: null, new: marks.withdrawnAt },
          withdrawnBy: { old: null, new: marks.withdrawnBy },
          withdrawReason: { old: null, new: marks.withdrawReason },
          ...(await this.restoreLatest(em, p)),
        },
      });
      await this.refreshAlerts(em, actor, projectId);
      return toProgressView(report);
    });
  }

  /** Withdraws a budget revision (finance, admin); the project's original estimate stays. */
  async withdrawRevision(actor: Actor, projectId: number, revisionId: number, reason: string) {
    this.permissions.require(actor, 'budget.revise');
    return this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', projectId);
      const p = await this.projects.findWritable(actor, projectId, em);
      const rev = await em.findOneBy(BudgetRevision, { id: revisionId, projectId });
      if (!rev) throw new NotFound('概算调整');
      if (rev.withdrawnAt) throw ruleViolation('id', 'ALREADY_WITHDRAWN');
      if (rev.effectiveOn === null) throw ruleViolation('id', 'BASE_BUDGET_NOT_WITHDRAWABLE');
      await assertPeriodOpen(em, [projectId], { effectiveOn: rev.effectiveOn });
      const now = this.clock.now().toISOString();
      const marks = {
        withdrawnAt: now,
        withdrawnBy: actor.username,
        withdrawReason: reason.trim(),
      };
      await em.update(BudgetRevision, revisionId, { ...marks, withdrawnById: actor.id });
      Object.assign(rev, marks, { withdrawnById: actor.id });
      await this.audit.record(em, actor, {
        action: 'withdraw',
        entity: 'budget_revision',
        entityId: revisionId,
        projectId,
        changes: {
          effectiveOn: { old: rev.effectiveOn, new: rev.effectiveOn },
          budgetWan: { old: fenToWan(rev.budgetFen), new: fenToWan(rev.budgetFen) },
          withdrawnAt: { old: null, new: marks.withdrawnAt },
          withdrawnBy: { old: null, new: marks.withdrawnBy },
          withdrawReason: { old: null, new: marks.withdrawReason },
        },
      });
      const budgetFen = await this.budgetInForce(em, projectId);
      if (budgetFen !== p.budgetFen) {
        await updateVersioned(em, Project, projectId, p.version, { budgetFen, updatedAt: now });
        await this.audit.record(em, actor, {
          action: 'budget',
          entity: 'project',
          entityId: projectId,
          projectId,
          changes: {
            budgetWan: {
              old: formatNullable(p.budgetFen, WAN),
              new: formatNullable(budgetFen, WAN),
            },
          },
        });
      }
      await this.refreshAlerts(em, actor, projectId);
      return {
        id: rev.id,
        projectId,
        effectiveOn: rev.effectiveOn,
        budgetWan: fenToWan(rev.budgetFen),
        reason: rev.reason,
        createdBy: rev.createdBy,
        createdAt: rev.createdAt,
        ...marks,
        withdrawn: true,
        projectBudgetWan: formatNullable(budgetFen, WAN),
      };
    });
  }

  // ---- rules ------------------------------------------------------------------------------

  /** The author, an officer of the author's role and region, or an admin; else 403. */
  private async mayWithdraw(
    em: EntityManager,
    actor: Actor,
    report: ProgressReport,
    p: Project,
  ): Promise<void> {
    if (this.permissions.can(actor, 'progress.withdraw.any')) return;
    if (actor.id !== null && report.reportedById === actor.id) return;
    // a report without a known author (imported, or its user removed) was filed for the project's
    // county by 基建股
    const author = report.reportedById
      ? await em.findOneBy(User, { id: report.reportedById })
      : null;
    const role = author?.role ?? 'infrastructure';
    const regionId = author ? author.regionId : p.regionId;
    if (actor.role === role && actor.regionId === regionId) return;
    throw new Forbidden('FORBIDDEN_WITHDRAW');
  }

  /** The budget in force today: the latest revision not withdrawn (none left = 未测算). */
  private async budgetInForce(em: EntityManager, projectId: number): Promise<number | null> {
    const r = await em
      .createQueryBuilder(BudgetRevision, 'b')
      .where('b.projectId = :projectId', { projectId })
      .andWhere('b.withdrawnAt IS NULL')
      .andWhere("COALESCE(b.effectiveOn, '') <= :today", { today: this.clock.today() })
      .orderBy("COALESCE(b.effectiveOn, '')", 'DESC')
      .addOrderBy('b.id', 'DESC')
      .getOne();
    return r?.budgetFen ?? null;
  }

  /**
   * The project's copy of its latest report, from the reports not withdrawn: status (谋划储备 when
   * none is left), 形象进度, the latest 累计完成投资 given, 最近填报日期; 实际竣工日期 from the
   * latest report that gave one. Answers the project's fields that changed, for the audit entry.
   */
  private async restoreLatest(
    em: EntityManager,
    p: Project,
  ): Promise<Record<string, { old: unknown; new: unknown }>> {
    const left = await em.find(ProgressReport, {
      where: { projectId: p.id },
      order: { reportedOn: 'DESC', id: 'DESC' },
    });
    const live = left.filter((r) => !r.withdrawnAt);
    const latest = live[0] ?? null;
    const investment = live.find((r) => r.investmentCompletedFen !== null);
    const completion = live.find((r) => r.actualCompletion !== null);
    const next = {
      status: latest?.status ?? 'planned',
      progressPercent: latest?.progressPercent ?? null,
      investmentCompletedFen: investment?.investmentCompletedFen ?? null,
      actualCompletion: COMPLETED_STATUSES.includes(latest?.status ?? 'planned')
        ? (completion?.actualCompletion ?? p.actualCompletion)
        : (completion?.actualCompletion ?? null),
      lastReportedOn: latest?.reportedOn ?? null,
    };
    const before = {
      status: p.status,
      progressPercent: p.progressPercent,
      investmentCompletedFen: p.investmentCompletedFen,
      actualCompletion: p.actualCompletion,
      lastReportedOn: p.lastReportedOn,
    };
    const changes: Record<string, { old: unknown; new: unknown }> = {};
    for (const k of Object.keys(next) as (keyof typeof next)[]) {
      if (before[k] === next[k]) continue;
      const fmt = (v: unknown) =>
        k === 'investmentCompletedFen' && v !== null ? fenToWan(v as number) : v;
      changes[k === 'investmentCompletedFen' ? 'investmentCompletedWan' : k] = {
        old: fmt(before[k]),
        new: fmt(next[k]),
      };
    }
    if (Object.keys(changes).length)
      await updateVersioned(em, Project, p.id, p.version, {
        ...next,
        updatedAt: this.clock.now().toISOString(),
      });
    return changes;
  }

  /**
   * HOOK(issue-29 alerts): the project's stored alerts refreshed in this transaction, through
   * `AlertRefresh` once AlertsModule provides it; before that the daily scan catches up (and
   * `GET /api/alerts?asOf=` already ignores the withdrawn row).
   */
  private async refreshAlerts(em: EntityManager, actor: Actor, projectId: number): Promise<void> {
    if (this.alerts) await this.alerts.refresh(em, actor, [projectId]);
  }
}
