import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { User } from '../auth/user.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppError, fieldError, InvalidInput, NotFound } from '../common/errors';
import { pageWindow } from '../common/page';
import { CHANNEL_KIND_WORDS, CHANNEL_TOPIC_WORDS } from '../common/vocabulary';
import { AppConfig, APP_CONFIG, DEFAULT_ROBOT_ORIGINS } from '../config/app-config';
import { Database } from '../database/database';
import { Region } from '../regions/region.entity';
import { RegionsService } from '../regions/regions.service';
import { AlertDelivery } from './alert.entities';
import { ChannelPayload, robotUrlProblem } from './channel-senders';
import {
  ChannelKind,
  ChannelTopic,
  NotificationChannel,
  SharedLink,
  SharedLinkDownload,
} from './channel.entities';
import { DeliveryWorker } from './delivery.worker';
import { ChannelDto, DeliveriesQuery } from './dto/channel.dto';
import {
  ChannelView,
  DeliveryPageView,
  DeliveryView,
  RegionChannelsView,
  SharedLinkView,
} from './dto/channel.view';

/** The vocabulary's words (the audit trail names channels the same way). */
export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = CHANNEL_KIND_WORDS;
export const TOPIC_LABELS: Record<string, string> = CHANNEL_TOPIC_WORDS;
const STATUS_LABELS: Record<AlertDelivery['status'], string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  dead: '失败',
  skipped: '未发送',
  cancelled: '已取消',
};
/** Why a `skipped` message was not sent (the log's 说明). */
export const NO_CHANNEL = '未发送：未设置通知渠道';

/** The mask a secret part is shown as. */
export const MASK = '••••';
/** A 钉钉 加签 secret as its robot shows it: `SEC` and (today) 64 hex digits; base64-ish allowed. */
const DINGTALK_SECRET = /^SEC[0-9A-Za-z+/=_-]{32,120}$/;
const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** `…/send?key=693a…c2f1` → `…/send?key=••••c2f1`: the robot is recognisable, never usable. */
export function maskUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    for (const k of ['key', 'access_token'])
      if (u.searchParams.has(k)) {
        const v = u.searchParams.get(k) ?? '';
        u.searchParams.set(k, `${MASK}${v.length > 8 ? v.slice(-4) : ''}`);
      }
    u.username = '';
    u.password = '';
    return decodeURI(u.toString());
  } catch {
    return MASK;
  }
}

/** A message for the channels of a region and topic (docs/alerts.md, 通知渠道). */
export interface ChannelMessage {
  regionId: number;
  topic: ChannelTopic;
  /** Unique per channel: the same key is queued once (`report:12:3`, `remind:40`). */
  key: string;
  title: string;
  /** Markdown lines under the title (`> 地区：…`). */
  lines: string[];
  /** The robots' own bodies when they differ from title + lines (alerts keep their colours). */
  robotBody?: (kind: 'wecom' | 'dingtalk') => object;
  /** A region without channels of its own uses its nearest ancestor's (alerts). */
  inherit?: boolean;
  /**
   * How many ALERT_WEBHOOKS targets it was queued to besides (催报): finding no channel, a message
   * queued nowhere at all is recorded as not sent (`skipped`, 未设置通知渠道).
   */
  elsewhere?: number;
  /** The frozen workbook: 企业微信 file, 钉钉 link, e-mail attachment. */
  file?: { submissionId: number; path: string; name: string; sizeBytes: number };
}

/**
 * 通知设置 (issue 34): a region's channels — 企业微信 and 钉钉 group robots, e-mail addresses — and
 * the topics each receives; the messages of the cycle, the approved workbook and the alerts queued
 * to them through the alert outbox (the delivery log); the 钉钉 download links.
 */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger('Channels');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    private readonly worker: DeliveryWorker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // ---- 通知设置 -------------------------------------------------------------------------------

  async get(actor: Actor, regionId: number): Promise<RegionChannelsView> {
    const region = await this.regions.findInScope(actor, regionId);
    return this.viewOf(region);
  }

  /** Replaces a region's channels (audited; secrets kept when not sent, never in the audit). */
  async put(actor: Actor, regionId: number, list: ChannelDto[]): Promise<RegionChannelsView> {
    const region = await this.regions.findInScope(actor, regionId);
    const before = await this.db.write
      .getRepository(NotificationChannel)
      .find({ where: { regionId }, order: { id: 'ASC' } });
    const byId = new Map(before.map((c) => [c.id, c]));
    const errors = list.flatMap((c, i) => this.check(c, i, byId));
    if (errors.length) throw new InvalidInput(errors);
    const now = this.clock.now().toISOString();
    await this.db.transaction(async (em) => {
      const kept = new Set<number>();
      for (const c of list) {
        const old = c.id !== undefined ? byId.get(c.id) : undefined;
        const url = c.kind === 'email' ? null : (this.urlOf(c, old) ?? null);
        const secret =
          c.kind !== 'dingtalk'
            ? null
            : c.secret === undefined
              ? (old?.secret ?? null)
              : c.secret.trim() || null;
        const row = {
          regionId,
          kind: c.kind,
          name: c.name?.trim() || null,
          url,
          secret,
          recipients: c.kind === 'email' ? (c.recipients ?? []).map((r) => r.trim()) : [],
          topics: [...new Set(c.topics)],
          updatedAt: now,
        };
        if (old) {
          kept.add(old.id);
          await em.update(NotificationChannel, old.id, row as never);
        } else await em.insert(NotificationChannel, { ...row, createdAt: now } as never);
      }
      const gone = before.filter((c) => !kept.has(c.id)).map((c) => c.id);
      // a deleted channel's messages not yet sent are cancelled at once (已取消), never tried again
      let cancelled = 0;
      if (gone.length) {
        const r = await em
          .createQueryBuilder()
          .update(AlertDelivery)
          .set({ status: 'cancelled', lockedUntil: null, lastError: '已取消：通知渠道已删除' })
          .where("channel_id IN (:...gone) AND status = 'pending'", { gone })
          .execute();
        cancelled = r.affected ?? 0;
        await em.delete(NotificationChannel, { id: In(gone) });
      }
      const after = await em.find(NotificationChannel, {
        where: { regionId },
        order: { id: 'ASC' },
      });
      const shown = (cs: NotificationChannel[]) => cs.map((c) => this.auditShape(c));
      if (JSON.stringify(shown(before)) !== JSON.stringify(shown(after)))
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'notification_channel',
          entityId: regionId,
          changes: {
            channels: { old: shown(before), new: shown(after) },
            ...(cancelled ? { cancelledDeliveries: { old: null, new: cancelled } } : {}),
          },
        });
    });
    return this.viewOf(region);
  }

  /** 发送测试消息: sent at once, one attempt, never retried; answers its log entry. */
  async test(actor: Actor, regionId: number, channelId: number): Promise<DeliveryView> {
    const region = await this.regions.findInScope(actor, regionId);
    const channel = await this.db.write
      .getRepository(NotificationChannel)
      .findOneBy({ id: channelId, regionId });
    if (!channel)
      throw new InvalidInput([fieldError('channelId', 'CHANNEL_NOT_FOUND')], 'CHANNEL_NOT_FOUND');
    if (channel.kind === 'email' && !this.config.delivery.smtpUrl)
      throw new AppError(HttpStatus.CONFLICT, 'SMTP_NOT_CONFIGURED');
    const now = this.clock.now();
    const title = `【测试消息】${region.name}通知设置`;
    const lines = [
      `> 这是学校建设项目管理系统发送的测试消息，收到即表示${CHANNEL_KIND_LABELS[channel.kind]}设置正确。`,
      `> 地区：${region.name}`,
      `> 订阅：${channel.topics.map((t) => TOPIC_LABELS[t]).join('、') || '无'}`,
      `> 发送人：${await this.nameOf(actor.username)}`,
    ];
    const id = await this.db.transaction(async (em) => {
      const ids = await this.queue(em, [channel], {
        regionId,
        topic: 'alerts',
        key: `test:${channel.id}:${now.getTime()}`,
        title,
        lines,
      });
      await em.update(AlertDelivery, ids[0], { topic: 'test' });
      await this.audit.record(em, actor, {
        action: 'test',
        entity: 'notification_channel',
        entityId: regionId,
        changes: { channelId: { old: null, new: channel.id } },
      });
      return ids[0];
    });
    const tried = await this.worker.sendNow(id);
    // one attempt: a test that failed (or could not go now) is not retried in the background
    await this.db.transaction((em) =>
      em.update(
        AlertDelivery,
        { id, status: 'pending' },
        {
          status: 'dead',
          ...(tried ? {} : { lastError: '未发送：该机器人本分钟的发送次数已用完，请稍后再试' }),
        },
      ),
    );
    const row = await this.db.write.getRepository(AlertDelivery).findOneByOrFail({ id });
    return (await this.deliveryViews([row]))[0];
  }

  /** 姓名, falling back to the login: what the groups read. */
  private async nameOf(username: string): Promise<string> {
    const u = await this.db.read
      .getRepository(User)
      .findOne({ select: { username: true, displayName: true }, where: { username } });
    return u?.displayName?.trim() || username;
  }

  // ---- queueing -------------------------------------------------------------------------------

  /**
   * Queues a message to the channels of a region subscribed to its topic (with `inherit`, the
   * nearest region up the tree that has channels of its own), inside the caller's transaction.
   * Answers how many were queued; the same key is queued once per channel.
   */
  async enqueue(em: EntityManager, m: ChannelMessage): Promise<number> {
    const channels = await this.channelsFor(em, m.regionId, m.topic, m.inherit ?? false);
    if (!channels.length) {
      // alerts stay on 预警 whatever is sent (and may be many): only messages to people are logged
      if (m.topic !== 'alerts' && !m.elsewhere) await this.skipped(em, m);
      return 0;
    }
    return (await this.queue(em, channels, m)).length;
  }

  /** A message that found no channel: in the log as not sent (`skipped`), once per key. */
  private async skipped(em: EntityManager, m: ChannelMessage): Promise<void> {
    const target = `none:${m.regionId}`;
    const stateKey = m.key.slice(0, 80);
    if (await em.existsBy(AlertDelivery, { target, stateKey })) return;
    const now = this.clock.now().toISOString();
    await em.insert(AlertDelivery, {
      alertId: null,
      target,
      format: 'none',
      stateKey,
      payload: '{}',
      status: 'skipped',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lastError: NO_CHANNEL,
      createdAt: now,
      sentAt: null,
      channelId: null,
      regionId: m.regionId,
      topic: m.topic,
      title: m.title.slice(0, 200),
      progress: null,
    });
  }

  /** The channels a region's messages of a topic go to. */
  private async channelsFor(
    em: EntityManager,
    regionId: number,
    topic: ChannelTopic,
    inherit: boolean,
  ): Promise<NotificationChannel[]> {
    let id: number | null = regionId;
    while (id !== null) {
      const own = await em.find(NotificationChannel, {
        where: { regionId: id },
        order: { id: 'ASC' },
      });
      if (own.length || !inherit) return own.filter((c) => c.topics.includes(topic));
      const r: Region | null = await em.findOneBy(Region, { id });
      id = r?.parentId ?? null;
    }
    return [];
  }

  private async queue(
    em: EntityManager,
    channels: NotificationChannel[],
    m: ChannelMessage,
  ): Promise<number[]> {
    const now = this.clock.now();
    const ids: number[] = [];
    for (const c of channels) {
      const target = `channel:${c.id}`;
      if (await em.existsBy(AlertDelivery, { target, stateKey: m.key })) continue;
      const payload: ChannelPayload = {};
      let lines = m.lines;
      if (m.file && c.kind === 'dingtalk') {
        const token = randomBytes(24).toString('base64url');
        const url = `${this.config.delivery.publicUrl}/api/shared/${token}`;
        const expiresAt = new Date(
          now.getTime() + this.config.delivery.reportLinkDays * 86_400_000,
        ).toISOString();
        await em.insert(SharedLink, {
          token,
          regionId: m.regionId,
          submissionId: m.file.submissionId,
          filePath: m.file.path,
          fileName: m.file.name,
          createdAt: now.toISOString(),
          expiresAt,
          revokedAt: null,
          revokedBy: null,
          downloads: 0,
        });
        payload.link = { token, url };
        lines = [
          ...lines,
          `> 报表下载：[${m.file.name}](${url})（${this.config.delivery.reportLinkDays}天内有效）`,
        ];
      }
      if (c.kind === 'wecom' || c.kind === 'dingtalk') {
        payload.body =
          m.robotBody && !m.file
            ? m.robotBody(c.kind)
            : c.kind === 'wecom'
              ? {
                  msgtype: 'markdown',
                  markdown: { content: [`### ${m.title}`, ...lines].join('\n') },
                }
              : {
                  msgtype: 'markdown',
                  markdown: { title: m.title, text: [`### ${m.title}`, ...lines].join('\n\n') },
                };
        if (m.file && c.kind === 'wecom')
          payload.file = { path: m.file.path, name: m.file.name, sizeBytes: m.file.sizeBytes };
      } else {
        payload.subject = m.title;
        payload.text = [
          ...lines.map((l) => l.replace(/^> /, '')),
          '',
          m.file ? `附件：${m.file.name}` : '',
          '—— 学校建设项目管理系统（自动发送，请勿直接回复）',
        ]
          .filter((l, i, a) => l !== '' || (i > 0 && a[i - 1] !== ''))
          .join('\n');
        if (m.file)
          payload.file = { path: m.file.path, name: m.file.name, sizeBytes: m.file.sizeBytes };
      }
      const r = await em
        .createQueryBuilder()
        .insert()
        .into(AlertDelivery)
        .values({
          alertId: null,
          target,
          format: c.kind,
          stateKey: m.key.slice(0, 80),
          payload: JSON.stringify(payload),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now.toISOString(),
          lockedUntil: null,
          lastError: null,
          createdAt: now.toISOString(),
          sentAt: null,
          channelId: c.id,
          regionId: m.regionId,
          topic: m.topic,
          title: m.title.slice(0, 200),
          progress: null,
        })
        .execute();
      ids.push(Number((r.identifiers[0] as { id: number }).id));
    }
    return ids;
  }

  /** Sends what was queued without waiting for the next pass (after the queueing transaction). */
  kick(): void {
    // ALERT_DELIVERY_INTERVAL_MS=0: no background delivery (tests drive the worker)
    if (this.config.alerts.deliveryIntervalMs <= 0) return;
    void this.worker.runOnce().catch((e: unknown) => this.logger.error(String(e)));
  }

  // ---- 发送记录 -------------------------------------------------------------------------------

  async deliveries(actor: Actor, q: DeliveriesQuery): Promise<DeliveryPageView> {
    const w = pageWindow(q.page, q.pageSize);
    const qb = this.db.read.getRepository(AlertDelivery).createQueryBuilder('d');
    if (q.regionId) {
      // the region and every region below it (清远市 includes 连南's rows)
      const region = await this.regions.findInScope(actor, q.regionId);
      qb.where('d.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :path)', {
        path: `${region.path}%`,
      });
    } else {
      const scope = await this.regions.scopePath(actor);
      if (scope)
        qb.where('d.regionId IN (SELECT r.id FROM region r WHERE r.path LIKE :path)', {
          path: `${scope}%`,
        });
    }
    if (q.status) qb.andWhere('d.status = :st', { st: q.status });
    const [rows, total] = await qb
      .orderBy('d.id', 'DESC')
      .skip(w.offset)
      .take(w.pageSize)
      .getManyAndCount();
    return { items: await this.deliveryViews(rows), total, page: w.page, pageSize: w.pageSize };
  }

  private async deliveryViews(rows: AlertDelivery[]): Promise<DeliveryView[]> {
    const channelIds = [...new Set(rows.flatMap((r) => (r.channelId ? [r.channelId] : [])))];
    const channels = new Map(
      (channelIds.length
        ? await this.db.read.getRepository(NotificationChannel).findBy({ id: In(channelIds) })
        : []
      ).map((c) => [c.id, c]),
    );
    const regionIds = [...new Set(rows.flatMap((r) => (r.regionId ? [r.regionId] : [])))];
    const names = await this.regions.names(regionIds);
    const payloads = new Map(rows.map((r) => [r.id, JSON.parse(r.payload) as ChannelPayload]));
    const tokens = [...payloads.values()].flatMap((p) => (p.link ? [p.link.token] : []));
    const links = new Map(
      (tokens.length
        ? await this.db.read.getRepository(SharedLink).findBy({ token: In(tokens) })
        : []
      ).map((l) => [l.token, l]),
    );
    return rows.map((r) => {
      const c = r.channelId ? channels.get(r.channelId) : undefined;
      const link = payloads.get(r.id)?.link;
      const l = link ? links.get(link.token) : undefined;
      return {
        id: r.id,
        regionId: r.regionId,
        regionName: r.regionId ? (names.get(r.regionId) ?? null) : null,
        channelId: r.channelId,
        channelKind: r.channelId
          ? (c?.kind ?? (r.format as ChannelKind))
          : r.format === 'none'
            ? 'none'
            : 'webhook',
        channelLabel: r.channelId
          ? c
            ? (c.name ?? (c.kind === 'email' ? c.recipients.join('、') : (maskUrl(c.url) ?? '')))
            : '（已删除的渠道）'
          : r.format === 'none'
            ? '未设置通知渠道'
            : (maskUrl(r.target) ?? ''),
        topic: r.topic,
        topicLabel: r.topic ? (TOPIC_LABELS[r.topic] ?? r.topic) : '预警（全局）',
        title: r.title,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status],
        attempts: r.attempts,
        lastError: r.lastError,
        createdAt: r.createdAt,
        sentAt: r.sentAt,
        nextAttemptAt: r.nextAttemptAt,
        link: l && link ? this.linkView(l, link.url) : null,
      };
    });
  }

  // ---- shared links ---------------------------------------------------------------------------

  private linkView(l: SharedLink, url?: string): SharedLinkView {
    return {
      token: l.token,
      url: url ?? `${this.config.delivery.publicUrl}/api/shared/${l.token}`,
      fileName: l.fileName,
      expiresAt: l.expiresAt,
      revokedAt: l.revokedAt,
      downloads: l.downloads,
    };
  }

  /** `GET /api/shared/:token`: the file, or 410 once expired or revoked; every request logged. */
  async openShared(
    token: string,
    who: { ip: string | null; userAgent: string | null },
  ): Promise<{ file: string; name: string }> {
    const link = await this.db.write.getRepository(SharedLink).findOneBy({ token });
    if (!link) throw new NotFound('下载链接');
    const now = this.clock.now().toISOString();
    const refused = link.revokedAt ? 'LINK_REVOKED' : link.expiresAt <= now ? 'LINK_EXPIRED' : null;
    await this.db.transaction(async (em) => {
      await em.insert(SharedLinkDownload, {
        token,
        at: now,
        status: refused ? 410 : 200,
        ip: who.ip?.slice(0, 60) ?? null,
        userAgent: who.userAgent?.slice(0, 300) ?? null,
      });
      if (!refused)
        await em
          .createQueryBuilder()
          .update(SharedLink)
          .set({ downloads: () => 'downloads + 1' })
          .where('token = :token', { token })
          .execute();
    });
    if (refused) throw new AppError(HttpStatus.GONE, refused);
    return { file: path.join(this.config.submissionsDir, link.filePath), name: link.fileName };
  }

  /** `DELETE /api/shared/:token`: the link answers 410 from now on (audited). */
  async revoke(actor: Actor, token: string): Promise<SharedLinkView> {
    const link = await this.db.write.getRepository(SharedLink).findOneBy({ token });
    if (!link || !(await this.regions.holds(actor, link.regionId))) throw new NotFound('下载链接');
    if (link.revokedAt) return this.linkView(link);
    const now = this.clock.now().toISOString();
    await this.db.transaction(async (em) => {
      await em.update(SharedLink, token, { revokedAt: now, revokedBy: actor.username });
      await this.audit.record(em, actor, {
        action: 'revoke',
        entity: 'shared_link',
        entityId: link.submissionId,
        changes: {
          revokedAt: { old: null, new: now },
          fileName: { old: link.fileName, new: null },
        },
      });
    });
    return this.linkView({ ...link, revokedAt: now, revokedBy: actor.username });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private check(c: ChannelDto, i: number, byId: Map<number, NotificationChannel>) {
    const at = (f: string) => `channels[${i}].${f}`;
    const errors = [];
    const old = c.id !== undefined ? byId.get(c.id) : undefined;
    if (c.id !== undefined && !old) errors.push(fieldError(at('id'), 'CHANNEL_NOT_FOUND'));
    if (!c.topics.length) errors.push(fieldError(at('topics'), 'CHANNEL_TOPICS_REQUIRED'));
    if (c.kind === 'email') {
      const list = (c.recipients ?? []).map((r) => r.trim());
      if (!list.length || list.some((r) => !EMAIL.test(r)))
        errors.push(fieldError(at('recipients'), 'CHANNEL_RECIPIENTS_REQUIRED'));
    } else {
      const url = this.urlOf(c, old);
      const secret = c.secret?.trim();
      if (c.kind === 'dingtalk' && secret && !DINGTALK_SECRET.test(secret))
        errors.push(fieldError(at('secret'), 'CHANNEL_SECRET_FORMAT'));
      const problem =
        url === MASK
          ? 'CHANNEL_URL_MASKED'
          : robotUrlProblem(c.kind, url, this.config.delivery.robotOrigins);
      if (problem) {
        const e = fieldError(at('url'), problem);
        errors.push({ ...e, message: this.originWords(problem) ?? e.message });
      }
    }
    return errors;
  }

  /**
   * CHANNEL_URL_ORIGIN where ROBOT_ORIGINS is not the default: the origins actually allowed (the
   * setting replaces the defaults, so the default message would name addresses it refuses).
   */
  private originWords(problem: string): string | undefined {
    const origins = this.config.delivery.robotOrigins;
    const isDefault =
      origins.length === DEFAULT_ROBOT_ORIGINS.length &&
      DEFAULT_ROBOT_ORIGINS.every((o) => origins.includes(o));
    if (problem !== 'CHANNEL_URL_ORIGIN' || isDefault) return undefined;
    return `机器人地址须以本系统允许的地址开头：${origins.join('、')}（由运维在 ROBOT_ORIGINS 中设置）`;
  }

  /**
   * The address a saved item stands for: none sent (or empty) or exactly the masked form answered
   * keeps the stored one; anything else with the mask in it is an edit of the masked text, which
   * cannot be applied (`MASK` → 400 CHANNEL_URL_MASKED); otherwise the new address.
   */
  private urlOf(c: ChannelDto, old: NotificationChannel | undefined): string | null {
    const sent = c.url?.trim() ?? '';
    const stored = old?.kind === c.kind ? old.url : null;
    if (!sent) return stored;
    if (!sent.includes(MASK)) return sent;
    return stored && sent === maskUrl(stored) ? stored : MASK;
  }

  /** A channel as the audit log keeps it: no secret, the URL masked. */
  private auditShape(c: NotificationChannel) {
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      url: maskUrl(c.url),
      hasSecret: !!c.secret,
      recipients: c.recipients,
      topics: c.topics,
    };
  }

  private view(c: NotificationChannel): ChannelView {
    return {
      id: c.id,
      kind: c.kind,
      kindLabel: CHANNEL_KIND_LABELS[c.kind],
      name: c.name,
      url: maskUrl(c.url),
      hasSecret: !!c.secret,
      recipients: c.recipients,
      topics: c.topics,
      updatedAt: c.updatedAt,
    };
  }

  private async viewOf(region: Region): Promise<RegionChannelsView> {
    const own = await this.db.read
      .getRepository(NotificationChannel)
      .find({ where: { regionId: region.id }, order: { id: 'ASC' } });
    let alertsFrom: RegionChannelsView['alertsFrom'] = null;
    if (!own.length) {
      let parentId = region.parentId;
      while (parentId !== null) {
        const p = await this.db.read.getRepository(Region).findOneBy({ id: parentId });
        if (!p) break;
        if (await this.db.read.getRepository(NotificationChannel).existsBy({ regionId: p.id })) {
          alertsFrom = { regionId: p.id, regionName: p.name };
          break;
        }
        parentId = p.parentId;
      }
    }
    return {
      regionId: region.id,
      regionName: region.name,
      channels: own.map((c) => this.view(c)),
      alertsFrom,
      emailConfigured: !!this.config.delivery.smtpUrl,
    };
  }
}
