import { TooManyAttempts } from '../common/errors';

/** Failed logins within a sliding window, per key. */
class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until another attempt is allowed, or 0. */
  blockedFor(key: string, now: number): number {
    const list = this.recent(key, now);
    if (list.length < this.limit) return 0;
    return Math.ceil((list[list.length - this.limit] + this.windowMs - now) / 1000);
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

/**
 * Throttles failed logins per username (guessing one account) and per client address (guessing
 * many). Kept in memory per instance: behind a load balancer each instance throttles on its own,
 * which still bounds guessing to a small multiple of the limits.
 */
export class LoginThrottle {
  private readonly byUser: FailureWindow;
  private readonly byClient: FailureWindow;

  constructor(
    opts: { perUser: number; perClient: number; windowMs: number } = { perUser: 5, perClient: 20, windowMs: 15 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {
    this.byUser = new FailureWindow(opts.perUser, opts.windowMs);
    this.byClient = new FailureWindow(opts.perClient, opts.windowMs);
  }

  /** Throws 429 when either the username or the client has failed too often. */
  check(username: string, client: string): void {
    const t = this.now();
    const wait = Math.max(this.byUser.blockedFor(username.toLowerCase(), t), this.byClient.blockedFor(client, t));
    if (wait > 0) throw new TooManyAttempts(wait);
  }

  failed(username: string, client: string): void {
    const t = this.now();
    this.byUser.fail(username.toLowerCase(), t);
    this.byClient.fail(client, t);
  }

  succeeded(username: string): void {
    this.byUser.clear(username.toLowerCase());
  }
}
