/**
 * A workbook worker (src/workers/workbook-pool.ts): a worker thread with its own read connection
 * and the read services, rendering one workbook at a time off the app's event loop. It writes
 * nothing to the database; the files it writes the caller renames and serves.
 */
import './workers/without-swagger';
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { AlertsService } from './alerts/alerts.service';
import { ChannelsService } from './alerts/channels.service';
import { AuditService } from './audit/audit.service';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { AppError } from './common/errors';
import { collectGarbage } from './common/memory';
import { PermissionTable } from './common/permissions';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { Database } from './database/database';
import { ReadCache } from './database/read-cache';
import { ENTITIES } from './entities';
import { writeProblemsWorkbook } from './imports/problems.workbook';
import type { ImportResult } from './imports/dto/import.view';
import { PlansQuery } from './plans/plans.query';
import { AlertRefresh } from './projects/alert-refresh';
import { FiguresService } from './projects/figures.service';
import { renderLedgerExport } from './projects/ledger.task';
import { renderPlanTableExport } from './projects/plan-table.task';
import { ProjectsQuery } from './projects/projects.query';
import { RegionsService } from './regions/regions.service';
import { computeDashboard } from './reports/dashboard.task';
import { DashboardService } from './reports/dashboard.service';
import { renderMonthlyReport } from './reports/monthly-report.task';
import { ReportDataService } from './reports/report-data.service';
import { SubmissionStatusQuery } from './reports/submission-status.query';
import { WorkCalendar } from './calendar/work-calendar.service';
import type { TaskMessage, WorkerBoot, WorkerMessage } from './workers/workbook-pool';
import type { WorkbookTask } from './workers/task';

/** Heap growth (MB) between phases after which a worker's task collects garbage. */
const WORKER_GC_SLACK_MB = 20;

/** The tasks by name (WorkbookPool.run's first argument). */
const TASKS: Record<string, WorkbookTask<never>> = {
  'monthly-report': renderMonthlyReport,
  dashboard: computeDashboard,
  'plan-table-export': renderPlanTableExport,
  'ledger-export': renderLedgerExport,
  'import-problems': async (_app, a: { file: string; result: ImportResult }) => {
    await writeProblemsWorkbook(a.file, a.result);
    return null;
  },
};

/**
 * Today's alert levels are made current by the caller before it hands a task over (the scan
 * writes); the worker only reads them.
 */
class ReadOnlyAlerts extends AlertRefresh {
  refresh(): Promise<void> {
    return Promise.reject(new Error('a workbook worker does not write'));
  }
  current(): Promise<void> {
    return Promise.resolve();
  }
}

@Module({})
class WorkbookWorkerModule {
  static forRoot(config: AppConfig, permissions: PermissionTable): DynamicModule {
    return {
      module: WorkbookWorkerModule,
      imports: [ConfigModule.forRoot(config), CommonModule.forRoot(permissions)],
      providers: [
        { provide: Database, useFactory: () => Database.openReader(config, ENTITIES) },
        ReadCache,
        RegionsService,
        AuditService,
        AlertsService,
        { provide: AlertRefresh, useClass: ReadOnlyAlerts },
        // a worker queues no message (its AlertsService only reads)
        { provide: ChannelsService, useValue: null },
        PlansQuery,
        FiguresService,
        ProjectsQuery,
        ReportDataService,
        WorkCalendar,
        SubmissionStatusQuery,
        DashboardService,
      ],
    };
  }
}

/**
 * Gives this thread (not the process) a nice value: on Linux a thread has its own, set through its
 * id, which /proc/thread-self names. Raising it needs no privilege. Elsewhere, or when /proc is not
 * there, the worker runs as the app does.
 */
function lowerThreadPriority(nice: number): void {
  if (nice <= 0 || process.platform !== 'linux') return;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, nice);
  } catch {
    // no /proc: the default priority
  }
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { config, permissions } = workerData as WorkerBoot;
  lowerThreadPriority(config.workbookWorkerNice);
  const app = await NestFactory.createApplicationContext(
    WorkbookWorkerModule.forRoot(config, permissions),
    { logger: ['error', 'warn'] },
  );
  const clock = app.get(Clock);
  const send = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (m: TaskMessage) => {
    void (async () => {
      // "now" runs on from the main thread's instant (tests pin its clock)
      const origin = Date.parse(m.now);
      const start = Date.now();
      clock.now = () => new Date(origin + (Date.now() - start));
      try {
        const task = TASKS[m.name] as WorkbookTask<unknown> | undefined;
        if (!task) throw new Error(`unknown workbook task ${m.name}`);
        const result = await task(app, m.args, {
          progress: (percent) => send({ type: 'progress', task: m.task, percent }),
          betweenPhases: () => {
            // a worker holds nothing but its task: collecting at 20 MB of growth (the app's jobs:
            // 40) keeps its old space near the live set, a province report's peak ~8 MB lower
            if (config.jobGcBetweenPhases) collectGarbage(WORKER_GC_SLACK_MB);
          },
        });
        send({ type: 'done', task: m.task, result });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        send({
          type: 'failed',
          task: m.task,
          error: {
            message: err.message,
            stack: err.stack,
            app:
              e instanceof AppError
                ? { status: e.status, code: e.code, errors: e.errors, message: e.message }
                : undefined,
          },
        });
      }
    })();
  });
  send({ type: 'ready' });
}

void main().catch((e: unknown) => {
  // the pool sees the worker exit and fails what waited for it
  console.error(`workbook worker could not start: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
