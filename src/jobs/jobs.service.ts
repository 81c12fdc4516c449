import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppError, NotFound } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { Job } from './job.entity';

export interface JobContext {
  id: string;
  /** Reports progress (0–100); writes are throttled. */
  progress(percent: number): void;
  /** Where to write a file result. */
  filePath(ext: string): string;
}

export interface JobOutcome {
  /** A file to download, or null. */
  file?: { path: string; name: string } | null;
  /** A JSON result (or error body). */
  result?: unknown;
  failed?: boolean;
}

export interface JobView {
  id: string;
  kind: Job['kind'];
  status: Job['status'];
  percent: number;
  createdAt: string;
  finishedAt: string | null;
  resultUrl: string | null;
  result: unknown;
}

/**
 * Jobs run in this process after the request returns 202; their state is in the database, so
 * any instance answers `GET /api/jobs/:id` (result files live under JOBS_DIR: share it when
 * several instances serve one database).
 */
@Injectable()
export class JobsService {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private view(j: Job): JobView {
    return {
      id: j.id, kind: j.kind, status: j.status, percent: j.percent, createdAt: j.createdAt, finishedAt: j.finishedAt,
      resultUrl: j.status === 'done' && j.resultPath ? `/api/jobs/${j.id}/result` : null,
      result: j.result ? JSON.parse(j.result) : null,
    };
  }

  /** Starts work in the background; returns the job at once. */
  async start(actor: Actor, kind: Job['kind'], work: (ctx: JobContext) => Promise<JobOutcome>): Promise<JobView> {
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    const job = await this.db.transaction((em) => em.save(Job, em.create(Job, {
      id, kind, status: 'queued', percent: 0, createdById: actor.id, createdBy: actor.username, resultName: null, resultPath: null, result: null, createdAt: now, finishedAt: null,
    })));
    fs.mkdirSync(this.config.jobsDir, { recursive: true });
    let last = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const ctx: JobContext = {
      id,
      progress: (percent) => {
        const p = Math.max(0, Math.min(99, Math.floor(percent)));
        if (p < last + 5) return;
        last = p;
        pending = pending.then(() => this.db.transaction((em) => em.update(Job, id, { percent: p, status: 'running' }))).catch(() => undefined);
      },
      filePath: (ext) => path.join(this.config.jobsDir, `${id}.${ext}`),
    };
    const run = (async () => {
      await new Promise((r) => setImmediate(r));
      await this.db.transaction((em) => em.update(Job, id, { status: 'running' }));
      let outcome: JobOutcome;
      try {
        outcome = await work(ctx);
      } catch (e) {
        this.logger.error(`job ${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        outcome = { failed: true, result: e instanceof AppError ? e.toBody() : { statusCode: 500, code: 'INTERNAL_ERROR', message: '任务失败', errors: [] } };
      }
      await pending;
      await this.db.transaction((em) => em.update(Job, id, {
        status: outcome.failed ? 'failed' : 'done', percent: outcome.failed ? last : 100, finishedAt: this.clock.now().toISOString(),
        resultPath: outcome.file?.path ?? null, resultName: outcome.file?.name ?? null,
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      }));
    })();
    const tracked = run.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return this.view(job);
  }

  /** For tests and shutdown: resolves when every job started here has finished. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private async find(actor: Actor, id: string): Promise<Job> {
    const j = /^[0-9a-f-]{36}$/.test(id) ? await this.db.reader(Job).findOneBy({ id }) : null;
    // a job is its creator's (admins see all): anyone else gets 404, as if it did not exist
    if (!j || (actor.role !== 'admin' && j.createdById !== actor.id)) throw new NotFound('任务');
    return j;
  }

  async get(actor: Actor, id: string): Promise<JobView> {
    return this.view(await this.find(actor, id));
  }

  async resultFile(actor: Actor, id: string): Promise<{ path: string; name: string }> {
    const j = await this.find(actor, id);
    if (j.status !== 'done' || !j.resultPath || !fs.existsSync(j.resultPath)) throw new NotFound('任务结果');
    return { path: j.resultPath, name: j.resultName ?? `${id}.xlsx` };
  }
}
