import { HashPool } from './hash-pool';

describe('HashPool', () => {
  it('runs at most `concurrency` tasks at once, in arrival order, and is full past `maxQueued` waiting', async () => {
    const pool = new HashPool(2, 3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const task = (i: number) => () =>
      new Promise<number>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        gates.push(() => {
          running--;
          resolve(i);
        });
      });
    const results = [0, 1, 2, 3, 4].map((i) => pool.run(task(i)));
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(pool.queued).toBe(3);
    expect(pool.full).toBe(true);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(pool.full).toBe(false);
    expect(pool.started).toBe(5);
  });

  it('frees the slot when a task fails', async () => {
    const pool = new HashPool(1, 1);
    await expect(pool.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pool.run(() => Promise.resolve(7))).resolves.toBe(7);
    expect(pool.queued).toBe(0);
  });
});
