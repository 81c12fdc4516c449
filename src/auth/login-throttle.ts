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

  count(key: string, now: number): number {
    return this.recent(key, now).length;
  }

  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

/**
 * Throttles failed logins without letting anyone lock a user out (SPEC §9):
 * - per username and client: blocked after `perUserClient` failures (one client guessing one account);
 * - per client: blocked after `perClient` failures (one client guessing many accounts);
 * - per username from every client together: never blocked, only slowed — each failure past
 *   `perUserClient` doubles a short delay before the password is checked (capped at `maxDelayMs`),
 *   so the right password from the user's own client still gets in.
 * Kept in memory per instance: behind a load balancer each instance throttles on its own.
 */
export class LoginThrottle {
  private readonly byUserClient: FailureWindow;
  private readonly byClient: FailureWindow;
  private readonly byUser: FailureWindow;

  constructor(
    private readonly opts: {
      perUserClient: number;
      perClient: number;
      windowMs: number;
      baseDelayMs: number;
      maxDelayMs: number;
    } = {
      perUserClient: 5,
      perClient: 20,
      windowMs: 15 * 60_000,
      baseDelayMs: 250,
      maxDelayMs: 4_000,
    },
    private readonly now: () => number = Date.now,
  ) {
    this.byUserClient = new FailureWindow(opts.perUserClient, opts.windowMs);
    this.byClient = new FailureWindow(opts.perClient, opts.windowMs);
    // never blocks (its limit is never reached): it only counts, for the delay
    this.byUser = new FailureWindow(Number.MAX_SAFE_INTEGER, opts.windowMs);
  }

  private static key(username: string, client: string): string {
    return `${username.toLowerCase()}\u0000${client}`;
  }

  /** Throws 429 when this client has failed too often, for this username or overall. */
  check(username: string, client: string): void {
    const t = this.now();
    const wait = Math.max(
      this.byUserClient.blockedFor(LoginThrottle.key(username, client), t),
      this.byClient.blockedFor(client, t),
    );
    if (wait > 0) throw new TooManyAttempts(wait);
  }

  /** How long to wait before checking this username's password: grows with its recent failures from anywhere. */
  delayMs(username: string): number {
    const failures = this.byUser.count(username.toLowerCase(), this.now());
    const over = failures - this.opts.perUserClient;
    if (over < 0) return 0;
    return Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** over);
  }

  failed(username: string, client: string): void {
    const t = this.now();
    this.byUserClient.fail(LoginThrottle.key(username, client), t);
    this.byClient.fail(client, t);
    this.byUser.fail(username.toLowerCase(), t);
  }

  succeeded(username: string, client: string): void {
    this.byUserClient.clear(LoginThrottle.key(username, client));
    this.byUser.clear(username.toLowerCase());
  }
}
