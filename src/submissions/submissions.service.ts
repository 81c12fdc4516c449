import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.entity';
import { ChannelsService } from '../alerts/channels.service';
import { AuditService } from '../audit/audit.service';
import { User } from '../auth/user.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import {
  AppError,
  Forbidden,
  InvalidInput,
  NotFound,
  ruleViolation,
  VersionConflict,
} from '../common/errors';
import { Permissions } from '../common/permissions.service';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import type { MonthlyReportArgs } from '../reports/monthly-report.task';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { displayNames } from '../users/display-names';
import { WorkbookPool } from '../workers/workbook-pool';
import { lateDays } from './due-date';
import { WorkCalendar } from '../calendar/work-calendar.service';
import { ReminderService } from './reminder.service';
import { SubmitDto } from './dto/submission.dto';
import {
  SubmissionChecksView,
  SubmissionDetailView,
  SubmissionListView,
} from './dto/submission.view';
import { mayReopen, mayReview, maySubmit } from './submission-access';
import { monthEnd, monthWords, SubmissionChecks } from './submission-checks';
import {
  Submission,
  SubmissionEvent,
  SubmissionFile,
  SubmissionTransition,
} from './submission.entities';
import { ListedStatus, SUBMISSION_STATUS_LABELS, SubmissionSnapshot } from './submission-types';
import { checkView, detailView, listView, notSubmittedView, peopleOf } from './submission-views';
import { CycleAction, cycleMessages, workbookName } from './submission-notices';

export type TransitionAction = 'withdraw' | 'approve' | 'return' | 'reopen';

/** A unique index refused the insert (a second first submission of the same region and month). */
const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; driverError?: { code?: string } };
  const code = err.driverError?.code ?? err.code ?? '';
  return code === '23505' || String(code).startsWith('SQLITE_CONSTRAINT');
};

/** 409 for a move the submission's status does not allow (当前为已通过 …). */
const wrongState = (status: string, detail?: string) =>
  new AppError(
    HttpStatus.CONFLICT,
    'SUBMISSION_STATE',
    [],
    detail ?? `当前为${SUBMISSION_STATUS_LABELS[status as ListedStatus] ?? status}`,
  );

/** 月报报送 → 审核 → 退回 / 通过 (docs/domain.md "The monthly reporting cycle"). */
@Injectable()
export class SubmissionsService {
  private transitions: Promise<SubmissionTransition[]> | null = null;

  constructor(
    private readonly db: Database,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly permissions: Permissions,
    private readonly pool: WorkbookPool,
    private readonly checker: SubmissionChecks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // issue 33 points 5–6 (calendar branch): REPORT_DUE_DAY with the holiday calendar, and 催报
    private readonly calendar: WorkCalendar,
    private readonly reminders: ReminderService,
    private readonly channels: ChannelsService,
  ) {}

  // ---- reading --------------------------------------------------------------------------------

  /** One row per region in the caller's scope that submits (has a parent), or `regionId`'s children. */
  async list(actor: Actor, month: string, regionId?: number): Promise<SubmissionListView> {
    const scope = await this.regions.scopePath(actor);
    const qb = this.db.reader(Region).createQueryBuilder('r').orderBy('r.path', 'ASC');
    if (scope) qb.where('r.path LIKE :p', { p: `${scope}%` });
    let regions = (await qb.getMany()).filter((r) => r.parentId !== null);
    if (regionId !== undefined) {
      const base = await this.regions.findInScope(actor, regionId);
      regions = regions.filter((r) => r.id === base.id || r.parentId === base.id);
    }
    // the caller's own region first (its own month), then the regions below in path order
    regions.sort((a, b) => Number(b.id === actor.regionId) - Number(a.id === actor.regionId));
    const ids = regions.map((r) => r.id);
    const rows = ids.length
      ? await this.db
          .reader(Submission)
          .createQueryBuilder('s')
          .where('s.month = :month', { month })
          .andWhere('s.regionId IN (:...ids)', { ids })
          .getMany()
      : [];
    const byRegion = new Map(rows.map((s) => [s.regionId, s]));
    const [due, reminded, reopens] = await Promise.all([
      this.calendar.dueOn(month),
      this.reminders.summary(ids, month),
      this.reopenCounts(rows.map((s) => s.id)),
    ]);
    const names = await displayNames(this.db.reader(User), [
      ...rows.flatMap(peopleOf),
      ...[...reminded.values()].map((x) => x.lastBy ?? ''),
    ]);
    return {
      month,
      dueOn: due,
      items: regions.map((r) => {
        const s = byRegion.get(r.id);
        const v = s
          ? listView(s, r, names, reopens.get(s.id) ?? 0)
          : notSubmittedView(r, month, due, this.clock.today());
        const x = reminded.get(r.id);
        return x
          ? {
              ...v,
              reminders: x.count,
              remindersNote: x.note,
              lastRemindedAt: x.lastAt,
              lastRemindedBy: x.lastBy,
              lastRemindedByDisplayName: (x.lastBy && names.get(x.lastBy)) || null,
            }
          : v;
      }),
    };
  }

  /** 重新打开 per submission (its events), for telling them from 退回 in returnCount. */
  private async reopenCounts(ids: number[]): Promise<Map<number, number>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .reader(SubmissionEvent)
      .createQueryBuilder('e')
      .select('e.submissionId', 'id')
      .addSelect('COUNT(*)', 'n')
      .where('e.submissionId IN (:...ids)', { ids })
      .andWhere("e.action = 'reopen'")
      .groupBy('e.submissionId')
      .getRawMany<{ id: number | string; n: number | string }>();
    return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
  }

  /** The checks of a region's month (default: the caller's region). */
  async checks(actor: Actor, month: string, regionId?: number): Promise<SubmissionChecksView> {
    const region = await this.namedRegion(actor, regionId);
    const items = await this.checker.run(region, month);
    return {
      month,
      regionId: region.id,
      regionName: region.name,
      asOf: monthEnd(month),
      errors: items.filter((c) => c.level === 'error').length,
      warnings: items.filter((c) => c.level === 'warning').length,
      items: items.map(checkView),
    };
  }

  /** A submission with its events and files; a reviewer reading it marks it opened (no withdrawing then). */
  async detail(actor: Actor, id: number): Promise<SubmissionDetailView> {
    const { s, region } = await this.findVisible(actor, id);
    await this.markOpened(actor, s, region);
    return this.detailOf(actor, id);
  }

  /** The frozen workbook (the current one, or version `seq`), byte-identical every time. */
  async workbook(
    actor: Actor,
    id: number,
    seq?: number,
  ): Promise<{ file: string; name: string; asciiStem: string }> {
    const { s, region } = await this.findVisible(actor, id);
    const f = await this.db
      .reader(SubmissionFile)
      .findOneBy({ submissionId: id, seq: seq ?? s.seq });
    if (!f) throw new NotFound('报送文件');
    await this.markOpened(actor, s, region);
    return {
      file: path.join(this.config.submissionsDir, f.filePath),
      name: workbookName(region.name, s.month, f.seq),
      asciiStem: 'submission',
    };
  }

  // ---- submitting -----------------------------------------------------------------------------

  /** Submits (or resubmits a returned or withdrawn) month: freezes its workbook (201). */
  async submit(actor: Actor, dto: SubmitDto): Promise<SubmissionDetailView> {
    const region = await this.namedRegion(actor, dto.regionId);
    if (!maySubmit(this.permissions, actor, region))
      throw new Forbidden(
        'FORBIDDEN',
        region.parentId === null ? '最上级行政区无需报送' : '只能报送本级的月报',
      );
    const today = this.clock.today();
    if (dto.month >= today.slice(0, 7))
      throw ruleViolation(
        'month',
        'MONTH_NOT_ENDED',
        `${monthWords(dto.month)}尚未结束（今天是${today}），${monthEnd(dto.month)}之后才能报送`,
      );
    const due = await this.calendar.dueOn(dto.month);
    const existing = await this.db
      .reader(Submission)
      .findOneBy({ regionId: region.id, month: dto.month });
    if (existing && existing.status !== 'returned' && existing.status !== 'withdrawn')
      throw wrongState(
        existing.status,
        `${monthWords(dto.month)}月报已报送，当前为${SUBMISSION_STATUS_LABELS[existing.status as ListedStatus]}`,
      );
    const from = existing?.status ?? 'not_submitted';
    await this.transitionRow('submit', from);

    const checks = await this.checker.run(region, dto.month);
    const errors = checks.filter((c) => c.level === 'error');
    const note = dto.note?.trim() || null;
    if (errors.length && !dto.force)
      throw new InvalidInput(
        errors.map((c) => ({
          path: 'checks',
          code: 'SUBMISSION_CHECKS_FAILED',
          message: c.message,
        })),
        'SUBMISSION_CHECKS_FAILED',
        `${errors.length}项错误`,
      );
    if (dto.force && !note) throw ruleViolation('note', 'FORCE_NOTE_REQUIRED');
    const forced = !!dto.force && errors.length > 0;

    // what was written to the region's projects since this point makes the rendering stale
    const mark = await this.auditMark();
    const seq = existing ? existing.seq + 1 : 1;
    const rel = path.join(String(region.id), `${dto.month}-${seq}-${randomUUID()}.xlsx`);
    const file = path.join(this.config.submissionsDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    let snapshot: SubmissionSnapshot;
    try {
      snapshot = await this.pool.run<SubmissionSnapshot>('monthly-report', {
        month: dto.month,
        scope: region.path,
        region: { id: region.id, name: region.name, level: region.level },
        file: file + '.part',
        digest: true,
      } satisfies MonthlyReportArgs);
      fs.renameSync(file + '.part', file);
    } finally {
      fs.rmSync(file + '.part', { force: true });
    }
    const bytes = fs.readFileSync(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const now = this.clock.now().toISOString();
    try {
      const id = await this.db.transaction(async (em) => {
        if (await this.changedSince(em, mark, region))
          throw new AppError(
            HttpStatus.CONFLICT,
            'SUBMISSION_STATE',
            [],
            '报送期间本地区数据有变动，请核对后重新报送',
          );
        const set = {
          status: 'submitted',
          submittedAt: now,
          submittedBy: actor.username,
          submittedById: actor.id,
          approvedAt: null,
          approvedBy: null,
          approvedById: null,
          approvedByRegionId: null,
          forced,
          forceNote: forced ? note : null,
          note,
          reviewerOpenedAt: null,
          seq,
          fileSha256: sha256,
          filePath: rel,
          snapshot,
          checks,
          updatedAt: now,
        };
        let sid: number;
        let version: number;
        if (existing) {
          const r = await em
            .createQueryBuilder()
            .update(Submission)
            .set({
              ...set,
              snapshot: set.snapshot as never,
              checks: set.checks as never,
              version: () => 'version + 1',
            })
            .where('id = :id AND version = :v AND status = :from', {
              id: existing.id,
              v: existing.version,
              from,
            })
            .execute();
          if (r.affected !== 1) throw new VersionConflict();
          sid = existing.id;
          version = existing.version + 1;
        } else {
          const inserted = await em.insert(Submission, {
            ...set,
            regionId: region.id,
            month: dto.month,
            version: 1,
            dueOn: due,
            lateDays: lateDays(due, today),
            firstSubmittedAt: now,
            returnCount: 0,
            createdAt: now,
          });
          sid = Number(inserted.identifiers[0].id);
          version = 1;
        }
        await em.insert(SubmissionFile, {
          submissionId: sid,
          seq,
          sha256,
          filePath: rel,
          sizeBytes: bytes.length,
          submittedAt: now,
          submittedBy: actor.username,
          forced,
          forceNote: forced ? note : null,
          note,
          snapshot: snapshot as never,
          checks: checks as never,
        });
        const eventId = await this.event(em, actor, {
          submissionId: sid,
          regionId: region.id,
          month: dto.month,
          action: 'submit',
          fromStatus: from,
          toStatus: 'submitted',
          comment: note,
          version,
          at: now,
        });
        await this.notify(
          em,
          'submit',
          {
            id: sid,
            month: dto.month,
            seq,
            filePath: rel,
            snapshot,
            forced,
            forceNote: set.forceNote,
            checks,
          },
          region,
          actor,
          note,
          eventId,
        );
        await this.audit.record(em, actor, {
          action: 'submit',
          entity: 'submission',
          entityId: sid,
          changes: {
            status: { old: existing?.status ?? null, new: 'submitted' },
            month: { old: existing?.month ?? null, new: dto.month },
            regionId: { old: existing?.regionId ?? null, new: region.id },
            seq: { old: existing?.seq ?? null, new: seq },
            sha256: { old: existing?.fileSha256 ?? null, new: sha256 },
            forced: { old: existing?.forced ?? null, new: forced },
            ...(note ? { note: { old: existing?.note ?? null, new: note } } : {}),
          },
        });
        return sid;
      });
      this.channels.kick();
      return this.detailOf(actor, id);
    } catch (e) {
      fs.rmSync(file, { force: true });
      if (isUniqueViolation(e)) throw wrongState('submitted', `${monthWords(dto.month)}月报已报送`);
      throw e;
    }
  }

  // ---- reviewing ------------------------------------------------------------------------------

  /** withdraw | approve | return | reopen, at the version the caller read (409 on a stale one). */
  async transition(
    actor: Actor,
    id: number,
    action: TransitionAction,
    version: number,
    comment?: string,
  ): Promise<SubmissionDetailView> {
    const { s, region } = await this.findVisible(actor, id);
    const own = await this.ownRegion(actor);
    if (action === 'withdraw') {
      if (!maySubmit(this.permissions, actor, region))
        throw new Forbidden('FORBIDDEN', '只有本级可以撤回本级的月报');
    } else if (action === 'reopen') {
      const approvedBy = s.approvedByRegionId
        ? await this.db.reader(Region).findOneBy({ id: s.approvedByRegionId })
        : null;
      if (!mayReopen(this.permissions, actor, own, region, approvedBy))
        throw new Forbidden('SUBMISSION_LEVEL');
    } else if (!mayReview(this.permissions, actor, own, region))
      throw new Forbidden(
        actor.regionId === region.id ? 'SUBMISSION_OWN_REGION' : 'FORBIDDEN',
        actor.regionId === region.id ? undefined : '只有上一级可以审核',
      );
    const reason = comment?.trim() || null;
    if ((action === 'return' || action === 'reopen') && !reason)
      throw ruleViolation('reason', 'REASON_REQUIRED');
    if (s.version !== version) throw new VersionConflict();
    const to = (await this.transitionRow(action, s.status)).toStatus;
    if (action === 'withdraw' && s.reviewerOpenedAt)
      throw new AppError(HttpStatus.CONFLICT, 'SUBMISSION_OPENED');
    const now = this.clock.now().toISOString();
    const set: Partial<Submission> = { status: to, updatedAt: now };
    if (action === 'approve')
      Object.assign(set, {
        approvedAt: now,
        approvedBy: actor.username,
        approvedById: actor.id,
        approvedByRegionId: actor.regionId,
      });
    if (action === 'return' || action === 'reopen')
      Object.assign(set, {
        returnedAt: now,
        returnedBy: actor.username,
        returnReason: reason,
        returnCount: s.returnCount + 1,
      });
    await this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'submission', id);
      const qb = em
        .createQueryBuilder()
        .update(Submission)
        .set({ ...set, version: () => 'version + 1' })
        .where('id = :id AND version = :v AND status = :from', { id, v: version, from: s.status });
      // opening and withdrawing race: whichever commits first wins
      if (action === 'withdraw') qb.andWhere('reviewer_opened_at IS NULL');
      const r = await qb.execute();
      if (r.affected !== 1) throw new VersionConflict();
      const eventId = await this.event(em, actor, {
        submissionId: id,
        regionId: s.regionId,
        month: s.month,
        action,
        fromStatus: s.status,
        toStatus: to,
        comment: reason,
        version: version + 1,
        at: now,
      });
      await this.notify(em, action, s, region, actor, reason, eventId);
      await this.audit.record(em, actor, {
        action,
        entity: 'submission',
        entityId: id,
        changes: {
          status: { old: s.status, new: to },
          ...(reason ? { reason: { old: null, new: reason } } : {}),
        },
      });
    });
    this.channels.kick();
    return this.detailOf(actor, id);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** The region a request names (default: the caller's): unknown and out of scope alike → 404. */
  private async namedRegion(actor: Actor, regionId?: number): Promise<Region> {
    const id = regionId ?? actor.regionId;
    if (id === null || id === undefined) throw ruleViolation('regionId', 'FIELD_REQUIRED');
    return this.regions.findInScope(actor, id);
  }

  private async ownRegion(actor: Actor): Promise<Region | null> {
    return actor.regionId === null
      ? null
      : this.db.reader(Region).findOneBy({ id: actor.regionId });
  }

  /** A submission in the actor's scope, with its region; else 404 like an unknown id. */
  private async findVisible(actor: Actor, id: number): Promise<{ s: Submission; region: Region }> {
    const s = await this.db.reader(Submission).findOneBy({ id });
    if (!s) throw new NotFound('月报报送');
    const region = await this.regions.findInScope(actor, s.regionId).catch((e: unknown) => {
      throw e instanceof NotFound ? new NotFound('月报报送') : e;
    });
    return { s, region };
  }

  /** The state machine's row for the move, from table submission_transition; else 409. */
  private async transitionRow(action: string, from: string): Promise<SubmissionTransition> {
    this.transitions ??= this.db
      .reader(SubmissionTransition)
      .find()
      .catch((e: unknown) => {
        this.transitions = null;
        throw e;
      });
    const row = (await this.transitions).find((t) => t.action === action && t.fromStatus === from);
    if (!row) throw wrongState(from);
    return row;
  }

  /** A reviewer's first look at a submitted month (GET detail or workbook): withdrawing ends. */
  private async markOpened(actor: Actor, s: Submission, region: Region): Promise<void> {
    if (s.status !== 'submitted' || s.reviewerOpenedAt) return;
    if (!mayReview(this.permissions, actor, await this.ownRegion(actor), region)) return;
    const now = this.clock.now().toISOString();
    await this.db.transaction(async (em) => {
      const r = await em
        .createQueryBuilder()
        .update(Submission)
        .set({ reviewerOpenedAt: now })
        .where('id = :id AND reviewer_opened_at IS NULL AND status = :st', {
          id: s.id,
          st: 'submitted',
        })
        .execute();
      if (r.affected === 1)
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'submission',
          entityId: s.id,
          changes: { reviewerOpenedAt: { old: null, new: now } },
        });
    });
    s.reviewerOpenedAt = now;
  }

  private async event(
    em: EntityManager,
    actor: Actor,
    e: Omit<SubmissionEvent, 'id' | 'actorId' | 'actorName'>,
  ): Promise<number> {
    const r = await em.insert(SubmissionEvent, {
      ...e,
      actorId: actor.id,
      actorName: actor.username,
    });
    return Number((r.identifiers[0] as { id: number }).id);
  }

  /** The move's messages to the regions' channels (issue 34), in its transaction. */
  private async notify(
    em: EntityManager,
    action: CycleAction,
    s: Parameters<typeof cycleMessages>[1],
    region: Region,
    actor: Actor,
    reason: string | null,
    eventId: number,
  ): Promise<void> {
    const f = await em.findOneBy(SubmissionFile, { submissionId: s.id, seq: s.seq });
    // the groups read 姓名 (李基建), not the login
    const user = await em.findOne(User, {
      select: { username: true, displayName: true },
      where: { username: actor.username },
    });
    for (const m of cycleMessages(
      action,
      s,
      region,
      user?.displayName?.trim() || actor.username,
      reason,
      { sizeBytes: f?.sizeBytes ?? 0 },
      eventId,
    ))
      await this.channels.enqueue(em, m);
  }

  /** The newest audit entry's id: writes after it are what changed since. */
  private async auditMark(): Promise<number> {
    const row = await this.db
      .reader(AuditLog)
      .createQueryBuilder('a')
      .select('MAX(a.id)', 'max')
      .getRawOne<{ max: number | string | null }>();
    return Number(row?.max ?? 0);
  }

  /** Whether a project of the region (or below) was written to since the mark. */
  private async changedSince(em: EntityManager, mark: number, region: Region): Promise<boolean> {
    const n = await em
      .createQueryBuilder(AuditLog, 'a')
      .innerJoin('project', 'p', 'p.id = a.project_id')
      .innerJoin('region', 'rg', 'rg.id = p.region_id')
      .where('a.id > :mark', { mark })
      .andWhere('rg.path LIKE :path', { path: `${region.path}%` })
      .getCount();
    return n > 0;
  }

  private async detailOf(actor: Actor, id: number): Promise<SubmissionDetailView> {
    const s = await this.db.reader(Submission).findOneByOrFail({ id });
    const region = await this.db.reader(Region).findOneByOrFail({ id: s.regionId });
    const events = await this.db
      .reader(SubmissionEvent)
      .find({ where: { regionId: s.regionId, month: s.month }, order: { id: 'ASC' } });
    const files = await this.db
      .reader(SubmissionFile)
      .find({ where: { submissionId: id }, order: { seq: 'ASC' } });
    const own = await this.ownRegion(actor);
    const approvedBy = s.approvedByRegionId
      ? await this.db.reader(Region).findOneBy({ id: s.approvedByRegionId })
      : null;
    const names = await displayNames(this.db.reader(User), [
      ...peopleOf(s),
      ...events.map((e) => e.actorName),
      ...files.map((f) => f.submittedBy),
    ]);
    return detailView(
      s,
      region,
      events,
      files,
      {
        canWithdraw:
          s.status === 'submitted' &&
          !s.reviewerOpenedAt &&
          maySubmit(this.permissions, actor, region),
        canReview: s.status === 'submitted' && mayReview(this.permissions, actor, own, region),
        canReopen:
          s.status === 'approved' && mayReopen(this.permissions, actor, own, region, approvedBy),
      },
      names,
    );
  }
}
