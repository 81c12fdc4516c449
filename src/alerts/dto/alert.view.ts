import { PageView } from '../../common/page.view';
import type { AlertKind, AlertState, Severity } from '../alert-rules';

/** An alert as 预警中心 lists it (stored, or with `asOf` a condition computed live: id null). */
export class AlertView {
  /** null for a condition computed live (`asOf` another day). */
  id: number | null;
  kind: AlertKind;
  severity: Severity;
  projectId: number;
  projectName: string;
  milestoneId: number | null;
  regionId: number;
  daysOverdue: number;
  state: AlertState;
  message: string;
  owner: string | null;
  openedAt: string | null;
  updatedAt: string | null;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** The 姓名 of who acknowledged, when they have one. */
  acknowledgedByDisplayName?: string | null;
  /** What the officer wrote when acknowledging. */
  ackNote: string | null;
  version: number | null;
}

/** 红/黄/蓝: alerts by severity. */
export class SeverityCounts {
  red: number;
  yellow: number;
  blue: number;
}

/** `GET /api/alerts`: a page of alerts and the counts by severity under the other filters. */
export class AlertPageView extends PageView {
  items: AlertView[];
  /** Present when the conditions were computed as of another day. */
  asOf?: string;
  counts: SeverityCounts;
}

/** `POST /api/alerts/scan`: what the scan did. */
export class ScanResultView {
  asOf: string;
  trigger: 'schedule' | 'manual';
  opened: number;
  reopened: number;
  /** Severity rose. */
  escalated: number;
  /** Days or message moved on. */
  updated: number;
  resolved: number;
  unchanged: number;
  /** Alerts open after the scan. */
  open: number;
  /** Webhook messages queued. */
  queued: number;
}
