import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const CHANNEL_KINDS = ['wecom', 'dingtalk', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const CHANNEL_TOPICS = ['alerts', 'reminders', 'submissions', 'reports'] as const;
export type ChannelTopic = (typeof CHANNEL_TOPICS)[number];

/**
 * A region's notification channel (系统管理 → 通知设置, issue 34): a 企业微信 group robot, a 钉钉
 * group robot (with its 加签 secret) or a list of e-mail addresses, and the topics it receives.
 */
@Entity()
export class NotificationChannel {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column('integer')
  regionId: number;

  @Column('varchar', { length: 10 })
  kind: ChannelKind;

  /** What the admin calls it (“局长群”); optional. */
  @Column('varchar', { length: 50, nullable: true })
  name: string | null;

  /** The robot's webhook URL (企业微信, 钉钉); null for e-mail. Never answered in full. */
  @Column('varchar', { length: 500, nullable: true })
  url: string | null;

  /** 钉钉 加签 secret (SEC…): write-only. */
  @Column('varchar', { length: 200, nullable: true })
  secret: string | null;

  @Column('simple-json')
  recipients: string[];

  @Column('simple-json')
  topics: ChannelTopic[];

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;
}

/**
 * A download link sent to a 钉钉 group (robots there cannot send files): serves one frozen workbook
 * without a session until it expires (REPORT_LINK_DAYS) or is revoked.
 */
@Entity()
export class SharedLink {
  @PrimaryColumn('varchar', { length: 64 })
  token: string;

  @Index()
  @Column('integer')
  regionId: number;

  @Column('integer')
  submissionId: number;

  /** Relative to SUBMISSIONS_DIR. */
  @Column('varchar', { length: 500 })
  filePath: string;

  @Column('varchar', { length: 200 })
  fileName: string;

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  expiresAt: string;

  @Column('varchar', { length: 30, nullable: true })
  revokedAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  revokedBy: string | null;

  @Column('integer', { default: 0 })
  downloads: number;
}

/** Every request of a shared link: served (200) or refused (410). */
@Entity()
export class SharedLinkDownload {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column('varchar', { length: 64 })
  token: string;

  @Column('varchar', { length: 30 })
  at: string;

  @Column('integer')
  status: number;

  @Column('varchar', { length: 60, nullable: true })
  ip: string | null;

  @Column('varchar', { length: 300, nullable: true })
  userAgent: string | null;
}
