import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { AlertsScheduler } from './alerts/alerts.scheduler';
import { DeliveryWorker } from './alerts/delivery.worker';
import { JobsService } from './jobs/jobs.service';

/**
 * A stop in the right order, instead of Nest's shutdown hooks (which close the modules — and the
 * database — while the HTTP server still serves). On SIGTERM/SIGINT:
 * 1. no new connections (`server.close()`), idle keep-alive sockets closed, every answer from then
 *    on carries `Connection: close`;
 * 2. wait for the requests in flight and the jobs running here, until SHUTDOWN_TIMEOUT_MS — then
 *    unfinished jobs are marked interrupted and the connections left are cut;
 * 3. stop the alert scheduler and the outbox (each finishing the pass under way);
 * 4. `app.close()`: the modules, then the database.
 */
export class GracefulStop {
  private readonly logger = new Logger('Shutdown');
  private readonly inFlight = new Set<Response>();
  private draining = false;
  private stopping: Promise<void> | null = null;
  private onIdle: (() => void) | null = null;

  constructor(
    private readonly app: NestExpressApplication,
    private readonly timeoutMs: number,
  ) {}

  /** Counts the requests in flight; install before any other middleware. */
  install(): void {
    this.app.use((_req: Request, res: Response, next: NextFunction) => {
      this.inFlight.add(res);
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        if (!this.inFlight.size) this.onIdle?.();
      });
      next();
    });
  }

  /** Stops on SIGTERM and SIGINT (once; a second signal while stopping is only logged). */
  handleSignals(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        if (this.stopping) {
          this.logger.warn(`${signal} again: still stopping`);
          return;
        }
        void this.stop(signal).then(
          () => process.exit(0),
          (e: unknown) => {
            this.logger.error(`stop failed: ${e instanceof Error ? e.message : String(e)}`);
            process.exit(1);
          },
        );
      });
    }
  }

  stop(reason: string): Promise<void> {
    this.stopping ??= this.run(reason);
    return this.stopping;
  }

  private async run(reason: string): Promise<void> {
    const started = Date.now();
    const deadline = started + this.timeoutMs;
    const jobs = this.app.get(JobsService);
    this.logger.log(
      `${reason}: stopping — no new connections; waiting up to ${this.timeoutMs} ms for ${this.inFlight.size} request(s) and the jobs under way`,
    );
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const server = this.app.getHttpServer() as Server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();

    const requestsDone = new Promise<void>((resolve) => {
      this.onIdle = resolve;
      if (!this.inFlight.size) resolve();
    });
    await Promise.race([Promise.all([requestsDone, closed]), sleepUntil(deadline)]);
    const interrupted = await jobs.stop(deadline);
    if (this.inFlight.size) {
      this.logger.warn(
        `${this.inFlight.size} request(s) still unanswered after ${this.timeoutMs} ms: connections closed`,
      );
    }
    server.closeAllConnections();

    await this.app.get(AlertsScheduler).stop();
    await this.app.get(DeliveryWorker).stop();
    await this.app.close();
    this.logger.log(
      `stopped in ${Date.now() - started} ms${interrupted ? ` (${interrupted} job(s) interrupted)` : ''}`,
    );
  }
}

function sleepUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
}
