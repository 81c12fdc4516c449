/**
 * One benchmark operation in its own process, so its peak RSS is its own:
 *   node dist/scripts/bench/op.js <op> '<json args>'
 * Prints one JSON line: { op, runs: [ms…], maxRssMB }.
 */
import 'reflect-metadata';
import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { AlertsService } from '../../src/alerts/alerts.service';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { loadConfig } from '../../src/config/app-config';
import { FundingSummaryService } from '../../src/funding/funding-summary.service';
import { ImportsService } from '../../src/imports/imports.service';
import { Region } from '../../src/regions/region.entity';
import { ReportDataService, ReportData } from '../../src/reports/report-data.service';
import { ReportsService } from '../../src/reports/reports.service';
import { JobsService } from '../../src/jobs/jobs.service';
import { WorkbookPool } from '../../src/workers/workbook-pool';
import { writeMonthlyReport } from '../../src/reports/monthly-report.writer';
import { Database } from '../../src/database/database';
import { SubmissionReminder } from '../../src/submissions/reminder.entity';
import { Submission, SubmissionEvent } from '../../src/submissions/submission.entities';
import { SubmissionsService } from '../../src/submissions/submissions.service';
import { MapService } from '../../src/map/map.service';
import { DashboardService } from '../../src/reports/dashboard.service';
import { addDays } from '../../src/common/dates';
import * as hostile from './hostile-xlsx';

interface Args {
  env: Record<string, string>;
  runs: number;
  regionId?: number;
  month?: string;
  asOf?: string;
  file?: string;
  counties?: number[];
  /** report-floor: which floor to write (both by default; one alone for a cold first write). */
  floor?: 'styled' | 'unstyled';
}

/** CPU time (user + system, every thread of the process: zlib's too) of each timed run. */
const cpuRuns: number[] = [];

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  await fn();
  const u = process.cpuUsage(c);
  cpuRuns.push(Math.round((u.user + u.system) / 1000));
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * The floor of the report: exceljs's streaming writer writing the same cells from memory, no
 * styles — each of the report's sheets with its rows and columns (项目联系人 and 进度与资金
 * included), the values as they are held, not formatted.
 */
async function writeFloor(file: string, d: ReportData): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = (name: string, rows: unknown[][]) => {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
  };
  sheet(
    '汇总',
    Array.from({ length: 45 }, (_, i) => [`行${i}`, i, i * 2, i * 3, i * 4, i * 5, i * 6]),
  );
  // the report's three sheets of one row a project (项目明细, 项目联系人, 进度与资金), cell for cell
  sheet(
    '项目明细',
    d.projects.map((p, i) => [
      i + 1,
      p.regionName,
      p.planYear,
      p.name,
      p.seats.kindergarten +
        p.seats.primary +
        p.seats.juniorMiddle +
        p.seats.seniorSecondary +
        p.seats.specialEducation,
      p.seats.kindergarten,
      p.seats.primary,
      p.seats.juniorMiddle,
      p.seats.seniorSecondary,
      p.seats.specialEducation,
      p.plannedCompletion,
      p.floorArea,
      p.land,
      p.budget === null ? null : Number(p.budget) / 1e6,
      p.transitional ? '过渡学位' : null,
    ]),
  );
  sheet(
    '项目联系人',
    d.projects.map((p, i) => [
      i + 1,
      p.regionName,
      p.name,
      p.builder,
      p.contractor,
      p.manager,
      p.phone,
    ]),
  );
  sheet(
    '进度与资金',
    d.projects.map((p, i) => [
      i + 1,
      p.regionName,
      p.name,
      p.status,
      p.progressPercent,
      Number(p.investmentFen) / 1e6,
      p.budget === null ? null : Number(p.budget) / 1e6,
      Number(p.committed) / 1e6,
      Number(p.received) / 1e6,
      Number(p.paid) / 1e6,
      Number(p.gap) / 1e6,
      p.actualCompletion ? new Date(p.actualCompletion) : null,
      p.lastReportedOn ? new Date(p.lastReportedOn) : null,
      p.daysOverdue,
    ]),
  );
  sheet(
    '逾期预警',
    d.alerts.map((a, i) => [
      i + 1,
      a.severity,
      a.kind,
      a.projectId,
      a.milestoneId,
      a.daysOverdue > 0 ? a.daysOverdue : null,
      a.daysOverdue < 0 ? -a.daysOverdue : null,
      a.owner,
      a.message,
    ]),
  );
  const ms = wb.addWorksheet('里程碑');
  for await (const page of d.milestones())
    for (const m of page)
      ms.addRow([
        m.regionName,
        m.projectName,
        m.name,
        m.plannedDate,
        m.actualDate ? new Date(m.actualDate) : null,
        '状态',
        0,
        m.owner,
        m.note,
      ]).commit();
  ms.commit();
  sheet(
    '资金来源',
    d.fundingBySource.map((f) => [
      f.source,
      f.group,
      Number(f.committed) / 1e6,
      Number(f.received) / 1e6,
    ]),
  );
  sheet('本月变动', [
    ...d.events.map((e) => [e.regionName, e.projectName, e.date, e.kind, `${e.kind} ${e.date}`]),
    ...d.changes.map((c) => [
      c.at,
      c.actorName,
      c.action,
      c.entity,
      c.projectName,
      JSON.stringify(c.changes),
    ]),
  ]);
  sheet(
    '规划目标',
    d.plans.flatMap((p) =>
      p.targets.map((t) => [
        p.name,
        p.regionName,
        t.label,
        t.target,
        t.qualifier,
        t.deadline,
        t.delivered,
        t.underConstruction,
        t.planned,
        t.percentDelivered,
        t.projectedByDeadline,
        t.atRisk,
        0,
      ]),
    ),
  );
  await wb.commit();
}

/**
 * A month of the cycle for the review list's bench: of every four counties one not submitted (with
 * a reminder), one submitted, one approved, one returned — each with its submit event. Once per
 * database (the rows are kept between the op's processes).
 */
async function seedReviewMonth(db: Database, counties: number[], month: string): Promise<void> {
  if (await db.reader(Submission).existsBy({ month })) return;
  const at = new Date().toISOString();
  await db.transaction(async (em) => {
    for (const [i, regionId] of counties.entries()) {
      const status = (['none', 'submitted', 'approved', 'returned'] as const)[i % 4];
      if (status === 'none') {
        const e = await em.insert(SubmissionEvent, {
          submissionId: null,
          regionId,
          month,
          action: 'remind',
          actorId: null,
          actorName: 'bench',
          at,
          comment: '催报',
        });
        await em.insert(SubmissionReminder, {
          key: `manual:${regionId}:${at.slice(0, 10)}`,
          regionId,
          month,
          kind: 'manual',
          onDay: at.slice(0, 10),
          dueOn: `${month}-28`,
          eventId: Number((e.identifiers[0] as { id: number }).id),
          queued: 0,
          at,
        });
        continue;
      }
      const s = await em.insert(Submission, {
        regionId,
        month,
        status,
        version: 2,
        dueOn: `${month}-28`,
        lateDays: i % 3,
        firstSubmittedAt: at,
        submittedAt: at,
        submittedBy: 'bench',
        returnCount: status === 'returned' ? 1 : 0,
        forced: false,
        seq: 1,
        fileSha256: '0'.repeat(64),
        filePath: `bench/${regionId}-${month}.xlsx`,
        snapshot: { month, asOf: `${month}-28`, regions: [] },
        checks: [],
        createdAt: at,
        updatedAt: at,
      });
      await em.insert(SubmissionEvent, {
        submissionId: Number((s.identifiers[0] as { id: number }).id),
        regionId,
        month,
        action: 'submit',
        fromStatus: 'not_submitted',
        toStatus: 'submitted',
        actorId: null,
        actorName: 'bench',
        at,
        comment: null,
        version: 1,
      });
    }
  });
}

async function main(): Promise<void> {
  const [op, raw] = process.argv.slice(2);
  const args = JSON.parse(raw) as Args;
  const config = loadConfig({
    ...args.env,
    SCHEDULER_ENABLED: 'false',
    ALERT_DELIVERY_INTERVAL_MS: '0',
    SEED_REFERENCE_DATA: 'false',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error'],
  });
  const db = app.get(Database);
  const out = path.join(os.tmpdir(), `bench-${process.pid}.xlsx`);
  const runs: number[] = [];
  const region = args.regionId
    ? await db.reader(Region).findOneByOrFail({ id: args.regionId })
    : null;
  const extra: Record<string, unknown> = {};
  switch (op) {
    case 'report': {
      // the way the product writes it: ReportsService decides — a county at once, a province as a
      // background job (whose runner may collect garbage between phases, JOB_GC_BETWEEN_PHASES)
      const reports = app.get(ReportsService);
      const jobs = app.get(JobsService);
      // the workers a running server has (their start is not the report's time)
      await app.get(WorkbookPool).warm();
      let file = '';
      for (let i = 0; i < args.runs; i++)
        runs.push(
          await time(async () => {
            const a = await reports.monthly(SYSTEM_ACTOR, {
              month: args.month!,
              regionId: args.regionId,
            });
            if ('file' in a) {
              file = a.file;
              extra.path = 'at once';
              return;
            }
            await jobs.settle();
            const { jobId } = a.json as { jobId: string };
            const job = await jobs.get(SYSTEM_ACTOR, jobId);
            if (job.status !== 'done') throw new Error(`report job ${job.status}`);
            file = (await jobs.resultFile(SYSTEM_ACTOR, jobId)).path;
            extra.path = 'background job';
          }),
        );
      extra.bytes = fs.statSync(file).size;
      break;
    }
    case 'report-floor': {
      // the same cells, with the same formats, written from memory: what exceljs's streaming
      // writer costs on its own; the report's ratio to it is what our queries add
      const d = await app.get(ReportDataService).load(args.month!, region!.path, region);
      const pages: Awaited<ReturnType<ReturnType<ReportData['milestones']>['next']>>['value'][] =
        [];
      for await (const page of d.milestones()) pages.push(page);
      const inMemory: ReportData = {
        ...d,
        milestones: async function* () {
          yield* pages;
        },
      };
      extra.rows =
        d.projects.length + d.alerts.length + pages.reduce((s, p) => s + (p?.length ?? 0), 0);
      if (args.floor !== 'unstyled')
        for (let i = 0; i < args.runs; i++)
          runs.push(await time(() => writeMonthlyReport(out, inMemory)));
      const plain: number[] = [];
      if (args.floor !== 'styled')
        for (let i = 0; i < args.runs; i++) plain.push(await time(() => writeFloor(out, inMemory)));
      extra.plainCellsMs = plain;
      break;
    }
    case 'submit': {
      // 月报报送 of a county by its 基建股 officer: the checks, the frozen workbook rendered in a
      // worker, its hash and snapshot, the transaction (forced: generated data has errors). The
      // first county warms the workbook pool up (a running server's worker is already there),
      // untimed; each later one is timed
      const submissions = app.get(SubmissionsService);
      const submit = async (regionId: number) => {
        const actor = { id: null, username: 'bench', role: 'infrastructure' as const, regionId };
        const r = await submissions.submit(actor, {
          month: args.month!,
          force: true,
          note: '基准测试',
        });
        extra.checks = r.checks.length;
        extra.bytes = r.files[r.files.length - 1].sizeBytes;
        extra.projects = r.snapshot.regions[0].projectTotal;
      };
      const [warm, ...timed] = args.counties!;
      const t0 = process.hrtime.bigint();
      await submit(warm);
      extra.coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
      for (const c of timed) runs.push(await time(() => submit(c)));
      break;
    }
    case 'scan': {
      const alerts = app.get(AlertsService);
      for (let i = 0; i < args.runs; i++)
        runs.push(await time(() => alerts.scanAll(args.asOf!, 'manual')));
      break;
    }
    case 'summary': {
      const s = app.get(FundingSummaryService);
      for (let i = 0; i < args.runs; i++)
        runs.push(
          await time(() =>
            s.summary(SYSTEM_ACTOR, {
              asOf: args.asOf,
              groupBy: 'status',
              regionId: args.regionId,
            }),
          ),
        );
      break;
    }
    case 'import': {
      const imports = app.get(ImportsService);
      const buffer = fs.readFileSync(args.file!);
      for (let i = 0; i < args.runs; i++) {
        runs.push(
          await time(async () => {
            const r = await imports.run(
              SYSTEM_ACTOR,
              { buffer, name: 'bench.xlsx' },
              args.counties![i % args.counties!.length],
              false,
            );
            if (r.created !== 10_000) throw new Error(`import created ${r.created}`);
          }),
        );
      }
      break;
    }
    case 'import-floor': {
      const buffer = fs.readFileSync(args.file!);
      for (let i = 0; i < args.runs; i++) {
        runs.push(
          await time(async () => {
            const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
              sharedStrings: 'cache',
              styles: 'cache',
              worksheets: 'emit',
              hyperlinks: 'ignore',
              entries: 'emit',
            });
            let n = 0;
            for await (const ws of reader)
              for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>)
                n += row.cellCount > 0 ? 1 : 0;
            if (n < 10_000) throw new Error(`read ${n} rows`);
          }),
        );
      }
      break;
    }
    case 'hostile': {
      // dry runs of files built to hurt: every one must stay bounded; the event loop must keep turning
      const imports = app.get(ImportsService);
      const files = [
        await hostile.xfdNumberedWorkbook(1_000_000),
        await hostile.hugeCellWorkbook(100 * 1024 * 1024),
        await hostile.hugeSharedStringWorkbook(120 * 1024 * 1024),
        await hostile.lyingHeaderWorkbook(1000, 2_000_000),
        await hostile.widePlanTable(15_000, 64),
      ];
      let maxStall = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        maxStall = Math.max(maxStall, now - last - 10);
        last = now;
      }, 10);
      const outcomes: string[] = [];
      for (const f of files) {
        runs.push(
          await time(async () => {
            const r = await imports
              .run(SYSTEM_ACTOR, { buffer: f, name: 'hostile.xlsx' }, args.counties![0], true)
              .then(
                (x) => `${x.created} rows`,
                (e: { code?: string }) => e.code ?? String(e),
              );
            outcomes.push(`${Math.round(f.length / 1024)} KB → ${r}`);
          }),
        );
      }
      clearInterval(ticker);
      extra.maxStallMs = Math.round(maxStall);
      extra.outcomes = outcomes;
      break;
    }
    case 'review': {
      // the province's review list of a month: its counties in every state of the cycle, with
      // their events and reminders (written once into the bench database, then read)
      await seedReviewMonth(db, args.counties!, args.month!);
      const list = app.get(SubmissionsService);
      const actor = {
        id: null,
        username: 'bench-province',
        role: 'infrastructure' as const,
        regionId: args.regionId!,
      };
      for (let i = 0; i < args.runs; i++)
        runs.push(
          await time(async () => {
            const r = await list.list(actor, args.month!);
            extra.items = r.items.length;
          }),
        );
      break;
    }
    case 'dashboard': {
      // 首页's figures for a day as the route computes them (a past day: its alerts evaluated live,
      // in a worker thread); each run a day of its own, so none is served from the cache
      if (!args.asOf) throw new Error('dashboard: asOf (a past day) is required');
      const dashboards = app.get(DashboardService);
      await app.get(WorkbookPool).warm();
      for (let i = 0; i < args.runs; i++) {
        const day = addDays(args.asOf, -i);
        runs.push(
          await time(() => dashboards.dashboard(SYSTEM_ACTOR, { regionId: args.regionId, asOf: day })),
        );
      }
      break;
    }
    case 'map': {
      // GET /api/map for the province: the answer computed and written as JSON, as the route
      // sends it; the first run computes (today: the stored alerts), the next ones are the cached
      // answer a leader reopening 首页 gets; a past day (alerts evaluated live) apart, once
      const maps = app.get(MapService);
      const answer = async (asOf?: string) => {
        const m = await maps.map(SYSTEM_ACTOR, { regionId: args.regionId, asOf });
        extra.points = m.points.length;
        extra.cells = m.cells.length;
        extra.bytes = JSON.stringify(m).length;
      };
      // 首页 asks for its figures first and draws the map card after them: they are computed (in a
      // worker thread) and cached by the time the map is asked for; their time is given apart
      const dashboards = app.get(DashboardService);
      extra.dashboardMs = await time(() =>
        dashboards.dashboard(SYSTEM_ACTOR, { regionId: args.regionId }),
      );
      cpuRuns.length = 0;
      for (let i = 0; i < args.runs; i++) runs.push(await time(() => answer()));
      extra.pastDayMs = await time(() => answer(args.asOf));
      break;
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
  fs.rmSync(out, { force: true });
  await app.close();
  process.stdout.write(
    `${JSON.stringify({ op, runs, cpuMs: cpuRuns, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), ...extra })}\n`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
