/** What the screens share: their URL query, and an API failure in words. */
import { onMounted, watch } from 'vue';
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

/** Puts a screen's state in the URL, blank values left out: a link or a reload shows the same. */
export function pushQuery(router: Router, q: Record<string, unknown>): void {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(q))
    if (v !== undefined && v !== null && v !== '') query[k] = String(v);
  void router.push({ query });
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
 * Numbers a screen's loads. A load that a newer one overtook (the day, region, month or page changed
 * while it waited) must show nothing of its answer: a slow past day answering after today's would
 * put that day's figures under today's date. `const turn = loads.start()`, then after each wait
 * `if (loads.overtaken(turn)) return;` — and the loading mask and errors are the newest load's.
 */
export function loadTurns(): { start(): number; overtaken(turn: number): boolean } {
  let last = 0;
  return { start: () => ++last, overtaken: (turn) => turn !== last };
}
