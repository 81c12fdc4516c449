import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { EntityManager, In, LessThan } from 'typeorm';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { Permissions } from '../common/permissions.service';
import { AppError, NotFound } from '../common/errors';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { collectGarbage } from '../common/memory';
import { Job } from './job.entity';
import { monotonicProgress } from './progress';
import { RegionsService } from '../regions/regions.service';
import { JobView } from './dto/job.view';

export interface JobContext {
  id: string;
  /** Reports progress (0–100): forward only, one write per whole point (jobs/progress.ts). */
  progress: (percent: number) => void;
  /**
   * Where to write a file result: a temporary name (`<id>.<ext>.part`), renamed to `<id>.<ext>`
   * once the work returned it, so no partial file is ever under the final name.
   */
  filePath: (ext: string) => string;
  /**
   * Called by the work between its phases, outside any transaction: a full garbage collection when
   * JOB_GC_BETWEEN_PHASES is on and enough garbage piled up (common/memory.ts).
   */
  betweenPhases: () => void;
}

interface JobOutcome {
  /** A file to download, or null. */
  file?: { path: string; name: string } | null;
  /** A JSON result (or error body). */
  result?: unknown;
  failed?: boolean;
}

/**
 * Jobs run in this process after the request returns 202; their state is in the database, so
 * any instance answers `GET /api/jobs/:id` (result files live under JOBS_DIR: share it when
 * several instances serve one database).
 */
/** A running job renews its heartbeat this often … */
const JOB_HEARTBEAT_MS = 15_000;
/** … and one whose heartbeat is older than this was left by a process that is gone. */
const JOB_STALE_MS = 60_000;
/** Largest JSON result kept for a job (an import's lists are capped long before this). */
const JOB_RESULT_MAX_BYTES = 2 * 1024 * 1024;
const INTERRUPTED = {
  statusCode: 500,
  code: 'JOB_INTERRUPTED',
  message: '服务重启，任务中断，请重新生成',
  errors: [],
};
/** A file being written: renamed to its final name (without this suffix) when complete. */
export const PARTIAL_SUFFIX = '.part';
const OPEN: Job['status'][] = ['queued', 'running'];
const BOOT = randomUUID().slice(0, 8);
/** This process, as recorded on the jobs it runs: `host/pid/boot`. */
export const RUNNER = `${os.hostname()}/${process.pid}/${BOOT}`;

/**
 * True when `runner` names a process of this host that is gone: this very pid from an earlier
 * boot (a container restarted), or a pid no longer alive. Another host's runner is judged by its
 * heartbeat only.
 */
export function runnerIsDead(runner: string | null): boolean {
  if (!runner) return false;
  const parts = runner.split('/');
  if (parts.length < 3) return false;
  const boot = parts.pop()!;
  const pid = Number(parts.pop());
  if (parts.join('/') !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return boot !== BOOT;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Thrown at a job's next progress report or phase boundary once shutdown gave up waiting for it. */
class JobStopped extends Error {}

@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Set<Promise<void>>();
  /** Ids of the jobs running in this process. */
  private readonly active = new Set<string>();
  /** Jobs shutdown marked interrupted: their work stops at its next checkpoint, its outcome is dropped. */
  private readonly stopped = new Set<string>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly regions: RegionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly permissions: Permissions,
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
   * Marks failed (JOB_INTERRUPTED) the queued or running jobs whose process died — recorded as a
   * runner of this host that is gone, or whose heartbeat stopped — and deletes their partial
   * files; deletes finished jobs older than JOB_RETENTION_DAYS with their files, and files under
   * JOBS_DIR that no job names any more (a partial file of no open job after a minute).
   */
  async sweep(): Promise<{ interrupted: number; deleted: number }> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - JOB_STALE_MS).toISOString();
    const keepAfter = new Date(
      now.getTime() - this.config.jobRetentionDays * 86_400_000,
    ).toISOString();
    const { dead, old, open } = await this.db.transaction(async (em) => {
      const open = await em
        .createQueryBuilder(Job, 'j')
        .select('j.id', 'id')
        .addSelect('j.heartbeatAt', 'heartbeatAt')
        .addSelect('j.runner', 'runner')
        .where('j.status IN (:...open)', { open: OPEN })
        .getRawMany<{ id: string; heartbeatAt: string | null; runner: string | null }>();
      const dead = open
        .filter(
          (j) =>
            !this.active.has(j.id) &&
            (j.heartbeatAt === null || j.heartbeatAt < staleBefore || runnerIsDead(j.runner)),
        )
        .map((j) => j.id);
      if (dead.length) await this.markInterrupted(em, dead, now);
      const old = await em.find(Job, {
        select: { id: true, resultPath: true },
        where: { status: In(['done', 'failed']), finishedAt: LessThan(keepAfter) },
      });
      if (old.length) await em.delete(Job, { id: In(old.map((j) => j.id)) });
      return { dead, old, open: new Set(open.map((j) => j.id).filter((id) => !dead.includes(id))) };
    });
    for (const j of old) if (j.resultPath) fs.rmSync(j.resultPath, { force: true });
    this.removePartials(dead);
    // files of jobs deleted elsewhere, or written by a process that died before it recorded them
    if (fs.existsSync(this.config.jobsDir)) {
      const partialBefore = now.getTime() - JOB_STALE_MS;
      for (const name of fs.readdirSync(this.config.jobsDir)) {
        const file = path.join(this.config.jobsDir, name);
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) continue;
        const partial = name.endsWith(PARTIAL_SUFFIX) && !open.has(name.split('.')[0]);
        if (stat.mtime.toISOString() < keepAfter || (partial && stat.mtimeMs < partialBefore))
          fs.rmSync(file, { force: true });
      }
    }
    if (dead.length) this.logger.warn(`${dead.length} interrupted job(s) marked failed`);
    return { interrupted: dead.length, deleted: old.length };
  }

  /** Fails the open jobs among `ids` as interrupted (a job that finished meanwhile keeps its outcome). */
  private async markInterrupted(em: EntityManager, ids: string[], now: Date): Promise<void> {
    await em.update(
      Job,
      { id: In(ids), status: In(OPEN) },
      {
        status: 'failed',
        finishedAt: now.toISOString(),
        result: JSON.stringify(INTERRUPTED),
        heartbeatAt: null,
      },
    );
  }

  /** Deletes the files of unfinished jobs: `<id>.*` under JOBS_DIR (a finished one was never renamed). */
  private removePartials(ids: string[]): void {
    if (!ids.length || !fs.existsSync(this.config.jobsDir)) return;
    const doomed = new Set(ids);
    for (const name of fs.readdirSync(this.config.jobsDir))
      if (doomed.has(name.split('.')[0]))
        fs.rmSync(path.join(this.config.jobsDir, name), { force: true });
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
          runner: RUNNER,
        }),
      ),
    );
    fs.mkdirSync(this.config.jobsDir, { recursive: true });
    let last = 0;
    let pending: Promise<unknown> = Promise.resolve();
    // forward only, a write per whole point: a status URL never shows a percent going back
    const report = monotonicProgress((p) => {
      last = p;
      pending = pending
        .then(() =>
          this.db.transaction((em) => em.update(Job, id, { percent: p, status: 'running' })),
        )
        .catch(() => undefined);
    });
    const partials = new Set<string>();
    const checkpoint = () => {
      if (this.stopped.has(id)) throw new JobStopped();
    };
    const ctx: JobContext = {
      id,
      progress: (percent) => {
        checkpoint();
        report(percent);
      },
      filePath: (ext) => {
        const file = path.join(this.config.jobsDir, `${id}.${ext}${PARTIAL_SUFFIX}`);
        partials.add(file);
        return file;
      },
      betweenPhases: () => {
        checkpoint();
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
        if (outcome.file && partials.has(outcome.file.path)) {
          const final = outcome.file.path.slice(0, -PARTIAL_SUFFIX.length);
          if (!this.stopped.has(id)) fs.renameSync(outcome.file.path, final);
          partials.delete(outcome.file.path);
          outcome = { ...outcome, file: { ...outcome.file, path: final } };
        }
      } catch (e) {
        if (this.stopped.has(id)) return; // shutdown already failed it and removed its files
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
        for (const file of partials) fs.rmSync(file, { force: true });
      }
      await pending;
      if (this.stopped.has(id)) {
        if (outcome.file) fs.rmSync(outcome.file.path, { force: true });
        return;
      }
      let result = outcome.result === undefined ? null : JSON.stringify(outcome.result);
      const bytes = result === null ? 0 : Buffer.byteLength(result);
      if (bytes > JOB_RESULT_MAX_BYTES)
        result = JSON.stringify({ truncated: true, bytes, message: '任务结果过大，未完整保存' });
      await this.db.transaction((em) =>
        em.update(
          Job,
          { id, status: In(OPEN) },
          {
            status: outcome.failed ? 'failed' : 'done',
            percent: outcome.failed ? last : 100,
            finishedAt: this.clock.now().toISOString(),
            resultPath: outcome.file?.path ?? null,
            resultName: outcome.file?.name ?? null,
            result,
            heartbeatAt: null,
          },
        ),
      );
    })();
    this.active.add(id);
    const tracked: Promise<void> = run
      .catch((e: unknown) => {
        if (!this.stopped.has(id))
          this.logger.error(`job ${id} could not record its outcome: ${String(e)}`);
      })
      .finally(() => {
        this.running.delete(tracked);
        this.active.delete(id);
      });
    this.running.add(tracked);
    return this.view(job);
  }

  /** For tests and shutdown: resolves when every job started here has finished. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * Shutdown: waits for the jobs running here until `deadline` (epoch ms); any still unfinished
   * then is marked failed (JOB_INTERRUPTED) with its partial files deleted, and its work stops at
   * its next progress report or phase boundary. Returns how many were interrupted.
   */
  async stop(deadline: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.settle(),
      new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    const ids = [...this.active];
    if (!ids.length) return 0;
    for (const id of ids) this.stopped.add(id);
    await this.db.transaction((em) => this.markInterrupted(em, ids, this.clock.now()));
    this.removePartials(ids);
    this.logger.warn(`${ids.length} job(s) unfinished at shutdown marked interrupted`);
    return ids.length;
  }

  /**
   * A job is visible inside its creator's region scope only — to its creator, and to admins whose
   * scope holds that region; anyone else gets 404, as if it did not exist.
   */
  private async find(actor: Actor, id: string): Promise<Job> {
    const j = /^[0-9a-f-]{36}$/.test(id) ? await this.db.reader(Job).findOneBy({ id }) : null;
    if (
      !j ||
      (!this.permissions.can(actor, 'job.read.any') && j.createdById !== actor.id) ||
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
