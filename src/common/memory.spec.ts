import { collectGarbage } from './memory';

describe('collectGarbage', () => {
  it('runs a full collection without --expose-gc: an unreachable object is gone after it', async () => {
    let ref: WeakRef<object> | null = null;
    (() => {
      ref = new WeakRef({ big: new Array(100_000).fill(1) });
    })();
    await new Promise((r) => setImmediate(r)); // a WeakRef keeps its target for the rest of the job that made it
    collectGarbage(0);
    await new Promise((r) => setImmediate(r));
    expect(ref.deref()).toBeUndefined();
  });
});
