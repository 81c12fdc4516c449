import * as path from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { AlertDelivery, AlertDeliveryAttempt } from './alert.entities';
import {
  ChannelPayload,
  dingtalkSignedUrl,
  postRobot,
  RobotRateLimit,
  robotUrlProblem,
  SendResult,
  sendMail,
  WECOM_MEDIA_REUSE_MS,
  wecomUpload,
} from './channel-senders';
import { NotificationChannel } from './channel.entities';

/** Who failed to answer a delivery to an ALERT_WEBHOOKS address, in its error text. */
const RECEIVER = '预警接收地址';

/**
 * Sends the outbox: claims due messages, posts each with a timeout outside any transaction,
 * logs every attempt, retries with exponential backoff, and gives up after the last attempt.
 * A claimed row is locked for a while, so several instances never send the same message.
 *
 * The same outbox carries the messages of the regions' channels (issue 34: `channel_id` set,
 * docs/alerts.md 通知渠道): 企业微信 and 钉钉 robots (at most ROBOT_PER_MINUTE a minute each) and
 * e-mail. A 企业微信 workbook is three steps — the markdown summary, `upload_media`, the `file`
 * message — and each acknowledged step is recorded in `progress` before the next: a retry or a
 * restart resumes after it and never repeats one.
 */
@Injectable()
export class DeliveryWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AlertDelivery');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly robots: RobotRateLimit;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.robots = new RobotRateLimit(config.delivery.robotPerMinute, () =>
      this.clock.now().getTime(),
    );
  }

  onModuleInit(): void {
    const every = this.config.alerts.deliveryIntervalMs;
    // always: the regions' channels are set at run time (通知设置)
    if (every > 0) {
      this.timer = setInterval(
        () => void this.runOnce().catch((e: unknown) => this.logger.error(String(e))),
        every,
      );
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Shutdown: no more passes; resolves when a pass under way has recorded its attempts. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due messages; returns how many were attempted. Overlapping calls share one pass. */
  runOnce(): Promise<number> {
    if (!this.running) this.running = this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const due = await this.db.write
      .getRepository(AlertDelivery)
      .createQueryBuilder('d')
      .where(
        "(d.status = 'pending' AND d.nextAttemptAt <= :now) OR (d.status = 'sending' AND d.lockedUntil < :now)",
        { now: nowIso },
      )
      .orderBy('d.id')
      .limit(50)
      .getMany();
    let attempted = 0;
    // one robot's messages in order (a summary before its file), robots side by side
    const lanes = new Map<string, AlertDelivery[]>();
    // (ALERT_WEBHOOKS rows as before: each its own)
    for (const d of due) {
      const lane = d.channelId === null ? `row:${d.id}` : d.target;
      lanes.set(lane, [...(lanes.get(lane) ?? []), d]);
    }
    await Promise.all(
      [...lanes.values()].map(async (lane) => {
        for (const d of lane) {
          // a robot over its minute's limit: the rest of its lane waits for a later pass
          if (!this.mayGo(d)) return;
          if (!(await this.claim(d, nowIso))) continue;
          attempted++;
          await this.send(d);
        }
      }),
    );
    return attempted;
  }

  /** Sends one queued message now (发送测试消息), unless another instance has it or its robot is over its limit. */
  async sendNow(id: number): Promise<boolean> {
    const d = await this.db.write.getRepository(AlertDelivery).findOneBy({ id });
    if (!d || !this.mayGo(d)) return false;
    if (!(await this.claim(d, this.clock.now().toISOString()))) return false;
    await this.send(d);
    return true;
  }

  /** Takes a robot's rate-limit tokens for the messages a row still has to send. */
  private mayGo(d: AlertDelivery): boolean {
    if (d.channelId === null || (d.format !== 'wecom' && d.format !== 'dingtalk')) return true;
    const p = JSON.parse(d.payload) as ChannelPayload;
    const n = d.format === 'wecom' && p.file ? (d.progress?.summarySent ? 1 : 2) : 1;
    return this.robots.take(d.channelId, n);
  }

  private async claim(d: AlertDelivery, nowIso: string): Promise<boolean> {
    const lockedUntil = new Date(
      Date.parse(nowIso) + this.config.alerts.timeoutMs * 3 + 1000,
    ).toISOString();
    return this.db.transaction(async (em) => {
      const r = await em
        .createQueryBuilder()
        .update(AlertDelivery)
        .set({ status: 'sending', lockedUntil })
        .where(
          "id = :id AND ((status = 'pending' AND next_attempt_at <= :now) OR (status = 'sending' AND locked_until < :now))",
          { id: d.id, now: nowIso },
        )
        .execute();
      if (r.affected !== 1) return false;
      d.lockedUntil = lockedUntil;
      return true;
    });
  }

  private async send(d: AlertDelivery): Promise<void> {
    const started = Date.now();
    // an ALERT_WEBHOOKS address: its format says whether it answers an errcode
    const r =
      d.channelId !== null
        ? await this.sendToChannel(d)
        : await postRobot(
            d.format === 'wecom' || d.format === 'dingtalk' ? d.format : 'generic',
            d.target,
            d.payload,
            this.config.alerts.timeoutMs,
            RECEIVER,
          );
    return this.record(d, started, r.ok, r.httpStatus, r.error);
  }

  /** One channel message: its steps not yet acknowledged, each recorded as it is. */
  private async sendToChannel(d: AlertDelivery): Promise<SendResult> {
    const channel = await this.db.write
      .getRepository(NotificationChannel)
      .findOneBy({ id: d.channelId ?? 0 });
    if (!channel) return { ok: false, httpStatus: null, error: '通知渠道已删除' };
    // an address saved before ROBOT_ORIGINS was narrowed is not posted to
    if (
      (channel.kind === 'wecom' || channel.kind === 'dingtalk') &&
      robotUrlProblem(channel.kind, channel.url, this.config.delivery.robotOrigins)
    )
      return {
        ok: false,
        httpStatus: null,
        error: '机器人地址不在允许的范围内（ROBOT_ORIGINS），请在通知设置中改正',
      };
    const p = JSON.parse(d.payload) as ChannelPayload;
    const timeout = this.config.alerts.timeoutMs;
    const file = p.file ? path.join(this.config.submissionsDir, p.file.path) : null;
    switch (channel.kind) {
      case 'email': {
        if (!this.config.delivery.smtpUrl)
          return { ok: false, httpStatus: null, error: '未配置 SMTP_URL' };
        return sendMail(
          this.config.delivery.smtpUrl,
          {
            from: this.config.delivery.smtpFrom,
            to: channel.recipients,
            subject: p.subject ?? '',
            text: p.text ?? '',
            attachment: file && p.file ? { path: file, name: p.file.name } : undefined,
          },
          timeout,
        );
      }
      case 'dingtalk':
        return postRobot(
          'dingtalk',
          // the wall clock, never the business clock: 钉钉 refuses a timestamp an hour off its own
          dingtalkSignedUrl(channel.url ?? '', channel.secret, Date.now()),
          p.body ?? {},
          timeout,
        );
      case 'wecom': {
        const url = channel.url ?? '';
        const progress = { ...(d.progress ?? {}) };
        const save = async () => {
          await this.db.transaction((em) => em.update(AlertDelivery, d.id, { progress }));
          d.progress = { ...progress };
        };
        if (!file || !p.file) return postRobot('wecom', url, p.body ?? {}, timeout);
        if (!progress.summarySent) {
          const r = await postRobot('wecom', url, p.body ?? {}, timeout);
          if (!r.ok) return { ...r, error: `摘要：${r.error}` };
          progress.summarySent = true;
          await save();
        }
        const now = this.clock.now().getTime();
        if (
          !progress.mediaId ||
          !progress.mediaAt ||
          now - Date.parse(progress.mediaAt) > WECOM_MEDIA_REUSE_MS
        ) {
          const up = await wecomUpload(url, file, p.file.name, timeout);
          if (!up.ok || !up.mediaId) return up;
          progress.mediaId = up.mediaId;
          progress.mediaAt = new Date(now).toISOString();
          await save();
        }
        const r = await postRobot(
          'wecom',
          url,
          { msgtype: 'file', file: { media_id: progress.mediaId } },
          timeout,
        );
        return r.ok ? r : { ...r, error: `文件：${r.error}` };
      }
    }
  }

  /** The attempt in the log, and the row sent, back to pending with its backoff, or dead. */
  private async record(
    d: AlertDelivery,
    started: number,
    ok: boolean,
    httpStatus: number | null,
    error: string | null,
  ): Promise<void> {
    const at = this.clock.now();
    const attempts = d.attempts + 1;
    const retryIn = this.config.alerts.retryBaseMs * 2 ** (attempts - 1);
    await this.db.transaction(async (em) => {
      await em.insert(AlertDeliveryAttempt, {
        deliveryId: d.id,
        at: at.toISOString(),
        ok,
        httpStatus,
        error: error?.slice(0, 500) ?? null,
        durationMs: Date.now() - started,
      });
      // only while this claim holds: an instance whose lock ran out (a hung request, a stalled
      // process) never overwrites what another has since sent
      await em.update(
        AlertDelivery,
        { id: d.id, status: 'sending', lockedUntil: d.lockedUntil ?? '' },
        ok
          ? {
              status: 'sent',
              attempts,
              sentAt: at.toISOString(),
              lockedUntil: null,
              lastError: null,
            }
          : attempts >= this.config.alerts.maxAttempts
            ? {
                status: 'dead',
                attempts,
                lockedUntil: null,
                lastError: error?.slice(0, 500) ?? null,
              }
            : {
                status: 'pending',
                attempts,
                lockedUntil: null,
                lastError: error?.slice(0, 500) ?? null,
                nextAttemptAt: new Date(at.getTime() + retryIn).toISOString(),
              },
      );
    });
    if (!ok)
      this.logger.warn(
        `delivery ${d.id} to ${d.channelId !== null ? d.target : new URL(d.target).host} failed (attempt ${attempts}): ${error}`,
      );
  }
}
