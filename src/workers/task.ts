import type { INestApplicationContext } from '@nestjs/common';

/** What a task gets besides its arguments: its progress, and the between-phase collection. */
export interface TaskContext {
  progress: (percent: number) => void;
  betweenPhases: () => void;
}

/**
 * A task a workbook worker runs (src/workbook.worker.ts lists them by name): `app` holds the
 * worker's own read connection and the read services; `args` came through postMessage
 * (structured clone: plain data, no class instances).
 */
export type WorkbookTask<A> = (
  app: INestApplicationContext,
  args: A,
  ctx: TaskContext,
) => Promise<unknown>;
