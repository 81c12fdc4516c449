import { reminderPayload, reminderText } from './reminder-messages';

const base = {
  regionName: '龙川县',
  month: '2026-09',
  dueOn: '2026-10-08',
  byRegionName: '河源市',
};

describe('催报 messages', () => {
  it.each([
    ['manual', '河源市催报：龙川县2026年9月月报尚未报送（截止日期2026年10月8日），请尽快报送。'],
    ['before_3', '龙川县2026年9月月报将于2026年10月8日截止，还有3天，请按时报送。'],
    ['before_1', '龙川县2026年9月月报将于明天（2026年10月8日）截止，请按时报送。'],
    ['after_1', '龙川县2026年9月月报已于2026年10月8日截止，至今未报送，已逾期1天，请尽快报送。'],
  ] as const)('%s says %s', (kind, text) => expect(reminderText({ ...base, kind })).toBe(text));

  it('tells a returned or withdrawn month to send it again, not that it was never sent', () => {
    expect(reminderText({ ...base, kind: 'manual', status: 'returned' })).toBe(
      '河源市催报：龙川县2026年9月月报已退回，请修改后尽快重新报送（截止日期2026年10月8日）。',
    );
    expect(reminderText({ ...base, kind: 'manual', status: 'withdrawn' })).toBe(
      '河源市催报：龙川县2026年9月月报已撤回，请尽快重新报送（截止日期2026年10月8日）。',
    );
  });

  it('speaks each webhook format', () => {
    const n = { ...base, kind: 'after_1' as const };
    const text = reminderText(n);
    expect(reminderPayload('wecom', n)).toEqual({
      msgtype: 'markdown',
      markdown: { content: `### 【逾期催报】龙川县 2026年9月月报\n> ${text}` },
    });
    expect(reminderPayload('dingtalk', n)).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '【逾期催报】龙川县 2026年9月月报',
        text: `### 【逾期催报】龙川县 2026年9月月报\n\n> ${text}`,
      },
    });
    expect(reminderPayload('generic', n)).toEqual({
      type: 'reminder',
      title: '【逾期催报】龙川县 2026年9月月报',
      text,
      reminder: n,
    });
  });
});
