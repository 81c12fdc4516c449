import { IsNull } from 'typeorm';
import { AlertRefresh } from '../projects/alert-refresh';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { ruleViolation, VersionConflict } from '../common/errors';
import { fenToWan, toUnits, WAN } from '../common/money';
import { Database } from '../database/database';
import { updateVersioned } from '../database/versioned-update';
import { Project } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import { CreateProgressDto } from './dto/progress.dto';
import { ProgressReport } from '../projects/progress-report.entity';
import { toProgressView, ProgressView, withdrawalView } from '../projects/progress.view';
import { StaleProgress } from './stale-progress';
import { User } from '../auth/user.entity';
import { displayNames } from '../users/display-names';

@Injectable()
export class ProgressService {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly alerts: AlertRefresh,
  ) {}

  /** Reports of a project, newest first; a withdrawn one stays, marked (已撤回, who, when, why). */
  async list(actor: Actor, projectId: number) {
    await this.projects.findInScope(actor, projectId);
    const rows = await this.db.reader(ProgressReport).find({
      where: { projectId },
      order: { reportedOn: 'DESC', id: 'DESC' },
    });
    const names = await displayNames(
      this.db.reader(User),
      rows.map((r) => r.reportedBy),
    );
    const items = rows.map((r) => ({
      ...toProgressView(r),
      ...withdrawalView(r),
      reportedByDisplayName: names.get(r.reportedBy) ?? null,
    }));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  async add(actor: Actor, projectId: number, dto: CreateProgressDto): Promise<ProgressView> {
    return this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', projectId);
      const p = await this.projects.findInScope(actor, projectId, em);
      if (dto.projectVersion !== undefined && dto.projectVersion !== p.version)
        throw new VersionConflict();
      if (dto.expectedLatestReportId !== undefined) {
        // issue 30 point 4: a form filled against an older latest report does not overwrite it
        const latest = await em.findOne(ProgressReport, {
          where: { projectId, withdrawnAt: IsNull() }, // a withdrawn report is nobody's latest
          order: { reportedOn: 'DESC', id: 'DESC' },
        });
        if ((latest?.id ?? null) !== dto.expectedLatestReportId)
          throw new StaleProgress(latest ? toProgressView(latest) : null);
      }
      if (p.archivedAt) throw ruleViolation('id', 'PROJECT_ARCHIVED');
      const before = {
        status: p.status,
        progressPercent: p.progressPercent,
        investmentCompletedFen: p.investmentCompletedFen,
        actualCompletion: p.actualCompletion,
        lastReportedOn: p.lastReportedOn,
      };
      const version = p.version;
      const report = await this.projects.recordReport(em, actor, p, {
        reportedOn: dto.reportedOn,
        status: dto.status,
        progressPercent: dto.progressPercent,
        investmentCompletedFen:
          dto.investmentCompletedWan === null || dto.investmentCompletedWan === undefined
            ? null
            : toUnits(dto.investmentCompletedWan, WAN),
        actualCompletion: dto.actualCompletion ?? null,
        note: dto.note ?? null,
      });
      const now = this.clock.now().toISOString();
      await updateVersioned(em, Project, projectId, version, {
        status: p.status,
        progressPercent: p.progressPercent,
        investmentCompletedFen: p.investmentCompletedFen,
        actualCompletion: p.actualCompletion,
        lastReportedOn: p.lastReportedOn,
        updatedAt: now,
      });
      const view = toProgressView(report);
      const after = {
        status: p.status,
        progressPercent: p.progressPercent,
        investmentCompletedFen: p.investmentCompletedFen,
        actualCompletion: p.actualCompletion,
        lastReportedOn: p.lastReportedOn,
      };
      const projectChanges: Record<string, { old: unknown; new: unknown }> = {};
      for (const k of Object.keys(after) as (keyof typeof after)[]) {
        if (before[k] !== after[k]) {
          const fmt = (v: unknown) =>
            k === 'investmentCompletedFen' && v !== null ? fenToWan(v as number) : v;
          projectChanges[k === 'investmentCompletedFen' ? 'investmentCompletedWan' : k] = {
            old: fmt(before[k]),
            new: fmt(after[k]),
          };
        }
      }
      await this.audit.record(em, actor, {
        action: 'progress',
        entity: 'project',
        entityId: projectId,
        projectId,
        changes: projectChanges,
      });
      await this.alerts.refresh(em, actor, [projectId]);
      return view;
    });
  }
}
