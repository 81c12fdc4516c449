import { generate, Generated } from '../../scripts/bench/generate';
import { APP_CONFIG, AppConfig } from '../../src/config/app-config';
import { WorkbookPool } from '../../src/workers/workbook-pool';
import ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { binary, createTestApp, downloadXlsx, TestApp } from '../support/app';

/**
 * Workbooks are read and written in worker threads (src/workers/workbook-pool.ts): while one
 * renders, the event loop keeps answering. A province of 2,000 projects and 20,000 milestones is
 * seconds of CPU to read and style; inline, /api/health waited for all of it.
 */
describe('workbooks rendered off the event loop', () => {
  let t: TestApp;
  let g: Generated;

  beforeAll(async () => {
    t = await createTestApp();
    g = await generate(t.db.write, 2_000, { seed: 37 });
    // the first report starts the worker (a county: small); then the probes without a report,
    // which every test compares with (the tests run in any order)
    await t
      .http()
      .get(`/api/reports/monthly?month=2026-11&regionId=${g.counties[0].id}`)
      .expect(200);
    idle = await probeWhile(new Promise((r) => setTimeout(r, 1000)));
  });
  afterAll(() => t.close());

  /** The probes' times without a report: what the machine itself adds (other processes, GC). */
  let idle: number[] = [];
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];

  /**
   * The 95th percentile of the probes' times must stay within 100 ms of the same probes' without a
   * report, and none may wait for the rendering (inline, one probe waited the whole ~950 ms): a
   * single probe may stretch when the OS gives the core to another process on 2 shared cores.
   */
  const expectNotHeldUp = (times: number[]) => {
    expect(p95(times)).toBeLessThan(p95(idle) + 100);
    expect(Math.max(...times)).toBeLessThan(500);
  };

  /** A workbook's bytes, as the admin downloads it. */
  const fetchXlsx = async (url: string): Promise<Buffer> =>
    (
      await t
        .http()
        .get(url)
        .buffer(true)
        .parse(binary as never)
        .expect(200)
    ).body as Buffer;
  const workbookOf = async (raw: Buffer): Promise<ExcelJS.Workbook> => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(raw as never);
    return wb;
  };

  /** Asks /api/health one request after another until `done` settles; each answer's time in ms. */
  async function probeWhile(done: Promise<unknown>): Promise<number[]> {
    let finished = false;
    void done.finally(() => (finished = true)).catch(() => undefined);
    const times: number[] = [];
    while (!finished) {
      const t0 = performance.now();
      await t.anon().get('/api/health').expect(200);
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
    return times;
  }

  it('a province report being rendered holds /api/health up by less than 100 ms', async () => {
    let renderMs = 0;
    const t0 = performance.now();
    // probed until the file has arrived; it is parsed afterwards (on this thread, the server's)
    const report = fetchXlsx(`/api/reports/monthly?month=2026-11&regionId=${g.provinceId}`).finally(
      () => (renderMs = performance.now() - t0),
    );
    const times = await probeWhile(report);
    const wb = await workbookOf(await report);
    // the report is real: every project of the province on its 项目明细 sheet
    const rows = wb.getWorksheet('项目明细')!.actualRowCount;
    expect(rows).toBeGreaterThan(2_000);
    // it took long enough for the probes to overlap its rendering many times over …
    expect(renderMs).toBeGreaterThan(400);
    expect(times.length).toBeGreaterThanOrEqual(20);
    // … and none of them waited for it
    expectNotHeldUp(times);
    expect(t.app.get(WorkbookPool).load.running).toBe(0);
  });

  it('so does the export of the same projects', async () => {
    const exp = fetchXlsx(`/api/projects/export.xlsx?regionId=${g.provinceId}`);
    const times = await probeWhile(exp);
    const ws = (await workbookOf(await exp)).worksheets[0];
    // two header rows, 2,000 projects, 合计
    expect(ws.actualRowCount).toBeGreaterThanOrEqual(2_002);
    expect(times.length).toBeGreaterThanOrEqual(3);
    expectNotHeldUp(times);
  });

  it('a past day’s 首页 is not held up by a province report rendering (a second worker)', async () => {
    let reportDone = 0;
    const report = downloadXlsx(
      t.http(),
      `/api/reports/monthly?month=2026-11&regionId=${g.provinceId}`,
    ).then(() => (reportDone = performance.now()));
    await new Promise((r) => setTimeout(r, 300)); // the report is under way
    const d = await t
      .http()
      .get(`/api/dashboard?regionId=${g.provinceId}&asOf=2026-11-20`)
      .expect(200);
    const dashboardDone = performance.now();
    expect(d.body.projects).toBe(2_000);
    expect(d.body.asOf).toBe('2026-11-20');
    await report;
    expect(dashboardDone).toBeLessThan(reportDone);
    expect(t.app.get(WorkbookPool).load.workers).toBe(2);
  });

  it('the worker threads run at WORKBOOK_WORKER_NICE (10), the thread answering requests at 0', () => {
    if (process.platform !== 'linux') return;
    // field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value
    const nice = (tid: string) =>
      Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const threads = fs.readdirSync('/proc/self/task');
    expect(nice(String(process.pid))).toBe(0);
    // the warm worker started in beforeAll; V8's and libuv's own threads stay at 0
    expect(threads.filter((tid) => nice(tid) === 10).length).toBeGreaterThanOrEqual(1);
    expect(threads.filter((tid) => ![0, 10].includes(nice(tid)))).toEqual([]);
  });

  it('each worker runs with an 8 MB young generation (WORKBOOK_WORKER_YOUNG_MB), not V8’s default (a 32 MB new space)', () => {
    // V8's default semi-spaces grow to 32 MB that a worker keeps for its life: ~20 MB of a
    // province report's peak RSS (docs/performance.md)
    const config = t.app.get<AppConfig>(APP_CONFIG);
    expect(config.workbookWorkerYoungMB).toBe(8); // the default
    const slots = (t.app.get(WorkbookPool) as unknown as { slots: { worker: Worker }[] }).slots;
    expect(slots.length).toBeGreaterThanOrEqual(1);
    for (const s of slots)
      expect(s.worker.resourceLimits).toMatchObject({
        maxYoungGenerationSizeMb: config.workbookWorkerYoungMB,
        maxOldGenerationSizeMb: config.workbookWorkerHeapMB,
      });
  });

  it('a worker that fails a task answers the error, and the next task runs', async () => {
    const pool = t.app.get(WorkbookPool);
    await expect(pool.run('no-such-task', {})).rejects.toThrow(
      'unknown workbook task no-such-task',
    );
    await t
      .http()
      .get(`/api/reports/monthly?month=2026-11&regionId=${g.counties[1].id}`)
      .expect(200);
  });
});
