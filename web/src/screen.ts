/** What the screens share: their URL query, and an API failure in words. */
import { onMounted, ref, watch, type Ref } from 'vue';
import type { RouteLocationNormalizedLoaded, Router } from 'vue-router';
import { ApiError } from './api';

/** The message to show for a failed call: the API's own (Chinese) one, else `fallback`. */
export const errorText = (e: unknown, fallback: string): string =>
  e instanceof ApiError ? e.message : fallback;

/** One query parameter as a string ('' when absent or repeated). */
export const param = (route: RouteLocationNormalizedLoaded, key: string): string => {
  const v = route.query[key];
  return typeof v === 'string' ? v : '';
};

/** A YYYY-MM-DD parameter, or `fallback`. */
export const dayParam = (
  route: RouteLocationNormalizedLoaded,
  key: string,
  fallback: string,
): string => {
  const v = param(route, key);
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : fallback;
};

/**
 * Puts a screen's state in the URL, blank values left out: a link or a reload shows the same.
 * `again`: what 查询 does when the URL already says exactly that (the router would do nothing) —
 * the screen's load, so that 查询 always asks the server again.
 */
export function pushQuery(router: Router, q: Record<string, unknown>, again?: () => unknown): void {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(q))
    if (v !== undefined && v !== null && v !== '') query[k] = String(v);
  const now = router.currentRoute.value.query;
  const same =
    Object.keys(now).length === Object.keys(query).length &&
    Object.entries(query).every(([k, v]) => now[k] === v);
  if (same && again) void again();
  else void router.push({ query });
}

/**
 * Reads the URL into the screen and loads, once mounted and whenever the query changes.
 * `atSetup`: the first load is asked for at once, while the screen is still being built (its
 * requests leave ~80 ms sooner: 首页), for a `load` that touches no element before its first await.
 */
export function followQuery(
  route: RouteLocationNormalizedLoaded,
  fromUrl: () => void,
  load: () => Promise<void>,
  atSetup = false,
): void {
  const run = () => {
    fromUrl();
    void load();
  };
  if (atSetup) run();
  else onMounted(run);
  watch(() => route.query, run);
}

/**
 * A screen's loads. Each `run(work)` is the newest; one that a newer run overtook (the day, region,
 * month or page changed while it waited) must show nothing of its answer: a slow past day answering
 * after today's would put that day's figures under today's date. `work(current)` checks `current()`
 * after each wait before it sets anything. The loading mask and the failure are the newest run's;
 * when the newest fails, `clear()` empties what the screen shows (the last answer was for another
 * day, region or month) and `failed` holds the message the screen shows in place of its data.
 */
export function screenLoads(
  loading: Ref<boolean>,
  clear: () => void,
): {
  failed: Ref<string>;
  run: (work: (current: () => boolean) => Promise<void>) => Promise<void>;
} {
  let last = 0;
  const failed = ref('');
  return {
    failed,
    async run(work) {
      const turn = ++last;
      const current = () => turn === last;
      loading.value = true;
      try {
        await work(current);
        if (current()) failed.value = '';
      } catch (e) {
        if (!current()) return;
        clear();
        // said in the screen, in place of its data (LoadFailed.vue), not in a passing message too
        failed.value = errorText(e, '加载失败');
      } finally {
        if (current()) loading.value = false;
      }
    },
  };
}

/** A search form's value as compared with the URL's: text trimmed, a list as its items. */
const formValue = (v: unknown): string =>
  Array.isArray(v) ? v.map(String).join(',') : typeof v === 'string' ? v.trim() : String(v ?? '');

/** Whether the search form holds a value picked or typed but not applied by 查询 (form ≠ `applied`). */
export function notApplied<T extends object>(form: T, applied: T): boolean {
  return (Object.keys(applied) as (keyof T)[]).some(
    (k) => formValue(form[k]) !== formValue(applied[k]),
  );
}

/**
 * Reads the URL's filters (`next`) into `asked`, what the screen loads, and into the search form.
 * A filter the URL changed (查询, 重置, 后退, a link) is the form's too; one the URL kept keeps what was
 * picked in the form and not yet applied: a tab, a page or a project reloads from the URL without
 * dropping the pick, which stays unapplied (docs/web.md: no typed value changes silently).
 */
export function fromUrlKeepingPicks<T extends object>(form: T, asked: T, next: T): void {
  for (const k of Object.keys(next) as (keyof T)[]) {
    const picked = formValue(form[k]) !== formValue(asked[k]);
    const changed = formValue(next[k]) !== formValue(asked[k]);
    asked[k] = next[k];
    if (!picked || changed)
      form[k] = Array.isArray(next[k]) ? ([...next[k]] as T[keyof T]) : next[k];
  }
}
