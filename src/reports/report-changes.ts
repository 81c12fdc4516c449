/**
 * 本月变动's wording: the month's business-dated events (事项, 内容) and the typed changes of the
 * audit log (录入更正) as lines in words. Pure: the writer puts the lines in cells; checked in
 * report-changes.spec.ts.
 */
import { dayjs } from '../common/dates';
import { displayFen, displayWan } from '../common/money-display';
import {
  ACTION_LABELS,
  actionText,
  actorLabel,
  ChangeContext,
  changeLines,
  ENTITY_LABELS,
  FIELD_LABELS,
  importLine,
  WORDS,
} from '../common/vocabulary';
import { SOURCE_LABELS } from '../funding/funding.entities';
import { STATUS_LABELS } from '../projects/project-rules';
import type { MonthEvent, ReportData } from './report-data.service';

/** The month's typed changes (录入更正) as rows in words; an import or the first load is one row. */
export function changeRows(
  d: Pick<ReportData, 'timeZone' | 'regionNames' | 'planNames' | 'changes'>,
): {
  at: string;
  project: string;
  actor: string;
  action: string;
  text: string;
}[] {
  const minute = (iso: string) => dayjs(iso).tz(d.timeZone).format('YYYY-MM-DD HH:mm');
  const ctx: ChangeContext = {
    money: displayWan,
    regionName: (id) => d.regionNames.get(id),
    planName: (id) => d.planNames.get(id),
    dateTime: minute,
  };
  const out: ReturnType<typeof changeRows> = [];
  let batch: {
    action: 'import' | 'seed';
    actorName: string;
    at: string;
    created: number;
    updated: number;
  } | null = null;
  for (const c of d.changes) {
    const at = minute(c.at);
    const actor = actorLabel(c.actorName, c.actorDisplayName);
    if ((c.action === 'import' || c.action === 'seed') && c.entity === 'project') {
      // One line per import (its rows stay in the audit log, each project's 变更记录 and the
      // import job's result). An import's rows share one instant; the first load's rows come
      // one after another.
      if (
        !batch ||
        batch.action !== c.action ||
        batch.actorName !== c.actorName ||
        (c.action === 'import' && batch.at !== c.at)
      ) {
        batch = { action: c.action, actorName: c.actorName, at: c.at, created: 0, updated: 0 };
        out.push({ at, project: '', actor, action: ACTION_LABELS[c.action], text: '' });
      }
      const created = 'name' in c.changes && c.changes.name.old === null;
      if (created) batch.created++;
      else batch.updated++;
      const row = out[out.length - 1];
      row.project = `${batch.created + batch.updated}个项目`;
      row.text = importLine(batch.action, batch);
      continue;
    }
    batch = null;
    out.push({
      at,
      project: c.projectName ?? (ENTITY_LABELS as Record<string, string>)[c.entity] ?? '',
      actor,
      action: actionText(c.action, c.entity),
      text: changeLines(c.entity, c.changes, ctx).join('；'),
    });
  }
  return out;
}

/** A business-dated change as 事项 and 内容. */
export function eventText(e: MonthEvent): [string, string][] {
  switch (e.kind) {
    case 'report': {
      const out: [string, string][] = [];
      if (e.previous !== e.status)
        out.push([
          '状态变更',
          `${STATUS_LABELS[e.previous ?? 'planned']} → ${STATUS_LABELS[e.status]}`,
        ]);
      const inv =
        e.investmentFen === null ? '' : `，累计完成投资 ${displayFen(e.investmentFen)} 万元`;
      out.push([
        ENTITY_LABELS.progress_report,
        `状态 ${STATUS_LABELS[e.status]}，形象进度 ${e.progressPercent}%${inv}`,
      ]);
      return out;
    }
    case 'milestone':
      return [['里程碑完成', e.name]];
    case 'committed':
      return [['资金落实', `${SOURCE_LABELS[e.source]} ${displayFen(e.amountFen)} 万元`]];
    case 'received':
      return [['资金到位', `${SOURCE_LABELS[e.source]} ${displayFen(e.amountFen)} 万元`]];
    case 'payment':
      return [['支付', `${e.payee ? `${e.payee} ` : ''}${displayFen(e.amountFen)} 万元`]];
    case 'revision':
      return [
        [
          '概算调整',
          `资金测算调整为 ${displayFen(e.budgetFen)} 万元${e.reason ? `（${e.reason}）` : ''}`,
        ],
      ];
    case 'withdrawal': {
      // 更正：撤回 2026-11-20 进度填报（在建，形象进度 20%），原因：…
      const what =
        e.entity === 'progress_report'
          ? `${e.status ? STATUS_LABELS[e.status] : ''}，${FIELD_LABELS.progressPercent} ${e.progressPercent ?? 0}%`
          : `${FIELD_LABELS.budgetWan} ${e.budgetFen === null ? '' : displayFen(e.budgetFen)} 万元`;
      return [
        [
          WORDS.correction,
          `${ACTION_LABELS.withdraw} ${e.on} ${ENTITY_LABELS[e.entity]}（${what}），${FIELD_LABELS.reason}：${e.reason}`,
        ],
      ];
    }
  }
}
