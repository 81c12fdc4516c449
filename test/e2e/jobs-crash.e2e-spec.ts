import * as fs from 'node:fs';
import { generate } from '../../scripts/bench/generate';
import { Database } from '../../src/database/database';
import { ENTITIES } from '../../src/entities';
import { call, errorLines, exitWithin, login, realServers } from '../support/real-server';

/**
 * Issue 31, point 7, on the real built server (`npx nest build` first): a kill -9 during a
 * province report leaves a job that reads failed (JOB_INTERRUPTED) at the next start, and no
 * partial file.
 */
describe('jobs after a crash (real server)', () => {
  const { fresh, serve, cleanup } = realServers();
  afterAll(cleanup);

  it('kill -9 during a province report: at restart the job reads failed (JOB_INTERRUPTED) and its partial file is gone; a stop past SHUTDOWN_TIMEOUT_MS interrupts a job cleanly', async () => {
    const { db, jobsDir } = await fresh();
    const direct = await Database.open(db.config, ENTITIES);
    const g = await generate(direct.write, 4_000, { seed: 31 });
    await direct.close();
    const s = await serve(db, jobsDir);
    const token = await login(s.port);
    const r = await call(
      s.port,
      'GET',
      `/api/reports/monthly?month=2026-11&regionId=${g.provinceId}&async=true`,
      { token },
    );
    expect(r.status).toBe(202);
    const jobId = (JSON.parse(r.body) as { jobId: string }).jobId;
    // wait until the workbook is being written, then kill the process outright
    const mine = () => fs.readdirSync(jobsDir).filter((n) => n.startsWith(jobId));
    const until = Date.now() + 40_000;
    while (!mine().length) {
      if (Date.now() > until) throw new Error(`the report never started writing:\n${s.log()}`);
      await new Promise((res) => setTimeout(res, 10));
    }
    const writing = mine();
    s.child.kill('SIGKILL');
    await s.exited;
    const left = mine();

    const again = await serve(db, jobsDir, { SHUTDOWN_TIMEOUT_MS: '100' });
    const token2 = await login(again.port);
    const view = await call(again.port, 'GET', `/api/jobs/${jobId}`, { token: token2 });
    expect(view.status).toBe(200);
    expect(JSON.parse(view.body)).toMatchObject({
      id: jobId,
      status: 'failed',
      resultUrl: null,
      result: {
        statusCode: 500,
        code: 'JOB_INTERRUPTED',
        message: '服务重启，任务中断，请重新生成',
      },
    });
    // the file being written was never under the final name, and is gone after the restart
    expect(writing).toEqual([`${jobId}.xlsx.part`]);
    expect(left).toEqual([`${jobId}.xlsx.part`]);
    expect(mine()).toEqual([]);

    // a stop that outlasts SHUTDOWN_TIMEOUT_MS marks the job under way interrupted, removes its file
    const r2 = await call(
      again.port,
      'GET',
      `/api/reports/monthly?month=2026-11&regionId=${g.provinceId}&async=true`,
      { token: token2 },
    );
    expect(r2.status).toBe(202);
    const second = (JSON.parse(r2.body) as { jobId: string }).jobId;
    const files = () => fs.readdirSync(jobsDir).filter((n) => n.startsWith(second));
    while (!files().length) {
      if (Date.now() > until + 40_000)
        throw new Error(`the report never started writing:\n${again.log()}`);
      await new Promise((res) => setTimeout(res, 10));
    }
    again.child.kill('SIGTERM');
    expect(await exitWithin(again, 30_000)).toBe(0);
    expect(again.log()).toMatch(/1 job\(s\) unfinished at shutdown marked interrupted/);
    expect(errorLines(again.log())).toEqual([]);
    expect(files()).toEqual([]);
    const third = await serve(db, jobsDir);
    const stopped = await call(third.port, 'GET', `/api/jobs/${second}`, {
      token: await login(third.port),
    });
    expect(JSON.parse(stopped.body)).toMatchObject({
      status: 'failed',
      result: { code: 'JOB_INTERRUPTED', message: '服务重启，任务中断，请重新生成' },
    });
    third.child.kill('SIGTERM');
    expect(await exitWithin(third, 30_000)).toBe(0);
  });
});
