import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertKind, AlertState, Severity } from './alert-rules';

/** One row per (kind, subject): opened, updated, resolved and re-opened by the scans. */
@Entity()
@Index(['kind', 'subjectKey'], { unique: true })
@Index(['state', 'regionId'])
export class Alert {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar', { length: 30 })
  kind: AlertKind;

  @Column('varchar', { length: 40 })
  subjectKey: string;

  @Index()
  @Column('integer')
  projectId: number;

  @Column('integer', { nullable: true })
  milestoneId: number | null;

  @Column('integer')
  regionId: number;

  @Column('varchar', { length: 10 })
  severity: Severity;

  @Column('integer')
  daysOverdue: number;

  @Column('varchar', { length: 15 })
  state: AlertState;

  @Column('varchar', { length: 1000 })
  message: string;

  @Column('varchar', { length: 50, nullable: true })
  owner: string | null;

  /** Bumped whenever the alert (re)opens or its severity rises: one notification per state. */
  @Column('integer', { default: 1 })
  stateVersion: number;

  @Column('varchar', { length: 10 })
  lastScannedOn: string;

  @Column('varchar', { length: 30 })
  openedAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;

  @Column('varchar', { length: 30, nullable: true })
  resolvedAt: string | null;

  @Column('varchar', { length: 30, nullable: true })
  acknowledgedAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  acknowledgedBy: string | null;

  /** What the officer wrote when acknowledging (确认说明). */
  @Column('varchar', { length: 500, nullable: true })
  ackNote: string | null;

  @Column('integer', { default: 1 })
  version: number;
}

export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'dead',
  'skipped',
  'cancelled',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Outbox: one message to one webhook for one alert state (or one region's digest). */
@Entity()
@Index(['target', 'stateKey'], { unique: true })
@Index(['status', 'nextAttemptAt'])
export class AlertDelivery {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer', { nullable: true })
  alertId: number | null;

  @Column('varchar', { length: 500 })
  target: string;

  /** `email` only for a channel's message. */
  @Column('varchar', { length: 10 })
  format: 'generic' | 'wecom' | 'dingtalk' | 'email' | 'none';

  /** A region's channel (`target` is then `channel:<id>`); null for ALERT_WEBHOOKS. */
  @Column('integer', { nullable: true })
  channelId: number | null;

  /** The region whose channel it goes to (the delivery log's filter). */
  @Index()
  @Column('integer', { nullable: true })
  regionId: number | null;

  @Column('varchar', { length: 15, nullable: true })
  topic: 'alerts' | 'reminders' | 'submissions' | 'reports' | 'test' | null;

  /** What it says, in a line (the delivery log). */
  @Column('varchar', { length: 200, nullable: true })
  title: string | null;

  /**
   * The steps of a multi-step message already acknowledged (企业微信: the summary, the uploaded
   * media id and when): a retry or a restart resumes after them, never repeating one.
   */
  @Column('simple-json', { nullable: true })
  progress: { summarySent?: boolean; mediaId?: string; mediaAt?: string } | null;

  /** `alert:12:3` (alert 12 in its 3rd state) or `digest:4:2026-11-23`. */
  @Column('varchar', { length: 80 })
  stateKey: string;

  @Column('text')
  payload: string;

  /**
   * `skipped`: nothing to send it to (no channel subscribed, recorded so the log shows it was not
   * sent); `cancelled`: its channel was deleted before it was sent.
   */
  @Column('varchar', { length: 10 })
  status: DeliveryStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @Column('varchar', { length: 30 })
  nextAttemptAt: string;

  @Column('varchar', { length: 30, nullable: true })
  lockedUntil: string | null;

  @Column('varchar', { length: 500, nullable: true })
  lastError: string | null;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30, nullable: true })
  sentAt: string | null;
}

/** The delivery log: one row per attempt. */
@Entity()
export class AlertDeliveryAttempt {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column('integer')
  deliveryId: number;

  @Column('varchar', { length: 30 })
  at: string;

  @Column('boolean')
  ok: boolean;

  @Column('integer', { nullable: true })
  httpStatus: number | null;

  @Column('varchar', { length: 500, nullable: true })
  error: string | null;

  @Column('integer')
  durationMs: number;
}

/** A lease so that, of several instances on one database, one runs a scheduled job. */
@Entity()
export class JobLease {
  @Column('varchar', { primary: true, length: 50 })
  name: string;

  @Column('varchar', { length: 100, nullable: true })
  holder: string | null;

  @Column('varchar', { length: 30, nullable: true })
  leasedUntil: string | null;

  /** The business day the job last completed for. */
  @Column('varchar', { length: 10, nullable: true })
  lastRunOn: string | null;
}

/** Every scan: when, as of which day, why, and what it changed. */
@Entity()
export class ScanRun {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar', { length: 10 })
  asOf: string;

  @Column('varchar', { length: 10 })
  trigger: 'schedule' | 'manual';

  @Column('varchar', { length: 100 })
  instance: string;

  @Column('varchar', { length: 30 })
  startedAt: string;

  @Column('varchar', { length: 30 })
  finishedAt: string;

  @Column('simple-json')
  counts: Record<string, number>;
}
