import { printedDate } from '../alerts/alert-rules';
import type { ChannelMessage } from '../alerts/channels.service';
import { displayWan } from '../common/money-display';
import type { Region } from '../regions/region.entity';
import type { Submission } from './submission.entities';
import type { SubmissionSnapshot } from './submission-types';

/** The workbook's file name as the download and every channel carry it. */
export function workbookName(regionName: string, month: string, seq: number): string {
  return `${regionName}学校建设项目月度进展报表-${month}-第${seq}次报送.xlsx`;
}

/** The key figures of a frozen workbook, in message lines (exact 万元, rounded once for display). */
export function figureLines(snapshot: SubmissionSnapshot): string[] {
  const r = snapshot.regions[0];
  if (!r) return [];
  return [
    `> 项目：${r.projectTotal}个（逾期${r.overdue}个）`,
    `> 资金测算：${displayWan(r.budgetWan)}万元`,
    `> 已落实：${displayWan(r.committedWan)}万元；已到位：${displayWan(r.arrivedWan)}万元`,
    `> 已支付：${displayWan(r.paidWan)}万元；资金缺口：${displayWan(r.gapWan)}万元`,
  ];
}

/** `> 强制报送（14 处错误）：说明…` for a forced submission; none otherwise. */
export function forcedLines(
  s: Partial<Pick<Submission, 'forced' | 'forceNote' | 'checks'>>,
): string[] {
  if (!s.forced) return [];
  const errors = (s.checks ?? []).filter((c) => c.level === 'error').length;
  return [`> 强制报送（${errors} 处错误）：${s.forceNote?.trim() || '未填写说明'}`];
}

export type CycleAction = 'submit' | 'withdraw' | 'approve' | 'return' | 'reopen';

/**
 * The messages a move of the cycle queues (docs/domain.md, 通知): `submissions` to the other party
 * (a submission or withdrawal to the parent region, a review's result to the region), and on
 * approval the workbook itself to the `reports` channels of the region and of its reviewer.
 */
export function cycleMessages(
  action: CycleAction,
  s: Pick<Submission, 'id' | 'month' | 'seq' | 'filePath' | 'snapshot'> &
    Partial<Pick<Submission, 'forced' | 'forceNote' | 'checks'>>,
  region: Pick<Region, 'id' | 'name' | 'parentId'>,
  /** The actor's 姓名 (the username when none). */
  actorName: string,
  reason: string | null,
  file: { sizeBytes: number },
  eventId: number,
): ChannelMessage[] {
  const month = printedDate(s.month);
  const head = `${region.name} ${month}月报`;
  const toParent = (title: string, lines: string[]): ChannelMessage[] =>
    region.parentId === null
      ? []
      : [
          {
            regionId: region.parentId,
            topic: 'submissions',
            key: `cycle:${eventId}`,
            title,
            lines,
          },
        ];
  const toRegion = (title: string, lines: string[]): ChannelMessage => ({
    regionId: region.id,
    topic: 'submissions',
    key: `cycle:${eventId}`,
    title,
    lines,
  });
  switch (action) {
    case 'submit':
      return toParent(`【月报已报送】${head}`, [
        `> ${region.name}已报送${month}月报（第${s.seq}次报送），请审核。`,
        `> 报送人：${actorName}`,
        ...forcedLines(s),
        ...figureLines(s.snapshot),
      ]);
    case 'withdraw':
      return toParent(`【月报已撤回】${head}`, [
        `> ${region.name}撤回了${month}月报，待重新报送后再审核。`,
        `> 操作人：${actorName}`,
      ]);
    case 'return':
    case 'reopen':
      return [
        toRegion(`【月报被退回】${head}`, [
          `> ${month}月报被上级${action === 'reopen' ? '重新打开' : '退回'}，请修改后重新报送。`,
          `> 原因：${reason ?? ''}`,
          `> 审核人：${actorName}`,
        ]),
      ];
    case 'approve': {
      const name = workbookName(region.name, s.month, s.seq);
      const report = (regionId: number): ChannelMessage => ({
        regionId,
        topic: 'reports',
        key: `report:${s.id}:${s.seq}`,
        title: `【月报】${head}（已审核通过）`,
        lines: [
          `> 地区：${region.name}`,
          `> 月份：${month}`,
          `> 状态：已审核通过（审核人：${actorName}）`,
          ...forcedLines(s),
          ...figureLines(s.snapshot),
        ],
        file: { submissionId: s.id, path: s.filePath, name, sizeBytes: file.sizeBytes },
      });
      return [
        toRegion(`【月报已通过】${head}`, [`> ${month}月报已审核通过。`, `> 审核人：${actorName}`]),
        report(region.id),
        ...(region.parentId === null ? [] : [report(region.parentId)]),
      ];
    }
  }
}
