import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { EntityManager, In, QueryFailedError } from 'typeorm';
import { ScheduledReminders } from '../alerts/scheduled-reminders';
import { AlertDelivery } from '../alerts/alert.entities';
import { printedDate } from '../alerts/alert-rules';
import { ChannelsService } from '../alerts/channels.service';
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
import { reminderPayload, reminderText, reminderTitle } from './reminder-messages';
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

/** A region's 催报 of a month: how many, the last, and (note) those that reached no one. */
export interface ReminderSummary {
  count: number;
  lastAt: string;
  lastBy: string | null;
  /** null: every one was delivered; else `未送达：未设置通知渠道` or `已送达 1 次，1 次未送达：…`. */
  note: string | null;
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
    private readonly channels: ChannelsService,
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
      this.channels.kick();
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
      const late = new Map<number, string[]>();
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
        if (kind === 'after_1' && region.parentId !== null)
          late.set(region.parentId, [...(late.get(region.parentId) ?? []), region.name]);
      }
      // the day after the due date, the reviewer gets the list of who is late (issue 34)
      for (const [parentId, list] of late)
        await this.channels.enqueue(em, {
          regionId: parentId,
          topic: 'reminders',
          key: `late:${parentId}:${month}`,
          title: `【逾期未报】${names.get(parentId) ?? ''} ${printedDate(month)}月报`,
          lines: [
            `> ${printedDate(month)}月报已于${printedDate(due)}截止，以下${list.length}个县区至今未报送：`,
            `> ${list.join('、')}`,
          ],
        });
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
    // the county's own 催报 channels (issue 34)
    queued += await this.channels.enqueue(em, {
      regionId: r.region.id,
      topic: 'reminders',
      key: `remind:${eventId}`,
      title: `${reminderTitle(r.kind)}${r.region.name} ${printedDate(r.month)}月报`,
      lines: [`> ${text}`],
      elsewhere: queued,
    });
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
  async summary(regionIds: number[], month: string): Promise<Map<number, ReminderSummary>> {
    const out = new Map<number, ReminderSummary>();
    if (!regionIds.length) return out;
    const rows = await this.db
      .reader(SubmissionReminder)
      .find({ where: { month, regionId: In(regionIds) }, order: { at: 'ASC' } });
    const last = new Map<number, SubmissionReminder>();
    for (const r of rows) last.set(r.regionId, r);
    // who sent the last one: its event's actor ('system' for an automatic one)
    const events = last.size
      ? await this.db
          .reader(SubmissionEvent)
          .find({ where: { id: In([...last.values()].map((r) => r.eventId)) } })
      : [];
    const by = new Map(events.map((e) => [e.id, e.actorName]));
    // what became of each: sent to at least one target, waiting, failed, or queued nowhere
    const sentTo = rows.filter((r) => r.queued > 0).map((r) => `remind:${r.eventId}`);
    const fate = new Map<string, 'sent' | 'pending' | 'failed'>();
    for (let i = 0; i < sentTo.length; i += 500) {
      const part = await this.db.reader(AlertDelivery).find({
        select: { stateKey: true, status: true },
        where: { stateKey: In(sentTo.slice(i, i + 500)) },
      });
      for (const d of part) {
        const f =
          d.status === 'sent'
            ? 'sent'
            : d.status === 'pending' || d.status === 'sending'
              ? 'pending'
              : 'failed';
        const was = fate.get(d.stateKey);
        if (was !== 'sent' && (was !== 'pending' || f === 'sent')) fate.set(d.stateKey, f);
      }
    }
    const tally = new Map<number, { delivered: number; why: string | null }>();
    for (const r of rows) {
      const t = tally.get(r.regionId) ?? { delivered: 0, why: null };
      const f = r.queued > 0 ? (fate.get(`remind:${r.eventId}`) ?? 'failed') : null;
      if (f === 'sent') t.delivered++;
      else t.why = f === null ? '未设置通知渠道' : f === 'pending' ? '待发送' : '发送失败';
      tally.set(r.regionId, t);
      out.set(r.regionId, {
        count: (out.get(r.regionId)?.count ?? 0) + 1,
        lastAt: r.at,
        lastBy: by.get(r.eventId) ?? null,
        note: null,
      });
    }
    for (const [regionId, x] of out) {
      const t = tally.get(regionId)!;
      x.note =
        t.delivered === x.count
          ? null
          : t.delivered === 0
            ? `未送达：${t.why}`
            : `已送达 ${t.delivered} 次，${x.count - t.delivered} 次未送达：${t.why}`;
    }
    return out;
  }
}
