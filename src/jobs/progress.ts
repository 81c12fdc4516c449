/**
 * A job's percent done as its status URL shows it: it only moves forward, in steps of at least
 * `step` points (each step is one database write), floored to a whole percent, and never reaches
 * 100 before the job's result is stored (the runner writes 100 itself then).
 */
export function monotonicProgress(
  write: (percent: number) => void,
  step = 1,
): (percent: number) => void {
  let last = 0;
  return (percent) => {
    if (!Number.isFinite(percent)) return;
    const p = Math.max(0, Math.min(99, Math.floor(percent)));
    if (p < last + step) return;
    last = p;
    write(p);
  };
}

/**
 * The reporter of one phase of a job: `done` (0–1) of the phase maps onto `[from, to]` of the
 * whole, so a phase's own loop reports its share instead of one jump at its end.
 */
export function phaseProgress(
  progress: ((percent: number) => void) | undefined,
  from: number,
  to: number,
): (done: number) => void {
  return (done) => progress?.(from + (to - from) * Math.max(0, Math.min(1, done)));
}
