import * as fs from 'node:fs';
import { generate } from '../../scripts/bench/generate';
import { Database } from '../../src/database/database';
import { ENTITIES } from '../../src/entities';
import { call, login, realServers } from '../support/real-server';

/**
 * Issue 31, point 7, on the real built server (`npx nest build` first): a kill -9 during a
 * province report leaves a job that reads failed (JOB_INTERRUPTED) at the next start, and no
 * partial file.
 */
describe('jobs after a crash (real server)', () => {
  const { fresh, serve, cleanup } = realServers();
  afterAll(cleanup);

  it('kill -9 during a province report: at restart the job reads failed (JOB_INTERRUPTED) and its partial file is gone', async () => {
    const { db, jobsDir } = await fresh();
    const direct = await Database.open(db.config, ENTITIES);
    const g = await generate(direct.write, 8_000, { seed: 31 });
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
    // the file being written is never under the final name
    expect(mine()).toEqual([`${jobId}.xlsx.part`]);
    s.child.kill('SIGKILL');
    await s.exited;
    expect(mine()).toEqual([`${jobId}.xlsx.part`]);

    const again = await serve(db, jobsDir);
    const view = await call(again.port, 'GET', `/api/jobs/${jobId}`, {
      token: await login(again.port),
    });
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
    expect(mine()).toEqual([]);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
