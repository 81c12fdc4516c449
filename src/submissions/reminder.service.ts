import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, QueryFailedError } from 'typeorm';
import { ScheduledReminders } from '../alerts/scheduled-reminders';
import { AlertDelivery } from '../alerts/alert.entities';
import { AuditService } from '../audit/audit.service';
import { dueOn } from '../calendar/due-date';
import { WorkCalendar } from '../calendar/work-calendar.service';
import { Actor, SYSTEM_ACTOR } from '../common/actor';
import { Clock } from '../common/clock';
import { dayjs } from '../common/dates';
import { AppError, Forbidden, ruleViolation } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { RemindResultView } from './dto/submission.view';
import { ReminderKind, SubmissionReminder } from './reminder.entity';
import { reminderPayload, reminderText } from './reminder-messages';
import { Submission, SubmissionEvent } from './submission.entities';
import { LOCKING_STATUSES } from './submission-types';

/** The automatic reminders: days from the due date (docs/domain.md, 催报). */
const AUTOMATIC: readonly { kind: Exclude<ReminderKind, 'manual'>; offset: number }[] = [
  { kind: 'before_3', offset: -3 },
  { kind: 'before_1', offset: -1 },
  { kind: 'after_1', offset: 1 },
];

function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof QueryFailedError)) return false;
  const code = (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * 催报 (issue 33 point 6; docs/domain.md): a reviewer's reminder to a child region that has not
 * submitted a month (once a business day per region), and the scheduler's automatic ones 3 days and
 * 1 day before the due date and the day after it. Each is an event of the region's month
 * (`remind` / `auto_remind`, no submission created), a message per ALERT_WEBHOOKS target through the
 * alert outbox, and an audit row, in one transaction.
 */
@Injectable()
export class ReminderService extends ScheduledReminders {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly calendar: WorkCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** `POST /api/submissions/remind` (202). */
  async remind(actor: Actor, month: string, regionId: number): Promise<RemindResultView> {
    const region = await this.regions.findInScope(actor, regionId);
    await this.assertReviewer(actor, region);
    const today = this.clock.today();
    if (month >= today.slice(0, 7)) throw ruleViolation('month', 'MONTH_NOT_ENDED');
    const due = await this.calendar.dueOn(month);
    const parent = region.parentId
      ? await this.db.reader(Region).findOneBy({ id: region.parentId })
      : null;
    try {
      const eventId = await this.db.transaction(async (em) => {
        const submission = await em.findOneBy(Submission, { regionId, month });
        if (submission && (LOCKING_STATUSES as readonly string[]).includes(submission.status))
          throw new AppError(HttpStatus.CONFLICT, 'REMIND_ALREADY_SUBMITTED');
        const key = `manual:${regionId}:${today}`;
        if (await em.existsBy(SubmissionReminder, { key }))
          throw new AppError(HttpStatus.TOO_MANY_REQUESTS, 'REMIND_TOO_SOON');
        return this.record(em, actor, {
          key,
          kind: 'manual',
          region,
          month,
          due,
          today,
          submissionId: submission?.id ?? null,
          byRegionName: parent?.name ?? null,
          status:
            submission?.status === 'returned' || submission?.status === 'withdrawn'
              ? submission.status
              : null,
        });
      });
      return { regionId, month, eventId };
    } catch (e) {
      // another instance (PostgreSQL) recorded today's 催报 between the check and the insert
      if (isUniqueViolation(e)) throw new AppError(HttpStatus.TOO_MANY_REQUESTS, 'REMIND_TOO_SOON');
      throw e;
    }
  }

  /**
   * The reviewers of a region: its parent region's officers (the route's `submission.remind`), or an
   * admin over the parent. Nobody reminds their own region.
   */
  private async assertReviewer(actor: Actor, region: Region): Promise<void> {
    if (region.parentId === null) throw new Forbidden('REMIND_NOT_REVIEWER');
    if (actor.regionId === region.parentId) return;
    // an admin over the parent: the region lies strictly below the admin's own (or everything)
    if (actor.role === 'admin' && actor.regionId !== region.id) {
      const scope = await this.regions.scopePath(actor);
      if (scope === null || region.path.startsWith(scope)) return;
    }
    throw new Forbidden('REMIND_NOT_REVIEWER');
  }

  /**
   * The automatic reminders due on `day` (the scheduler's tick, docs/domain.md): for each month whose
   * due date is 3 days or 1 day after `day`, or the day before it, every county that has not submitted
   * it gets one, once (a key per county, month and kind). Answers how many were recorded.
   */
  async runDue(day: string): Promise<number> {
    const rules = await this.calendar.rules();
    const thisMonth = day.slice(0, 7);
    const prev = dayjs.utc(`${thisMonth}-01`).subtract(1, 'month').format('YYYY-MM');
    const prev2 = dayjs.utc(`${thisMonth}-01`).subtract(2, 'month').format('YYYY-MM');
    let recorded = 0;
    for (const month of [prev2, prev, thisMonth]) {
      const due = dueOn(month, rules);
      for (const { kind, offset } of AUTOMATIC) {
        if (dayjs.utc(due).add(offset, 'day').format('YYYY-MM-DD') !== day) continue;
        recorded += await this.remindCounties(month, due, kind, day);
      }
    }
    return recorded;
  }

  private async remindCounties(
    month: string,
    due: string,
    kind: Exclude<ReminderKind, 'manual'>,
    today: string,
  ): Promise<number> {
    const counties = await this.db
      .reader(Region)
      .find({ where: { level: 'county' }, order: { path: 'ASC' } });
    if (!counties.length) return 0;
    const submissions = await this.db
      .reader(Submission)
      .findBy({ month, regionId: In(counties.map((c) => c.id)) });
    const byRegion = new Map(submissions.map((s) => [s.regionId, s]));
    const names = new Map(
      (await this.db.reader(Region).find()).map((r) => [r.id, r.name] as const),
    );
    const pending = counties.filter((c) => {
      const s = byRegion.get(c.id);
      return !s || !(LOCKING_STATUSES as readonly string[]).includes(s.status);
    });
    if (!pending.length) return 0;
    return this.db.transaction(async (em) => {
      let n = 0;
      for (const region of pending) {
        const key = `${kind}:${region.id}:${month}`;
        if (await em.existsBy(SubmissionReminder, { key })) continue;
        await this.record(em, SYSTEM_ACTOR, {
          key,
          kind,
          region,
          month,
          due,
          today,
          submissionId: byRegion.get(region.id)?.id ?? null,
          byRegionName: region.parentId ? (names.get(region.parentId) ?? null) : null,
        });
        n++;
      }
      return n;
    });
  }

  /** The event, its outbox messages, the key that makes it once, and the audit row. */
  private async record(
    em: EntityManager,
    actor: Actor,
    r: {
      key: string;
      kind: ReminderKind;
      region: Region;
      month: string;
      due: string;
      today: string;
      submissionId: number | null;
      byRegionName: string | null;
      status?: 'returned' | 'withdrawn' | null;
    },
  ): Promise<number> {
    const now = this.clock.now().toISOString();
    const notice = {
      kind: r.kind,
      regionName: r.region.name,
      month: r.month,
      dueOn: r.due,
      byRegionName: r.byRegionName,
      status: r.status ?? null,
    };
    const text = reminderText(notice);
    const action = r.kind === 'manual' ? 'remind' : 'auto_remind';
    const inserted = await em.insert(SubmissionEvent, {
      submissionId: r.submissionId,
      regionId: r.region.id,
      month: r.month,
      action,
      fromStatus: null,
      toStatus: null,
      actorId: actor.id,
      actorName: actor.username,
      at: now,
      comment: text,
      version: null,
    });
    const eventId = Number((inserted.identifiers[0] as { id: number }).id);
    let queued = 0;
    for (const t of this.config.alertWebhooks) {
      await em.insert(AlertDelivery, {
        alertId: null,
        target: t.url,
        format: t.format,
        stateKey: `remind:${eventId}`,
        payload: JSON.stringify(reminderPayload(t.format, notice)),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lockedUntil: null,
        lastError: null,
        createdAt: now,
        sentAt: null,
      });
      queued++;
    }
    await em.insert(SubmissionReminder, {
      key: r.key,
      regionId: r.region.id,
      month: r.month,
      kind: r.kind,
      onDay: r.today,
      dueOn: r.due,
      eventId,
      queued,
      at: now,
    });
    await this.audit.record(em, actor, {
      action,
      entity: 'submission_event',
      entityId: eventId,
      changes: {
        regionId: { old: null, new: r.region.id },
        month: { old: null, new: r.month },
        kind: { old: null, new: r.kind },
        comment: { old: null, new: text },
      },
    });
    return eventId;
  }

  /** Reminders of some regions' month (the list's 催报 column): how many, and the last one's time. */
  async summary(
    regionIds: number[],
    month: string,
  ): Promise<Map<number, { count: number; lastAt: string }>> {
    const out = new Map<number, { count: number; lastAt: string }>();
    if (!regionIds.length) return out;
    const rows = await this.db
      .reader(SubmissionReminder)
      .find({ where: { month, regionId: In(regionIds) }, order: { at: 'ASC' } });
    for (const r of rows)
      out.set(r.regionId, { count: (out.get(r.regionId)?.count ?? 0) + 1, lastAt: r.at });
    return out;
  }
}
