import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Clock } from '../common/clock';
import { AppError } from '../common/errors';
import type { FieldError } from '../common/errors';
import type { MessageCode } from '../common/messages';
import type { PermissionTable } from '../common/permissions';
import { PERMISSION_TABLE } from '../common/permissions.service';
import { AppConfig, APP_CONFIG } from '../config/app-config';

/**
 * Workbooks (the monthly report, the export, the import's 校验结果) are rendered in worker threads:
 * writing a province's styled XML is seconds of CPU, and on the event loop it held up every
 * request behind it (a county report under load: 5.8 s median, reads around it p99 400 ms). Each
 * worker opens its own read connection (src/workbook.worker.ts) and reads what it renders, so the
 * data is neither read on the event loop (better-sqlite3 is synchronous) nor held twice.
 *
 * Node's own worker_threads rather than piscina: the pool is a queue and a few long-lived workers,
 * and what it needs beyond that — progress messages into the job's checkpoint, cancelling one task
 * by ending its worker, a clock pinned by tests — would be written around piscina's API as well.
 */

/** A message from a worker to the pool. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; task: number; percent: number }
  | { type: 'done'; task: number; result: unknown }
  | { type: 'failed'; task: number; error: SerializedError };

/** A message from the pool to a worker. */
export interface TaskMessage {
  type: 'task';
  task: number;
  name: string;
  args: unknown;
  /** The main thread's clock (tests pin it): the worker's "now" runs on from this instant. */
  now: string;
}

export interface SerializedError {
  message: string;
  stack?: string;
  /** An AppError's status, code and field errors, to be thrown again as one. */
  app?: { status: number; code: MessageCode; errors: FieldError[]; message: string };
}

/** What the worker is started with (workerData). */
export interface WorkerBoot {
  config: AppConfig;
  permissions: PermissionTable;
}

export interface TaskOptions {
  /**
   * The task's progress (0–100). May throw (a job stopped by shutdown): the task is then
   * cancelled — its worker ended — and run() rejects with what it threw.
   */
  progress?: (percent: number) => void;
}

interface Pending {
  task: number;
  name: string;
  args: unknown;
  opts: TaskOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current: Pending | null;
  /** Set while idle beyond the first worker: it ends when this fires. */
  retire: NodeJS.Timeout | null;
}

/** A worker beyond the first that stays idle this long ends (each holds ~60 MB). */
const RETIRE_IDLE_MS = 30_000;

/** The newest modification time of the TypeScript sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The worker's entry: the compiled file next to this one; under ts-jest / ts-node, the build's
 * (`npm test` builds first) when it is newer than every source, else the source through ts-node
 * (correct, but seconds to start).
 */
function entry(): { filename: string; evalCode: boolean } {
  if (__filename.endsWith('.js'))
    return { filename: path.join(__dirname, '..', 'workbook.worker.js'), evalCode: false };
  const src = path.join(__dirname, '..');
  const built = path.join(src, '..', 'dist', 'src', 'workbook.worker.js');
  const stat = fs.statSync(built, { throwIfNoEntry: false });
  if (stat && stat.mtimeMs >= newestSource(src)) return { filename: built, evalCode: false };
  const file = path.join(src, 'workbook.worker.ts');
  return {
    filename: `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(file)});`,
    evalCode: true,
  };
}

function revive(e: SerializedError): Error {
  if (e.app) {
    const err = new AppError(e.app.status, e.app.code, e.app.errors);
    err.message = e.app.message;
    return err;
  }
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

@Injectable()
export class WorkbookPool implements OnApplicationShutdown {
  private readonly logger = new Logger('WorkbookPool');
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextTask = 1;
  private closed = false;
  /**
   * Workers at most: WORKBOOK_WORKERS, or the cores less one for the event loop, at least 2 (a
   * province report rendering does not hold up 首页 for a past day).
   */
  readonly size: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PERMISSION_TABLE) private readonly permissions: PermissionTable,
    private readonly clock: Clock,
  ) {
    this.size = config.workbookWorkers || Math.max(2, os.availableParallelism() - 1);
  }

  /** Runs a task (src/workbook.worker.ts lists them) in a worker; resolves with its result. */
  run<T>(name: string, args: unknown, opts: TaskOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('workbook pool closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        task: this.nextTask++,
        name,
        args,
        opts,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /**
   * Starts `workers` workers now and resolves once they are ready (the bench times tasks, not a
   * worker's start; the app starts one on its first task, another when a task finds it busy).
   */
  async warm(workers = 1): Promise<void> {
    while (this.slots.length < Math.min(workers, this.size)) this.spawn();
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            if (s.ready) return resolve();
            s.worker.once('message', () => resolve());
            // ended by shutdown while starting: nothing failed
            s.worker.once('exit', (code) =>
              this.closed ? resolve() : reject(new Error(`workbook worker exited (${code})`)),
            );
          }),
      ),
    );
  }

  /** Tasks waiting for a worker, and tasks running. */
  get load(): { queued: number; running: number; workers: number } {
    return {
      queued: this.queue.length,
      running: this.slots.filter((s) => s.current).length,
      workers: this.slots.length,
    };
  }

  private dispatch(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => s.ready && !s.current);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        this.spawn();
        return; // the new worker takes the queue's head once it says ready
      }
      const p = this.queue.shift()!;
      if (slot.retire) clearTimeout(slot.retire);
      slot.retire = null;
      slot.current = p;
      const msg: TaskMessage = {
        type: 'task',
        task: p.task,
        name: p.name,
        args: p.args,
        now: this.clock.now().toISOString(),
      };
      slot.worker.ref(); // a task under way keeps the process alive; an idle worker does not
      slot.worker.postMessage(msg);
    }
  }

  private spawn(): void {
    const { filename, evalCode } = entry();
    const boot: WorkerBoot = { config: this.config, permissions: this.permissions };
    const worker = new Worker(filename, {
      eval: evalCode,
      workerData: boot,
      // its own heap: a province's report is the largest thing the app holds
      resourceLimits: {
        maxOldGenerationSizeMb: this.config.workbookWorkerHeapMB,
        maxYoungGenerationSizeMb: this.config.workbookWorkerYoungMB,
      },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, current: null, retire: null };
    this.slots.push(slot);
    worker.on('message', (m: WorkerMessage) => this.onMessage(slot, m));
    worker.on('error', (e) => {
      this.logger.error(`workbook worker failed: ${e.stack ?? e.message}`);
      this.drop(slot, e);
    });
    worker.on('exit', (code) => {
      this.drop(slot, new Error(`workbook worker exited (${code})`));
    });
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const p = slot.current;
    if (!p || p.task !== m.task) return;
    if (m.type === 'progress') {
      try {
        p.opts.progress?.(m.percent);
      } catch (e) {
        // the caller gave up on it (a job stopped at shutdown): end the worker and its work
        slot.current = null;
        this.remove(slot);
        void slot.worker.terminate();
        p.reject(e);
        this.dispatch();
      }
      return;
    }
    slot.current = null;
    slot.worker.unref();
    if (m.type === 'done') p.resolve(m.result);
    else p.reject(revive(m.error));
    this.dispatch();
    if (!slot.current && this.slots.indexOf(slot) > 0) {
      slot.retire = setTimeout(() => {
        if (slot.current || !this.slots.includes(slot)) return;
        this.remove(slot);
        void slot.worker.terminate();
      }, RETIRE_IDLE_MS);
      slot.retire.unref();
    }
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  /** A worker that died: its task fails; the queue goes on in a new one. */
  private drop(slot: Slot, e: Error): void {
    const was = this.slots.includes(slot);
    this.remove(slot);
    if (slot.current) {
      const p = slot.current;
      slot.current = null;
      p.reject(e);
    } else if (!slot.ready && was && !this.closed) {
      // it died starting: the waiting tasks would wait for ever
      for (const p of this.queue.splice(0)) p.reject(e);
    }
    if (!this.closed) this.dispatch();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('workbook pool closed'));
    for (const s of this.slots) if (s.retire) clearTimeout(s.retire);
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}
