import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | null | undefined;
/** Heap in use plus array buffers after the last collection made here. */
let afterLast = 0;

const inUse = () => v8.getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;

/**
 * A full garbage collection between the phases of a report or import, when more than
 * `slackMB` of heap and buffers were added since the last one. V8 lets garbage grow to about
 * twice the live set (and 64 MB of array buffers) before it collects the old generation; a
 * province's report makes ~60 MB of short-lived rows while reading and 64 MB of XML buffers per
 * big sheet while writing: without these calls its peak RSS was 350 MB for a live set under 70 MB
 * of heap, and grew with the province. The flag is set here, so `node` needs no --expose-gc; a
 * no-op where that is refused.
 */
export function collectGarbage(slackMB = 40): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  if (!collect || inUse() - afterLast < slackMB * 1024 * 1024) return;
  collect();
  afterLast = inUse();
}
