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

  latest(key: string, now: number): number | null {
    const list = this.recent(key, now);
    return list.length ? list[list.length - 1] : null;
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

  /** Forgets every key `match` accepts. */
  clearWhere(match: (key: string) => boolean): void {
    for (const key of [...this.failures.keys()]) if (match(key)) this.failures.delete(key);
  }

  /** Gives back one failure recorded at `t` (a reserved slot), if it is still there. */
  release(key: string, t: number): void {
    const list = this.failures.get(key);
    const at = list ? list.lastIndexOf(t) : -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (!list!.length) this.failures.delete(key);
  }
}

/** A sign-in attempt that holds a failure slot (see LoginThrottle.begin). */
interface LoginAttempt {
  /** Wait this long before checking the password. */
  readonly delayMs: number;
  /** The password was right: the slot is given back and the username's failures forgotten. */
  succeeded(): void;
  /** Refused before the password was checked (the server was busy): the slot is given back. */
  withdrawn(): void;
}

/**
 * Throttles failed logins without letting anyone lock a user out (docs/limits.md):
 * - per username and client: blocked after `perUserClient` failures (one client guessing one account);
 * - per client: blocked after `perClient` failures (one client guessing many accounts);
 * - per username from every client together: never blocked, only slowed — each failure past
 *   `perUserClient` doubles a short delay before the password is checked (capped at `maxDelayMs`),
 *   so the right password from the user's own client still gets in.
 * An attempt takes its failure slot when it starts, before the password is hashed, and only a
 * right password gives it back (`begin`): concurrent attempts are limited exactly like sequential
 * ones, so 200 wrong passwords sent at once are checked 5 times, not 200.
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

  /** Records a failure (a slot taken and never given back). */
  failed(username: string, client: string): number {
    const t = this.now();
    this.byUserClient.fail(LoginThrottle.key(username, client), t);
    this.byClient.fail(client, t);
    this.byUser.fail(username.toLowerCase(), t);
    return t;
  }

  /** When this username last failed (ms), from any client, within the window; null if not lately. */
  lastFailureAt(username: string): number | null {
    return this.byUser.latest(username.toLowerCase(), this.now());
  }

  /**
   * Forgets a username's failures from every client (an admin has just reset its password: the
   * officer signs in with the new one at once). A client's own count (guessing across accounts)
   * stays.
   */
  forgetUser(username: string): void {
    const user = username.toLowerCase();
    this.byUser.clear(user);
    this.byUserClient.clearWhere((key) => key.startsWith(`${user}\u0000`));
  }

  /**
   * Starts an attempt: throws 429 when this client has no slot left (for this username or
   * overall), else takes one at once — synchronously, so no concurrent attempt can take it too —
   * counted as a failure until the attempt succeeds or is withdrawn.
   */
  begin(username: string, client: string): LoginAttempt {
    this.check(username, client);
    const delayMs = this.delayMs(username);
    const t = this.failed(username, client);
    const key = LoginThrottle.key(username, client);
    const user = username.toLowerCase();
    return {
      delayMs,
      succeeded: () => {
        this.byUserClient.clear(key);
        this.byUser.clear(user);
        this.byClient.release(client, t);
      },
      withdrawn: () => {
        this.byUserClient.release(key, t);
        this.byUser.release(user, t);
        this.byClient.release(client, t);
      },
    };
  }
}
