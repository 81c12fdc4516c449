import { monotonicProgress, phaseProgress } from './progress';

describe('monotonicProgress (a job status URL never goes back)', () => {
  const recorder = (step?: number) => {
    const written: number[] = [];
    return { written, report: monotonicProgress((p) => written.push(p), step) };
  };

  it('writes each whole point forward, drops what goes back or stands still', () => {
    const { written, report } = recorder();
    for (const p of [0.4, 1, 1.9, 3, 2, 3, 40, 12, 41.5, 55]) report(p);
    expect(written).toEqual([1, 3, 40, 41, 55]);
  });

  it('stops at 99 (100 is the stored result) and ignores what is not a number', () => {
    const { written, report } = recorder();
    for (const p of [98.7, Number.NaN, 100, 250, Number.POSITIVE_INFINITY, -5]) report(p);
    expect(written).toEqual([98, 99]);
  });

  it('with a coarser step writes only moves of at least that many points', () => {
    const { written, report } = recorder(5);
    for (const p of [3, 5, 9, 10, 14, 16]) report(p);
    expect(written).toEqual([5, 10, 16]);
  });
});

describe('phaseProgress (a phase reports its share of the whole)', () => {
  it('maps 0–1 of the phase onto its range, clamped', () => {
    const seen: number[] = [];
    const phase = phaseProgress((p) => seen.push(p), 60, 80);
    for (const d of [-1, 0, 0.25, 0.5, 1, 2]) phase(d);
    expect(seen).toEqual([60, 60, 65, 70, 80, 80]);
  });

  it('is silent without a reporter', () => {
    expect(() => phaseProgress(undefined, 0, 50)(0.5)).not.toThrow();
  });
});
