import { ElMessageBox } from 'element-plus';
import { onBeforeUnmount, onMounted } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { MESSAGES } from '../../src/common/messages';

/** The one question before a half-filled form is left (issue 30 point 1). */
export const LEAVE_QUESTION = '有未提交的内容，确定离开吗？';

/** Asks; true when the officer chooses to leave (and drop what was typed). */
export async function confirmLeave(): Promise<boolean> {
  try {
    await ElMessageBox.confirm(LEAVE_QUESTION, '提示', {
      confirmButtonText: '离开',
      cancelButtonText: '继续填写',
      type: 'warning',
    });
    return true;
  } catch {
    return false;
  }
}

/** A form's values as text, to tell whether anything was typed since it was filled in. */
export const snapshot = (v: object): string => JSON.stringify(v);

/**
 * A view with forms asks before a route change, a reload or a close while `dirty()` (the browser's
 * own question on reload and close: a page may not word it). Works in any component under the route.
 */
export function useLeaveGuard(dirty: () => boolean): void {
  const onUnload = (e: BeforeUnloadEvent) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = '';
  };
  onMounted(() => window.addEventListener('beforeunload', onUnload));
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onUnload));
  onBeforeRouteLeave(async () => !dirty() || (await confirmLeave()));
}

/** A dialog's close (×, Esc, 取消): asks first when something was typed. */
export async function closeIfConfirmed(dirty: boolean, close: () => void): Promise<void> {
  if (!dirty || (await confirmLeave())) close();
}

/** Full-width digits (a Chinese input method) as ASCII: "３５" → "35". */
export const asciiDigits = (text: string): string =>
  text.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** 形象进度 as typed: whole percent 0–100, or the message to show under the field. */
export function percentProblem(text: string): string | null {
  const t = asciiDigits(text);
  return /^\d{1,3}$/.test(t) && Number(t) <= 100 ? null : MESSAGES.PROGRESS_PERCENT_INVALID;
}

/**
 * 进度填报's own checks before anything is sent (the desktop tab and the phone form alike): a
 * message by field, the values left as typed.
 */
export function reportProblems(
  form: { reportedOn: string; status: string; progressPercent: string },
  nextStatuses: readonly string[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!form.reportedOn) out.reportedOn = '请选择填报日期';
  if (!form.status || !nextStatuses?.includes(form.status)) out.status = MESSAGES.STATUS_REQUIRED;
  const percent = percentProblem(form.progressPercent);
  if (percent) out.progressPercent = percent;
  return out;
}

/** 形象进度 checked as it is left: its message set or cleared, the rest of `errors` kept. */
export function checkPercentField(errors: Record<string, string>, text: string): void {
  const problem = percentProblem(text);
  if (problem) errors.progressPercent = problem;
  else delete errors.progressPercent;
}

/** A whole number typed into a text box (年度, 学位): digits only, no clamping; null when blank. */
export function wholeNumber(text: string): number | null | 'bad' {
  const t = asciiDigits(text);
  if (t === '') return null;
  return /^\d{1,9}$/.test(t) ? Number(t) : 'bad';
}

export { MESSAGES };
