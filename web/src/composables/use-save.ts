import { ElMessage } from 'element-plus';
import { ref, type Ref } from 'vue';
import { ApiError, type FieldError } from '../api';
import { errorText } from '../screen';

/**
 * What a refused write does on the screen. Every form's 保存 / 确定 / 提交 goes through one
 * {@link useSave}, so a refusal reads the same everywhere:
 * - a 409 that says someone saved first (VERSION_CONFLICT, STALE_PROGRESS and any other STALE_*:
 *   {@link isStale}) goes to `conflict`, which reloads the record and says so (each screen keeps its
 *   own words and what it shows beside the kept entries);
 * - any other 409 is nobody's newer save but a rule (PERIOD_SUBMITTED: the date falls in a submitted
 *   month; SUBMISSION_OPENED: 上级已开始审核，不能撤回; SUBMISSION_STATE; DUPLICATE …): the fields it
 *   names are marked like a 400's, else its own message is shown; then `refused` (a reload) runs;
 * - an answer naming fields (a 400 `errors[]`) marks those fields: into the form's error record
 *   (cleared first, `errors[path] = message`), or to a function that shows them another way;
 * - anything else: the API's own message, else `failText`.
 */
export interface SaveFailure {
  /** The words when the API gives none (a network failure): 保存失败, 提交失败 … */
  failText: string;
  /** The form's field errors by path, or what to do with the fields an answer names. */
  fields?: Record<string, string> | ((errors: FieldError[]) => void | Promise<void>);
  /** A 409. Without it a 409 is treated as any other refusal. */
  conflict?: (e: ApiError) => void | Promise<void>;
  /** After a 409 that is not a stale version was shown (the state forbade it): e.g. a reload. */
  refused?: (e: ApiError) => void | Promise<void>;
}

/** A 409 saying someone else saved first (a stale `version`, a newer report): not a rule refusing. */
export const isStale = (e: unknown): e is ApiError =>
  e instanceof ApiError &&
  e.status === 409 &&
  (e.code === 'VERSION_CONFLICT' || e.code.startsWith('STALE_'));

/** The messages of the fields an answer names, in one line (a dialog with one field). */
export const fieldMessages = (errors: FieldError[]): string =>
  errors.map((f) => f.message).join('；');

/** Empties a form's error record (its keys deleted: the record stays the one the template reads). */
export function clearErrors(errors: Record<string, string>): void {
  for (const k of Object.keys(errors)) delete errors[k];
}

/** Shows a refused write as {@link SaveFailure} says (also for writes that keep no pending state). */
export async function showFailure(e: unknown, how: SaveFailure): Promise<void> {
  if (isStale(e) && how.conflict) return how.conflict(e);
  await shown(e, how);
  if (e instanceof ApiError && e.status === 409 && how.refused) await how.refused(e);
}

async function shown(e: unknown, how: SaveFailure): Promise<void> {
  const fields = how.fields;
  if (fields && typeof fields === 'object') clearErrors(fields);
  if (fields && e instanceof ApiError && e.errors.length) {
    if (typeof fields === 'function') return fields(e.errors);
    for (const f of e.errors) fields[f.path] = f.message;
    return;
  }
  ElMessage.error(errorText(e, how.failText));
}

export interface Save {
  /** True from the click until the answer: the button shows it (`:loading`, `:disabled`). */
  pending: Ref<boolean>;
  /**
   * Runs one write (and what follows its success) unless one is already waiting: one write per
   * click. The write's POST carries a fresh Idempotency-Key (api.ts `post`), so a repeat the server
   * already answered writes nothing. True when it went through.
   */
  run: (write: () => Promise<unknown>, how: SaveFailure) => Promise<boolean>;
}

/** One form's (or one button's) write: its pending state and how a refusal is shown. */
export function useSave(): Save {
  const pending = ref(false);
  async function run(write: () => Promise<unknown>, how: SaveFailure): Promise<boolean> {
    if (pending.value) return false;
    pending.value = true;
    try {
      await write();
      return true;
    } catch (e) {
      await showFailure(e, how);
      return false;
    } finally {
      pending.value = false;
    }
  }
  return { pending, run };
}
