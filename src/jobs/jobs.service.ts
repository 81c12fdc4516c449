import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppError, NotFound } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { collectGarbage } from '../common/memory';
import { Job } from './job.entity';
import { RegionsService } from '../regions/regions.service';

export interface JobContext {
  id: string;
  /** Reports progress (0–100); writes are throttled. */
  progress: (percent: number) => void;
  /** Where to write a file result. */
  filePath: (ext: string) => string;
  /**
   * Called by the work between its phases, outside any transaction: a full garbage collection when
   * JOB_GC_BETWEEN_PHASES is on and enough garbage piled up (common/memory.ts).
   */
  betweenPhases: () => void;
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
/** A running job renews its heartbeat this often … */
export const JOB_HEARTBEAT_MS = 15_000;
/** … and one whose heartbeat is older than this was left by a process that is gone. */
export const JOB_STALE_MS = 60_000;
/** Largest JSON result kept for a job (an import's lists are capped long before this). */
export const JOB_RESULT_MAX_BYTES = 2 * 1024 * 1024;
const INTERRUPTED = {
  statusCode: 500,
  code: 'JOB_INTERRUPTED',
  message: '服务在任务执行期间重启，任务已中断，请重新提交',
  errors: [],
};

@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Set<Promise<void>>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly regions: RegionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** At start: jobs a crash left queued or running are marked failed; old ones are deleted. Then every minute. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.sweeper = setInterval(
      () => void this.sweep().catch((e) => this.logger.error(`job sweep failed: ${String(e)}`)),
      JOB_STALE_MS,
    );
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /**
   * Marks failed the queued or running jobs whose heartbeat stopped (their process died), and
   * deletes finished jobs older than JOB_RETENTION_DAYS with their files, and files under
   * JOBS_DIR that no job names any more.
   */
  async sweep(): Promise<{ interrupted: number; deleted: number }> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - JOB_STALE_MS).toISOString();
    const keepAfter = new Date(
      now.getTime() - this.config.jobRetentionDays * 86_400_000,
    ).toISOString();
    const { interrupted, old } = await this.db.transaction(async (em) => {
      const stale = await em
        .createQueryBuilder(Job, 'j')
        .select('j.id', 'id')
        .where('j.status IN (:...open)', { open: ['queued', 'running'] })
        .andWhere('(j.heartbeatAt IS NULL OR j.heartbeatAt < :staleBefore)', { staleBefore })
        .getRawMany<{ id: string }>();
      if (stale.length) {
        await em.update(
          Job,
          { id: In(stale.map((j) => j.id)) },
          { status: 'failed', finishedAt: now.toISOString(), result: JSON.stringify(INTERRUPTED) },
        );
      }
      const old = await em.find(Job, {
        select: { id: true, resultPath: true },
        where: { status: In(['done', 'failed']), finishedAt: LessThan(keepAfter) },
      });
      if (old.length) await em.delete(Job, { id: In(old.map((j) => j.id)) });
      return { interrupted: stale.length, old };
    });
    for (const j of old) if (j.resultPath) fs.rmSync(j.resultPath, { force: true });
    // files of jobs deleted elsewhere, or written by a process that died before it recorded them
    if (fs.existsSync(this.config.jobsDir)) {
      for (const name of fs.readdirSync(this.config.jobsDir)) {
        const file = path.join(this.config.jobsDir, name);
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (stat?.isFile() && stat.mtime.toISOString() < keepAfter)
          fs.rmSync(file, { force: true });
      }
    }
    if (interrupted) this.logger.warn(`${interrupted} interrupted job(s) marked failed`);
    return { interrupted, deleted: old.length };
  }

  private view(j: Job): JobView {
    return {
      id: j.id,
      kind: j.kind,
      status: j.status,
      percent: j.percent,
      createdAt: j.createdAt,
      finishedAt: j.finishedAt,
      resultUrl: j.status === 'done' && j.resultPath ? `/api/jobs/${j.id}/result` : null,
      result: j.result ? JSON.parse(j.result) : null,
    };
  }

  /** Starts work in the background; returns the job at once. */
  async start(
    actor: Actor,
    kind: Job['kind'],
    work: (ctx: JobContext) => Promise<JobOutcome>,
  ): Promise<JobView> {
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    const job = await this.db.transaction((em) =>
      em.save(
        Job,
        em.create(Job, {
          id,
          kind,
          status: 'queued',
          percent: 0,
          createdById: actor.id,
          createdBy: actor.username,
          regionId: actor.regionId,
          resultName: null,
          resultPath: null,
          result: null,
          createdAt: now,
          finishedAt: null,
          heartbeatAt: now,
        }),
      ),
    );
    fs.mkdirSync(this.config.jobsDir, { recursive: true });
    let last = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const ctx: JobContext = {
      id,
      progress: (percent) => {
        const p = Math.max(0, Math.min(99, Math.floor(percent)));
        if (p < last + 5) return;
        last = p;
        pending = pending
          .then(() =>
            this.db.transaction((em) => em.update(Job, id, { percent: p, status: 'running' })),
          )
          .catch(() => undefined);
      },
      filePath: (ext) => path.join(this.config.jobsDir, `${id}.${ext}`),
      betweenPhases: () => {
        if (this.config.jobGcBetweenPhases) collectGarbage();
      },
    };
    const beat = () =>
      this.db
        .transaction((em) => em.update(Job, id, { heartbeatAt: this.clock.now().toISOString() }))
        .catch(() => undefined);
    const run = (async () => {
      await new Promise((r) => setImmediate(r));
      await this.db.transaction((em) =>
        em.update(Job, id, { status: 'running', heartbeatAt: this.clock.now().toISOString() }),
      );
      const heart = setInterval(() => void beat(), JOB_HEARTBEAT_MS);
      heart.unref();
      let outcome: JobOutcome;
      try {
        outcome = await work(ctx);
      } catch (e) {
        this.logger.error(
          `job ${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
        outcome = {
          failed: true,
          result:
            e instanceof AppError
              ? e.toBody()
              : { statusCode: 500, code: 'INTERNAL_ERROR', message: '任务失败', errors: [] },
        };
      } finally {
        clearInterval(heart);
      }
      await pending;
      let result = outcome.result === undefined ? null : JSON.stringify(outcome.result);
      const bytes = result === null ? 0 : Buffer.byteLength(result);
      if (bytes > JOB_RESULT_MAX_BYTES)
        result = JSON.stringify({ truncated: true, bytes, message: '任务结果过大，未完整保存' });
      await this.db.transaction((em) =>
        em.update(Job, id, {
          status: outcome.failed ? 'failed' : 'done',
          percent: outcome.failed ? last : 100,
          finishedAt: this.clock.now().toISOString(),
          resultPath: outcome.file?.path ?? null,
          resultName: outcome.file?.name ?? null,
          result,
          heartbeatAt: null,
        }),
      );
    })();
    const tracked = run.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return this.view(job);
  }

  /** For tests and shutdown: resolves when every job started here has finished. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * A job is visible inside its creator's region scope only — to its creator, and to admins whose
   * scope holds that region; anyone else gets 404, as if it did not exist.
   */
  private async find(actor: Actor, id: string): Promise<Job> {
    const j = /^[0-9a-f-]{36}$/.test(id) ? await this.db.reader(Job).findOneBy({ id }) : null;
    if (
      !j ||
      (actor.role !== 'admin' && j.createdById !== actor.id) ||
      !(await this.regions.holds(actor, j.regionId))
    )
      throw new NotFound('任务');
    return j;
  }

  async get(actor: Actor, id: string): Promise<JobView> {
    return this.view(await this.find(actor, id));
  }

  async resultFile(
    actor: Actor,
    id: string,
  ): Promise<{ path: string; name: string; asciiStem: string }> {
    const j = await this.find(actor, id);
    if (j.status !== 'done' || !j.resultPath || !fs.existsSync(j.resultPath))
      throw new NotFound('任务结果');
    const asciiStem = {
      monthly_report: 'monthly-report',
      project_import: 'import',
      project_export: 'projects',
    }[j.kind];
    return { path: j.resultPath, name: j.resultName ?? `${id}.xlsx`, asciiStem };
  }
}
