import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * A full garbage collection, between the phases of a large report or import. V8 lets garbage
 * grow to about twice the live set before it collects the old generation, and a province's report
 * makes ~60 MB of short-lived rows while reading and 64 MB of XML buffers while writing: without
 * these calls its peak RSS was 350 MB for a live set under 70 MB of heap. Collects only where
 * the process can (the flag is set here, so `node` needs no --expose-gc); a no-op otherwise.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

/** Work this large collects between its phases (a county's 100 projects does not). */
export const LARGE_WORK_ROWS = 2000;
