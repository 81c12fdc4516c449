import { ApiProperty } from '@nestjs/swagger';
import { PageView } from '../../common/page.view';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../alert.entities';
import type { ChannelKind, ChannelTopic } from '../channel.entities';

/** A channel as 通知设置 shows it: the URL's key masked, the secret never. */
export class ChannelView {
  id: number;
  kind: ChannelKind;
  /** 企业微信群机器人 · 钉钉群机器人 · 邮件 */
  kindLabel: string;
  name: string | null;
  /** The webhook URL with its key / access_token masked (••••), or null for e-mail. */
  url: string | null;
  /** Whether a 加签 secret is stored (it is never answered). */
  hasSecret: boolean;
  recipients: string[];
  topics: ChannelTopic[];
  updatedAt: string;
}

/** `GET|PUT /api/regions/:id/channels`. */
export class RegionChannelsView {
  regionId: number;
  regionName: string;
  channels: ChannelView[];
  /** For alerts: the region whose channels it uses when it has none of its own (null: none / own). */
  alertsFrom: { regionId: number; regionName: string } | null;
  /** Whether SMTP_URL is set (e-mail channels can send). */
  emailConfigured: boolean;
}

/** A download link sent to a 钉钉 group. */
export class SharedLinkView {
  token: string;
  url: string;
  fileName: string;
  expiresAt: string;
  revokedAt: string | null;
  downloads: number;
}

/** One message of the delivery log (发送记录). */
export class DeliveryView {
  id: number;
  regionId: number | null;
  regionName: string | null;
  channelId: number | null;
  /** `none`: a message that found no channel (status `skipped`). */
  channelKind: ChannelKind | 'webhook' | 'none';
  /** The channel's name or masked address. */
  channelLabel: string;
  /** alerts | reminders | submissions | reports | test (null: ALERT_WEBHOOKS of old). */
  topic: string | null;
  topicLabel: string;
  title: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;
  /** 待发送 · 发送中 · 已发送 · 失败 · 未发送 · 已取消 */
  statusLabel: string;
  attempts: number;
  /** The receiver's own answer to the last failed attempt (e.g. 企业微信 errcode 93000). */
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
  /** The 钉钉 download link this message carries. */
  link: SharedLinkView | null;
}

export class DeliveryPageView extends PageView {
  items: DeliveryView[];
}
