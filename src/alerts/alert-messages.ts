import { WebhookTarget } from '../config/app-config';
import { ALERT_KIND_LABELS, AlertKind, AlertState, Severity, SEVERITY_LABELS } from './alert-rules';

/** What a message needs to know about one alert. */
export interface AlertNotice {
  id: number;
  kind: AlertKind;
  severity: Severity;
  state: AlertState;
  projectId: number;
  projectName: string;
  milestoneId: number | null;
  regionId: number;
  regionName: string;
  daysOverdue: number;
  owner: string | null;
  message: string;
}

const WECOM_COLOR: Record<Severity, string> = { red: 'warning', yellow: 'comment', blue: 'info' };
const DINGTALK_COLOR: Record<Severity, string> = {
  red: '#D9001B',
  yellow: '#E6A23C',
  blue: '#1E6FFF',
};

function lateText(n: AlertNotice): string {
  if (n.kind === 'no_progress') return ALERT_KIND_LABELS.no_progress;
  return n.daysOverdue > 0 ? `已逾期${n.daysOverdue}天` : `还有${-n.daysOverdue}天到期`;
}

function lines(n: AlertNotice): string[] {
  return [
    `> 地区：${n.regionName}`,
    `> 项目：${n.projectName}`,
    `> 情况：${n.message.replace(`${n.regionName} ${n.projectName}`, '').replace(/^[：「]/, (c) => (c === '：' ? '' : c))}`,
    `> 逾期：${lateText(n)}`,
    `> 责任人：${n.owner ?? '未指定'}`,
  ];
}

function alertTitle(n: AlertNotice): string {
  return `【${SEVERITY_LABELS[n.severity]}预警】${ALERT_KIND_LABELS[n.kind]}：${n.projectName}`;
}

/** The request body for one alert, in the webhook's own format. */
export function alertPayload(format: WebhookTarget['format'], n: AlertNotice): object {
  const title = alertTitle(n);
  switch (format) {
    case 'wecom':
      // 企业微信群机器人: {"msgtype":"markdown","markdown":{"content":"…"}} (content ≤ 4096 bytes)
      return {
        msgtype: 'markdown',
        markdown: {
          content: [
            `### <font color="${WECOM_COLOR[n.severity]}">${title}</font>`,
            ...lines(n),
          ].join('\n'),
        },
      };
    case 'dingtalk':
      // 钉钉群机器人: {"msgtype":"markdown","markdown":{"title":"…","text":"…"}}
      return {
        msgtype: 'markdown',
        markdown: {
          title,
          text: [
            `### <font color="${DINGTALK_COLOR[n.severity]}">${title}</font>`,
            ...lines(n),
          ].join('\n\n'),
        },
      };
    case 'generic':
      return { type: 'alert', title, text: n.message, alert: n };
  }
}

/** One message per region instead of one per alert when too many are open at once. */
export function digestPayload(
  format: WebhookTarget['format'],
  regionName: string,
  day: string,
  notices: AlertNotice[],
  openCount: number,
): object {
  const title = `【逾期预警日报】${regionName} ${day}：${openCount}条未确认预警`;
  const bySeverity = (['red', 'yellow', 'blue'] as Severity[])
    .map((s) => `${SEVERITY_LABELS[s]}${notices.filter((n) => n.severity === s).length}条`)
    .join('，');
  const top = [...notices]
    .sort(
      (a, b) =>
        ['red', 'yellow', 'blue'].indexOf(a.severity) -
          ['red', 'yellow', 'blue'].indexOf(b.severity) || b.daysOverdue - a.daysOverdue,
    )
    .slice(0, 15)
    .map((n) => `- 【${SEVERITY_LABELS[n.severity]}】${n.message}`);
  const more =
    notices.length > top.length ? [`…另有${notices.length - top.length}条，请登录系统查看`] : [];
  const body = [`本次新增或升级${notices.length}条（${bySeverity}）`, ...top, ...more];
  switch (format) {
    case 'wecom':
      return {
        msgtype: 'markdown',
        markdown: { content: truncateBytes([`### ${title}`, ...body].join('\n'), 4000) },
      };
    case 'dingtalk':
      return {
        msgtype: 'markdown',
        markdown: { title, text: [`### ${title}`, ...body].join('\n\n') },
      };
    case 'generic':
      return { type: 'digest', title, region: regionName, day, openCount, alerts: notices };
  }
}

/** WeCom refuses markdown over 4096 bytes; cut on a character boundary. */
function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + '…') > maxBytes) break;
    out += ch;
  }
  return `${out}…`;
}
