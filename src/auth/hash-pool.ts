import { availableParallelism } from 'node:os';

/**
 * Bounded concurrency for password hashing. scrypt runs on libuv's thread pool (4 threads by
 * default), which also serves file reads (static files, downloads) and zlib: a burst of logins
 * left unbounded fills it and stalls every other request. At most `concurrency` hashes run at
 * once; the rest wait in line. A sign-in attempt is refused (429 at once) instead of joining a line
 * that is already `maxQueued` long; work of a signed-in user (a password change, an admin's reset)
 * always joins it.
 */
export class HashPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** How many tasks were started since the process began (for tests and diagnostics). */
  started = 0;

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  /** True when a new sign-in attempt would have to wait behind `maxQueued` others. */
  get full(): boolean {
    return this.active >= this.concurrency && this.waiting.length >= this.maxQueued;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.started++;
    try {
      return await task();
    } finally {
      // the slot passes straight to the next in line (active stays the same), or is freed
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * The process's one pool for scrypt: one hash per core but one (2 to 4 on most servers, 1 on a
 * 2-core one), which leaves a core to the event loop and libuv's other threads to files and zlib;
 * 16 in line is about a second of waiting.
 */
export const passwordHashing = new HashPool(
  Math.min(4, Math.max(1, availableParallelism() - 1)),
  16,
);
