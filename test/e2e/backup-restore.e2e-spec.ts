import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { backup, Manifest, restore } from '../../src/backup/backup';
import { loadConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { Database } from '../../src/database/database';
import { Job } from '../../src/jobs/job.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { Project } from '../../src/projects/project.entity';
import { ADMIN_PASSWORD, binary, createTestApp, regionIds, TestApp } from '../support/app';
import { DIALECT, pgAdmin, pgUrl } from '../support/test-db';

const ROOT = path.resolve(__dirname, '../..');

/** `npm run backup|restore -- DIR` as an operator runs it, with the given installation's variables. */
function npmRun(
  script: 'backup' | 'restore',
  dir: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'SQLITE_PATH', 'JOBS_DIR']) delete base[k];
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', script, '--', dir], {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Issue 31, item 9: a backup taken while the app writes restores into a fresh installation. */
describe(`backup and restore (${DIALECT})`, () => {
  let t: TestApp;
  let work: string;
  let restored: INestApplication | null = null;
  const databases: string[] = [];

  /** The variables naming an installation: a data folder (and, on PostgreSQL, a database). */
  const installation = (folder: string, database?: string): Record<string, string> => ({
    SQLITE_PATH: path.join(folder, 'tracker.sqlite'),
    JOBS_DIR: path.join(folder, 'jobs'),
    ...(DIALECT === 'postgres' ? { DATABASE_URL: database ? pgUrl(database) : '' } : {}),
  });
  const source = (): Record<string, string> =>
    DIALECT === 'postgres'
      ? { ...installation(path.dirname(t.config.jobsDir)), DATABASE_URL: t.config.databaseUrl! }
      : { SQLITE_PATH: t.config.sqlitePath, JOBS_DIR: t.config.jobsDir };
  const freshDatabase = async (): Promise<string | undefined> => {
    if (DIALECT !== 'postgres') return undefined;
    const name = `tracker_restore_${process.pid}_${Date.now()}_${databases.length}`;
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    databases.push(name);
    return name;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-e2e-'));
    const jobsDir = path.join(work, 'live', 'jobs');
    t = await createTestApp({
      env: {
        REPORT_SYNC_MAX_PROJECTS: '0',
        ...(DIALECT === 'postgres' ? { JOBS_DIR: jobsDir } : {}),
      },
    });
  });
  afterAll(async () => {
    await restored?.close();
    await t.close();
    for (const name of databases)
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('a backup during a write burst restores into a fresh folder; the app starts on it with every write acknowledged before', async () => {
    const regions = await regionIds(t);
    const liannan = regions['连南瑶族自治县'];
    // a finished job and its file
    const job = await t
      .http()
      .get(`/api/reports/monthly?month=2026-10&regionId=${liannan}`)
      .expect(202);
    await t.app.get(JobsService).settle();
    const jobFile = (
      await t.http().get(`${job.body.statusUrl}/result`).buffer(true).parse(binary).expect(200)
    ).body as Buffer;
    expect(jobFile.subarray(0, 2).toString()).toBe('PK');

    // the burst: 4 writers creating projects until the backup has finished
    const acked: { name: string; id: number; at: number }[] = [];
    let failures = 0;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `备份演练-${w}-${i}`;
        const r = await t
          .http()
          .post('/api/projects')
          .send({ name, regionId: liannan, budgetWan: `${w}${i}.25` });
        if (r.status === 201) acked.push({ name, id: r.body.id as number, at: Date.now() });
        else failures++;
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 20));
    const dir = path.join(work, 'backup-1');
    const startedAt = Date.now();
    const backup = await npmRun('backup', dir, source());
    const endedAt = Date.now();
    stop = true;
    await Promise.all(writers);
    expect([backup.code, backup.err]).toEqual([0, '']);
    expect(failures).toBe(0);
    const before = acked.filter((a) => a.at < startedAt);
    const during = acked.filter((a) => a.at >= startedAt && a.at <= endedAt);
    expect(before.length).toBeGreaterThanOrEqual(20);
    expect(during.length).toBeGreaterThan(0); // the app really wrote while the backup ran

    // the manifest: time, versions, database kind, schema, each file's size and SHA-256
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'),
    ) as Manifest;
    const dbFile = DIALECT === 'postgres' ? 'database.pgdump' : 'database.sqlite';
    expect(manifest).toMatchObject({
      format: 1,
      app: 'school-capital-tracker',
      appVersion: '0.1.0',
      database: {
        kind: DIALECT,
        file: dbFile,
        schemaVersion: expect.stringMatching(/^\w+\d{13}$/),
      },
    });
    expect(Date.parse(manifest.createdAt)).toBeGreaterThanOrEqual(startedAt - 1000);
    const jobEntry = manifest.files.find((f) => f.path === `data/jobs/${job.body.jobId}.xlsx`);
    expect(jobEntry).toEqual({
      path: `data/jobs/${job.body.jobId}.xlsx`,
      size: jobFile.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(manifest.files.map((f) => f.path)).toContain(dbFile);
    for (const f of manifest.files) expect(fs.statSync(path.join(dir, f.path)).size).toBe(f.size);

    // restore into a fresh folder (and a fresh database), then start the app on it
    const folder = path.join(work, 'restored');
    const database = await freshDatabase();
    const env = installation(folder, database);
    const r = await npmRun('restore', dir, env);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(fs.readFileSync(path.join(folder, 'jobs', `${job.body.jobId}.xlsx`))).toEqual(jobFile);

    const config = loadConfig({
      ...env,
      SEED_REFERENCE_DATA: 'false',
      SCHEDULER_ENABLED: 'false',
      ALERT_DELIVERY_INTERVAL_MS: '0',
    });
    restored = await NestFactory.create(AppModule.forRoot(config), { logger: ['error'] });
    configureApp(restored, config);
    await restored.init();
    const server = restored.getHttpServer() as Parameters<typeof request>[0];
    const login = await request(server)
      .post('/api/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(200);
    const token = login.body.accessToken as string;
    const names = new Set(
      (
        await restored
          .get(Database)
          .reader(Project)
          .createQueryBuilder('p')
          .select('p.name', 'name')
          .where('p.name LIKE :n', { n: '备份演练-%' })
          .getRawMany<{ name: string }>()
      ).map((p) => p.name),
    );
    expect(before.filter((a) => !names.has(a.name))).toEqual([]);
    expect(names.size).toBeLessThanOrEqual(acked.length);
    // a project as the restored app serves it is the one the live app served
    const sample = before[before.length - 1];
    const live = (await t.http().get(`/api/projects/${sample.id}`).expect(200)).body;
    const back = await request(server)
      .get(`/api/projects/${sample.id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(back.body).toEqual(live);
    // the job and its file came back with it, the job pointing at the restored folder
    const restoredJob = await restored
      .get(Database)
      .reader(Job)
      .findOneByOrFail({ id: job.body.jobId as string });
    expect(restoredJob.resultPath).toBe(path.join(folder, 'jobs', `${job.body.jobId}.xlsx`));
    const file = await request(server)
      .get(`${job.body.statusUrl}/result`)
      .set('authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(file.body).toEqual(jobFile);
    // and the restored app takes writes
    await request(server)
      .post('/api/projects')
      .set('authorization', `Bearer ${token}`)
      .send({ name: '恢复后新建', regionId: liannan })
      .expect(201);
  });

  it('restore refuses a non-empty target and a backup whose files do not match the manifest', async () => {
    const dir = path.join(work, 'backup-2');
    expect((await npmRun('backup', dir, source())).code).toBe(0);
    // a backup folder is never reused
    const again = await npmRun('backup', dir, source());
    expect(again.code).toBe(2);
    expect(again.err).toContain('备份目标文件夹不是空的');

    // the live installation: its data folder holds the database and the jobs (a job's file of its
    // own here: on PostgreSQL the folder holds only the jobs, and the tests run in any order)
    fs.mkdirSync(t.config.jobsDir, { recursive: true });
    fs.writeFileSync(path.join(t.config.jobsDir, 'live-job.xlsx'), 'PK');
    const onLive = await npmRun('restore', dir, source());
    expect(onLive.code).toBe(2);
    expect(onLive.err).toContain('恢复已拒绝：目标不是空的');

    // a folder with one stray file
    const stray = path.join(work, 'stray');
    fs.mkdirSync(stray, { recursive: true });
    fs.writeFileSync(path.join(stray, 'notes.txt'), 'x');
    const onStray = await npmRun('restore', dir, installation(stray, await freshDatabase()));
    expect(onStray.code).toBe(2);
    expect(onStray.err).toContain('恢复已拒绝：目标不是空的，已有 1 项');
    expect(fs.readdirSync(stray)).toEqual(['notes.txt']);

    if (DIALECT === 'postgres') {
      // an empty folder but the live, non-empty database
      const empty = path.join(work, 'empty-folder');
      const onDb = await npmRun('restore', dir, {
        ...installation(empty),
        DATABASE_URL: t.config.databaseUrl!,
      });
      expect(onDb.code).toBe(2);
      expect(onDb.err).toContain('恢复已拒绝：数据库不是空的');
      expect(fs.existsSync(empty)).toBe(false);
    }

    // one byte changed in the database copy: nothing is restored
    const dbFile = DIALECT === 'postgres' ? 'database.pgdump' : 'database.sqlite';
    const bytes = fs.readFileSync(path.join(dir, dbFile));
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(path.join(dir, dbFile), bytes);
    const target = path.join(work, 'tampered');
    const tampered = await npmRun('restore', dir, installation(target, await freshDatabase()));
    expect(tampered.code).toBe(2);
    expect(tampered.err).toContain(`备份校验失败，未做任何恢复：${dbFile}（SHA-256 不符）`);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('keeps an outside SUBMISSIONS_DIR: backed up under submissions/, restored into the new one', async () => {
    const live = path.join(work, 'frozen-live');
    fs.mkdirSync(path.join(live, '7'), { recursive: true });
    fs.writeFileSync(path.join(live, '7', '2026-11-1-a.xlsx'), '报送文件');
    const dir = path.join(work, 'backup-submissions');
    const manifest = await backup({ ...t.config, submissionsDir: live }, dir);
    expect(manifest.files.map((f) => f.path)).toContain('submissions/7/2026-11-1-a.xlsx');
    expect(manifest.source.submissionsDir).toBe(live);
    const target = path.join(work, 'restored-submissions');
    const fresh = path.join(work, 'frozen-new');
    await restore(
      loadConfig({ ...installation(target, await freshDatabase()), SUBMISSIONS_DIR: fresh }),
      dir,
    );
    expect(fs.readFileSync(path.join(fresh, '7', '2026-11-1-a.xlsx'), 'utf8')).toBe('报送文件');
  });

  it('keeps FILES_DIR (attachments by SHA-256): backed up under files/ without its temp files, restored into the new one', async () => {
    const live = path.join(work, 'files-live');
    const sha = 'ab'.repeat(32);
    fs.mkdirSync(path.join(live, 'ab'), { recursive: true });
    fs.mkdirSync(path.join(live, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(live, 'ab', sha), '施工许可证扫描件');
    fs.writeFileSync(path.join(live, 'tmp', '0123.part'), '半个文件');
    const dir = path.join(work, 'backup-files');
    const manifest = await backup({ ...t.config, filesDir: live }, dir);
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toContain(`files/ab/${sha}`);
    expect(paths.filter((p) => p.includes('.part'))).toEqual([]);
    expect(manifest.source.filesDir).toBe(live);
    const target = path.join(work, 'restored-files');
    const fresh = path.join(work, 'files-new');
    await restore(
      loadConfig({ ...installation(target, await freshDatabase()), FILES_DIR: fresh }),
      dir,
    );
    expect(fs.readFileSync(path.join(fresh, 'ab', sha), 'utf8')).toBe('施工许可证扫描件');
  });
});
