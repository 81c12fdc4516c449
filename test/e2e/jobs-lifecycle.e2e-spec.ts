import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { Database } from '../../src/database/database';
import { Job } from '../../src/jobs/job.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { ADMIN_PASSWORD, createTestApp, regionIds } from '../support/app';
import {
  deflateRows,
  HEADER_ROW,
  SHEET_HEAD,
  SHEET_TAIL,
  workbookParts,
  zip,
} from '../../scripts/bench/hostile-xlsx';
import { createTestDatabase, TestDatabase } from '../support/test-db';

/** Issue "Hostile input", item 4: jobs are bounded, expire, and do not say `running` forever. */
describe('job lifecycle', () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const DAY = 86_400_000;

  const start = async (db: TestDatabase): Promise<INestApplication> => {
    const app = await NestFactory.create(AppModule.forRoot(db.config), { logger: ['error'] });
    configureApp(app, db.config);
    await app.init();
    return app;
  };

  it('at start, jobs a crash left queued or running are failed; old jobs and their files are deleted', async () => {
    const db = await createTestDatabase({ env: { JOB_RETENTION_DAYS: '7' } });
    const first = await start(db);
    const jobsDir = db.config.jobsDir;
    fs.mkdirSync(jobsDir, { recursive: true });
    const file = (name: string, mtimeAgo: number) => {
      const p = path.join(jobsDir, name);
      fs.writeFileSync(p, 'x');
      const t = new Date(Date.now() - mtimeAgo);
      fs.utimesSync(p, t, t);
      return p;
    };
    const job = (id: string, status: Job['status'], extra: Partial<Job>): Partial<Job> => ({
      id,
      kind: 'monthly_report',
      status,
      percent: 40,
      createdById: 1,
      createdBy: 'admin',
      resultName: null,
      resultPath: null,
      result: null,
      createdAt: ago(9 * DAY),
      finishedAt: null,
      heartbeatAt: null,
      ...extra,
    });
    const ids = {
      crashedRunning: '00000000-0000-4000-8000-000000000001',
      crashedQueued: '00000000-0000-4000-8000-000000000002',
      aliveElsewhere: '00000000-0000-4000-8000-000000000003',
      oldDone: '00000000-0000-4000-8000-000000000004',
      recentDone: '00000000-0000-4000-8000-000000000005',
      oldFailed: '00000000-0000-4000-8000-000000000006',
    };
    const oldFile = file(`${ids.oldDone}.xlsx`, 8 * DAY);
    const recentFile = file(`${ids.recentDone}.xlsx`, 2 * DAY);
    const orphan = file('orphan.xlsx', 30 * DAY);
    await first.get(Database).transaction(async (em) => {
      await em.insert(Job, [
        job(ids.crashedRunning, 'running', { heartbeatAt: ago(10 * 60_000) }),
        job(ids.crashedQueued, 'queued', { heartbeatAt: null }),
        job(ids.aliveElsewhere, 'running', { heartbeatAt: ago(5_000) }),
        job(ids.oldDone, 'done', {
          finishedAt: ago(8 * DAY),
          resultPath: oldFile,
          resultName: 'a.xlsx',
        }),
        job(ids.recentDone, 'done', {
          finishedAt: ago(2 * DAY),
          resultPath: recentFile,
          resultName: 'b.xlsx',
        }),
        job(ids.oldFailed, 'failed', { finishedAt: ago(7 * DAY + 60_000), result: '{}' }),
      ]);
    });
    await first.close();

    const second = await start(db);
    try {
      const rows = await second
        .get(Database)
        .read.getRepository(Job)
        .find({ order: { id: 'ASC' } });
      expect(rows.map((j) => [j.id, j.status])).toEqual([
        [ids.crashedRunning, 'failed'],
        [ids.crashedQueued, 'failed'],
        [ids.aliveElsewhere, 'running'],
        [ids.recentDone, 'done'],
      ]);
      expect(fs.existsSync(oldFile)).toBe(false);
      expect(fs.existsSync(orphan)).toBe(false);
      expect(fs.existsSync(recentFile)).toBe(true);
      const login = await request(second.getHttpServer())
        .post('/api/auth/login')
        .send({ username: 'admin', password: ADMIN_PASSWORD })
        .expect(200);
      const view = await request(second.getHttpServer())
        .get(`/api/jobs/${ids.crashedRunning}`)
        .set('authorization', `Bearer ${login.body.accessToken}`)
        .expect(200);
      expect(view.body).toMatchObject({
        status: 'failed',
        percent: 40,
        resultUrl: null,
        result: {
          statusCode: 500,
          code: 'JOB_INTERRUPTED',
          message: '服务重启，任务中断，请重新生成',
        },
      });
      await request(second.getHttpServer())
        .get(`/api/jobs/${ids.oldDone}`)
        .set('authorization', `Bearer ${login.body.accessToken}`)
        .expect(404);
      // the other instance's job stops beating: the next sweep fails it
      await second
        .get(Database)
        .transaction((em) => em.update(Job, ids.aliveElsewhere, { heartbeatAt: ago(61_000) }));
      expect(await second.get(JobsService).sweep()).toEqual({ interrupted: 1, deleted: 0 });
    } finally {
      await second.close();
      await db.drop();
    }
  });

  it('an import result lists the first 1,000 problems and rows, with exact counts of the rest', async () => {
    const t = await createTestApp({ env: { IMPORT_SYNC_MAX_BYTES: '1024' } });
    try {
      const regions = await regionIds(t);
      const lechang = regions['乐昌市'];
      // 3,000 rows whose 小学 is a long text (that does not compress to nothing): one error each
      const noise = (i: number) =>
        Array.from({ length: 300 }, (_, k) =>
          String.fromCharCode(0x4e00 + ((i * 7919 + k * 104_729) % 20_000)),
        ).join('');
      const bad = zip(
        await workbookParts(
          await deflateRows(
            'xl/worksheets/sheet1.xml',
            SHEET_HEAD + HEADER_ROW,
            (i) =>
              `<row r="${i + 2}"><c r="A${i + 2}"><v>2026</v></c><c r="B${i + 2}" t="inlineStr"><is><t>学校${i}</t></is></c><c r="C${i + 2}" t="inlineStr"><is><t>${noise(i)}</t></is></c><c r="D${i + 2}"><v>1</v></c></row>`,
            3_000,
            SHEET_TAIL,
          ),
        ),
      );
      // the refused import fails its job, which the job runner logs as an error: expected here, so
      // asserted and kept off the test output
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const r = await t
        .http()
        .post('/api/imports/projects')
        .attach('file', bad, 'bad.xlsx')
        .field('regionId', String(lechang))
        .expect(202);
      await t.app.get(JobsService).settle();
      const calls = logged.mock.calls.map(([m]) => String(m).split('\n')[0]);
      logged.mockRestore();
      expect(calls).toEqual([
        `job ${r.body.jobId} failed: Error: 导入文件有错误，未导入任何数据；请按行列提示修改后重新导入`,
      ]);
      const job = (await t.http().get(r.body.statusUrl).expect(200)).body;
      expect(job.status).toBe('failed');
      expect(job.result).toMatchObject({
        code: 'IMPORT_INVALID',
        errorsOmitted: 2_000,
        warningsOmitted: 0,
      });
      expect(job.result.errors).toHaveLength(1_000);
      expect(job.result.errors[0].message).toBe(
        `工作表“规划表”第2行C列（小学）：须为数字，实际为“${noise(0).slice(0, 50)}…”`,
      );
      expect(JSON.stringify(job.result).length).toBeLessThan(400_000);
      const dry = await t
        .http()
        .post('/api/imports/projects')
        .attach('file', bad, 'bad.xlsx')
        .field('regionId', String(lechang))
        .field('dryRun', 'true')
        .expect(202);
      await t.app.get(JobsService).settle();
      const preview = (await t.http().get(dry.body.statusUrl).expect(200)).body.result;
      expect(preview).toMatchObject({ invalid: 3_000, rowsOmitted: 2_000, errorsOmitted: 2_000 });
      expect(preview.rows).toHaveLength(1_000);
    } finally {
      await t.close();
    }
  });
});
