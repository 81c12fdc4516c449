import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Why a reminder went out: a reviewer's 催报, or the scheduler's before / after the due date. */
export const REMINDER_KINDS = ['manual', 'before_3', 'before_1', 'after_1'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * One row per reminder sent, keyed so that it is sent once: `manual:<region>:<day>` (a reviewer's
 * 催报, once a business day per region), `<kind>:<region>:<month>` (an automatic one, once per
 * region, month and kind however many instances run). The reminder itself is the month's
 * SubmissionEvent (`remind` / `auto_remind`).
 */
@Entity()
@Index(['regionId', 'month'])
export class SubmissionReminder {
  @PrimaryColumn('varchar', { length: 60 })
  key: string;

  @Column('integer')
  regionId: number;

  /** 'YYYY-MM': the month reminded of. */
  @Column('varchar', { length: 7 })
  month: string;

  @Column('varchar', { length: 10 })
  kind: ReminderKind;

  /** The business day it was sent on. */
  @Column('varchar', { length: 10 })
  onDay: string;

  @Column('varchar', { length: 10 })
  dueOn: string;

  @Column('integer')
  eventId: number;

  /** Outbox messages queued for it (one per ALERT_WEBHOOKS target). */
  @Column('integer')
  queued: number;

  @Column('varchar', { length: 30 })
  at: string;
}
