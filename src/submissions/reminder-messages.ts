import { printedDate } from '../alerts/alert-rules';
import type { WebhookTarget } from '../config/app-config';
import type { ReminderKind } from './reminder.entity';

/** What a reminder says about one region's month. */
export interface ReminderNotice {
  kind: ReminderKind;
  regionName: string;
  month: string;
  dueOn: string;
  /** Who pressed 催报 (the reviewing region), for a manual one. */
  byRegionName: string | null;
  /** The month's submission as it stands, when there is one (a returned or withdrawn month). */
  status?: 'returned' | 'withdrawn' | null;
}

const TITLES: Record<ReminderKind, string> = {
  manual: '【催报】',
  before_3: '【报送提醒】',
  before_1: '【报送提醒】',
  after_1: '【逾期催报】',
};

/** The title's tag: 【催报】, 【报送提醒】 or 【逾期催报】. */
export const reminderTitle = (kind: ReminderKind): string => TITLES[kind];

/** The reminder in one Chinese sentence (also the event's comment). */
export function reminderText(n: ReminderNotice): string {
  const month = printedDate(n.month);
  const due = printedDate(n.dueOn);
  switch (n.kind) {
    case 'manual':
      if (n.status === 'returned')
        return `${n.byRegionName ?? '上级'}催报：${n.regionName}${month}月报已退回，请修改后尽快重新报送（截止日期${due}）。`;
      if (n.status === 'withdrawn')
        return `${n.byRegionName ?? '上级'}催报：${n.regionName}${month}月报已撤回，请尽快重新报送（截止日期${due}）。`;
      return `${n.byRegionName ?? '上级'}催报：${n.regionName}${month}月报尚未报送（截止日期${due}），请尽快报送。`;
    case 'before_3':
      return `${n.regionName}${month}月报将于${due}截止，还有3天，请按时报送。`;
    case 'before_1':
      return `${n.regionName}${month}月报将于明天（${due}）截止，请按时报送。`;
    case 'after_1':
      return `${n.regionName}${month}月报已于${due}截止，至今未报送，已逾期1天，请尽快报送。`;
  }
}

/** The webhook body for one reminder, in the target's own format (as alerts: docs/alerts.md). */
export function reminderPayload(format: WebhookTarget['format'], n: ReminderNotice): object {
  const title = `${TITLES[n.kind]}${n.regionName} ${printedDate(n.month)}月报`;
  const text = reminderText(n);
  switch (format) {
    case 'wecom':
      return {
        msgtype: 'markdown',
        markdown: { content: [`### ${title}`, `> ${text}`].join('\n') },
      };
    case 'dingtalk':
      return {
        msgtype: 'markdown',
        markdown: { title, text: [`### ${title}`, `> ${text}`].join('\n\n') },
      };
    case 'generic':
      return {
        type: 'reminder',
        title,
        text,
        reminder: { ...n },
      };
  }
}
