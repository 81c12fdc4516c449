import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { monotonicProgress } from '../../src/jobs/progress';
import { writeMonthlyReport } from '../../src/reports/monthly-report.writer';
import { ReportDataService } from '../../src/reports/report-data.service';
import { createTestApp, TestApp } from '../support/app';

/**
 * Issue 32, point 5: a report job's percent moves forward a phase at a time — reading the data to
 * 60 %, each sheet its share after — never two reports at once with no work between (it said
 * 40 % and then 55 % in the same instant) and never backwards.
 */
describe('monthly report job progress', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports each phase once, in order, on the reference data', async () => {
    const data = t.app.get(ReportDataService);
    const { path: scope, region } = await data.scope(SYSTEM_ACTOR);
    const calls: number[] = [];
    const written: number[] = [];
    const forward = monotonicProgress((p) => written.push(p));
    const progress = (p: number) => {
      calls.push(p);
      forward(p);
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'progress-')), 'r.xlsx');
    const d = await data.load('2026-11', scope, region, progress);
    await writeMonthlyReport(file, d, progress);
    // 14 projects are one chunk: the read is 5 + 40 × 1, then funding, changes, plans, the sheets
    expect(calls).toEqual([45, 50, 55, 60, 63, 75, 78, 82, 86, 92, 94, 96, 97]);
    expect(written).toEqual(calls);
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('a job started over HTTP ends at 100 with its workbook, its percent never going back', async () => {
    const started = await t.http().get('/api/reports/monthly?month=2026-11&async=true');
    expect(started.status).toBe(202);
    const url = started.body.statusUrl as string;
    expect(url).toBe(`/api/jobs/${started.body.jobId}`);
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await t.http().get(url);
      seen.push(r.body.percent as number);
      if (r.body.status === 'done' || r.body.status === 'failed') break;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(seen.at(-1)).toBe(100);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
