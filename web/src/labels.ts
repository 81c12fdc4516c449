/**
 * The Chinese words of the API's values (docs/domain.md, docs/api.md): the one vocabulary (src/common/vocabulary.ts),
 * shared with the server and the workbooks, plus the screen's tag colours.
 */
import {
  ALERT_KIND_LABELS as VOCAB_ALERT_KINDS,
  ALERT_STATE_LABELS as VOCAB_ALERT_STATES,
  PROJECT_KIND_LABELS as VOCAB_PROJECT_KINDS,
  SEVERITY_LABELS as VOCAB_SEVERITIES,
  SOURCE_LABELS as VOCAB_SOURCES,
  STAGE_LABELS as VOCAB_STAGES,
  STATUS_LABELS as VOCAB_STATUSES,
} from '../../src/common/vocabulary';

export {
  ledgerUnits,
  PLAN_WORDS,
  planStanding,
  QUALIFIER_BEFORE,
  SEAT_LABELS,
  SEVERITY_SHORT,
  WORDS,
} from '../../src/common/vocabulary';

export const STATUS_LABELS: Record<string, string> = VOCAB_STATUSES;
export const STATUS_TAG: Record<string, 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  planned: 'info',
  preparing: 'warning',
  under_construction: 'primary',
  completed: 'success',
  in_use: 'success',
  suspended: 'danger',
  cancelled: 'info',
};
export const PROJECT_KIND_LABELS: Record<string, string> = VOCAB_PROJECT_KINDS;
export const STAGE_LABELS: Record<string, string> = VOCAB_STAGES;
export const SEVERITY_LABELS: Record<string, string> = VOCAB_SEVERITIES;
/** 红/黄/蓝 tags: always with their word, the colour only repeats it. */
export const ALERT_TAG: Record<string, 'danger' | 'warning' | 'primary'> = {
  red: 'danger',
  yellow: 'warning',
  blue: 'primary',
};
export const ALERT_KIND_LABELS: Record<string, string> = VOCAB_ALERT_KINDS;
export const ALERT_STATE_LABELS: Record<string, string> = VOCAB_ALERT_STATES;
export const SOURCE_LABELS: Record<string, string> = VOCAB_SOURCES;

/**
 * The password rule as the server applies it (src/auth/password-policy.ts), said once for every
 * screen that sets one.
 */
export const PASSWORD_RULE =
  '密码至少10位，不能包含用户名，不能使用常见密码或 1111、1234 这类重复、连续的字母、数字';
