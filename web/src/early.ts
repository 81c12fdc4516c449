/**
 * A screen's first request sent before the screen asks for it: on a page load, while the session
 * is checked and the screen's code is fetched (router.beforeEach). 首页's figures are what its
 * load waits for (a past day's are computed for a second or so), and they left ~250 ms after
 * navigation, after the session check and the screen's chunk; asked for here they leave with the
 * session check. The screen's own first load takes the answer if it asks for the same URL within
 * {@link KEPT_MS}; anything else — a failure, a refused session, an answer too old — is asked for
 * again the ordinary way, with the ordinary errors (an early 401 signs no one out).
 */
import { get, peek, query } from './api';

interface Early {
  at: number;
  answer: Promise<unknown>;
}

/** An early answer is taken by the screen's first load, which follows within a second. */
const KEPT_MS = 5_000;
const early = new Map<string, Early>();

/** Drops what was asked early: a sign-in or sign-out means another user's answers may be in it. */
export function forgetEarly(): void {
  early.clear();
}

/** Sends a GET now, for {@link take} to pick up. */
export function askEarly(url: string): void {
  if (early.has(url)) return;
  early.set(url, { at: Date.now(), answer: peek(url) });
}

/** The answer of `url`: the early one when it was asked for just now and came back, else a GET. */
export async function take<T>(url: string): Promise<T> {
  const e = early.get(url);
  early.delete(url);
  const answer = e && Date.now() - e.at <= KEPT_MS ? await e.answer : null;
  return answer === null ? get<T>(url) : (answer as T);
}

/** 首页's figures of a day and region ('' for the user's own): its load and the early ask share it. */
export const dashboardUrl = (asOf: string, regionId: string): string =>
  `/api/dashboard${query({ asOf, regionId })}`;
