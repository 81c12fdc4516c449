/**
 * The audit trail in words (变更记录, 审计日志): the one vocabulary's field, action and entity names
 * and its rules for values (src/common/vocabulary.ts), with this screen's money formatter.
 */
import { money } from './format';
import {
  ACTION_LABELS as VOCAB_ACTIONS,
  actionText as vocabActionText,
  actorLabel,
  changeLines,
  changeObject,
  ENTITY_LABELS as VOCAB_ENTITIES,
  entityText as vocabEntityText,
  FIELD_LABELS as VOCAB_FIELDS,
} from '../../src/common/vocabulary';

export const FIELD_LABELS: Record<string, string> = VOCAB_FIELDS;
export const ACTION_LABELS: Record<string, string> = VOCAB_ACTIONS;
export const ENTITY_LABELS: Record<string, string> = VOCAB_ENTITIES;

const localTime = (iso: string) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** An audit entry's changes, one line per field in words: 状态：在建 → 已竣工. */
export function describeChanges(
  changes: Record<string, { old: unknown; new: unknown }> | null,
  regionNames: Map<number, string>,
  entity = 'project',
): string[] {
  return changeLines(entity, changes, {
    money: (v) => money(v),
    regionName: (id) => regionNames.get(id),
    dateTime: localTime,
  });
}

/**
 * What an entry is about (审计日志's 对象): 用户「张科员（zhang）」, 项目「石泉中学」 when the API names it
 * (`objectName`), else 通知渠道（连南瑶族自治县）, 月报报送 12.
 */
export const entityText = (
  entity: string,
  entityId: number | null,
  regionNames: Map<number, string>,
  objectName?: string | null,
) =>
  objectName
    ? changeObject(entity, objectName)
    : vocabEntityText(entity, entityId, {
        money: (v) => money(v),
        regionName: (id) => regionNames.get(id),
      });

/** Who did it: 姓名（用户名） when the user has a 姓名; the seed and the scheduler act as 系统. */
export const actorText = (name: string, displayName?: string | null) =>
  actorLabel(name, displayName);

/**
 * The lines of a project's 变更记录, each naming its object: 里程碑「开工」：计划时间：2026-03 → 2026-04.
 * A milestone is named by the API's `objectName`, else by the name the entry itself carries.
 */
export function objectChangeLines(
  entry: {
    entity: string;
    objectName?: string | null;
    changes: Record<string, { old: unknown; new: unknown }> | null;
  },
  regionNames: Map<number, string>,
): string[] {
  const carried = entry.changes?.name?.new ?? entry.changes?.name?.old;
  const name =
    entry.entity === 'milestone'
      ? (entry.objectName ?? (typeof carried === 'string' ? carried : null))
      : null;
  const head = changeObject(entry.entity, name);
  return describeChanges(entry.changes, regionNames, entry.entity).map((l) => `${head}：${l}`);
}

/** What was done to what: 新增资金, 进度填报项目. */
export const actionText = (action: string, entity: string) => vocabActionText(action, entity);
