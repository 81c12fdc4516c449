import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { AppConfig } from '../config/app-config';

/**
 * Backup and restore of a running installation (issue 31, point 9), used by scripts/backup.ts and
 * scripts/restore.ts. A backup folder holds:
 *
 * - `database.sqlite` (SQLite's online backup API: a consistent copy taken while the app writes,
 *   switched to a single file without WAL) or `database.pgdump` (`pg_dump -Fc`, one snapshot);
 * - `data/…`: every other file of the data folder (the SQLite file's folder): job results and
 *   whatever else is stored there; `jobs/…`: JOBS_DIR when it lies outside the data folder;
 *   `submissions/…`: SUBMISSIONS_DIR (the frozen workbooks of submitted months) likewise;
 *   `files/…`: FILES_DIR (attachments by SHA-256) likewise — an S3 store is backed up by its own means;
 * - `manifest.json`: when, which app version, database kind and schema (last migration), and the
 *   size and SHA-256 of every file, checked before anything is restored.
 */
const MANIFEST = 'manifest.json';
const MANIFEST_FORMAT = 1;

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: number;
  app: string;
  appVersion: string;
  createdAt: string;
  database: {
    kind: 'sqlite' | 'postgres';
    file: string;
    /** The last migration applied: the schema version the backup needs. */
    schemaVersion: string | null;
    migrations: number;
  };
  /** Where `data/` and `jobs/` came from (for the record; restore uses its own configuration). */
  source: { dataDir: string; jobsDir: string; submissionsDir?: string; filesDir?: string };
  files: ManifestFile[];
}

/** A failure the operator can act on: its message is printed alone, and the exit code is 2. */
export class OpsError extends Error {}

type BackupConfig = Pick<AppConfig, 'dialect' | 'sqlitePath' | 'databaseUrl' | 'jobsDir'> &
  Partial<Pick<AppConfig, 'submissionsDir' | 'filesDir'>>;

/** The folders outside the data folder that are backed up too, under their own root. */
const outsideRoots = (config: BackupConfig): [root: string, dir: string][] =>
  (
    [
      ['jobs', config.jobsDir],
      ['submissions', config.submissionsDir],
      ['files', config.filesDir],
    ] as [string, string | undefined][]
  ).filter((r): r is [string, string] => r[1] !== undefined && !inside(r[1], dataDirOf(config)));

/** The data folder: the SQLite file's folder (`data/` by default), where job files live too. */
const dataDirOf = (config: BackupConfig) => path.dirname(config.sqlitePath);

const inside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** The files of the database itself, never copied as plain files. */
function isDatabaseFile(file: string, config: BackupConfig): boolean {
  return [
    config.sqlitePath,
    `${config.sqlitePath}-wal`,
    `${config.sqlitePath}-shm`,
    `${config.sqlitePath}-journal`,
  ].includes(file);
}

/** A folder that is itself a backup (kept under the data folder): not copied into the next one. */
const isBackupFolder = (dir: string) =>
  fs.existsSync(path.join(dir, MANIFEST)) &&
  (fs.existsSync(path.join(dir, 'database.sqlite')) ||
    fs.existsSync(path.join(dir, 'database.pgdump')));

/** Every regular file under dir, relative, skipping the excluded folders. */
function walk(dir: string, skip: (abs: string) => boolean, rel = ''): string[] {
  const here = path.join(dir, rel);
  if (!fs.existsSync(here)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(here, { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    const abs = path.join(dir, r);
    if (skip(abs)) continue;
    if (e.isDirectory()) out.push(...walk(dir, skip, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function appVersion(): { name: string; version: string } {
  let dir = __dirname;
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    const up = path.dirname(dir);
    if (up === dir) return { name: 'school-capital-tracker', version: 'unknown' };
    dir = up;
  }
}

/** pg_dump / pg_restore with the URL's password in PGPASSWORD rather than on the command line. */
function pgArgs(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) =>
      reject(new OpsError(`无法运行 ${cmd}（请安装 PostgreSQL 客户端工具）：${e.message}`)),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new OpsError(`${cmd} 失败（退出码 ${code}）：${stderr.trim()}`)),
    );
  });
}

async function withPg<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The schema version of a database: its last migration and how many have run. */
async function schemaOf(
  config: BackupConfig,
  sqliteFile?: string,
): Promise<{ schemaVersion: string | null; migrations: number }> {
  if (config.dialect === 'postgres') {
    return withPg(config.databaseUrl!, async (c) => {
      const r = await c.query<{ name: string; n: string }>(
        'SELECT name, (SELECT count(*) FROM migrations)::text AS n FROM migrations ORDER BY "timestamp" DESC, id DESC LIMIT 1',
      );
      return { schemaVersion: r.rows[0]?.name ?? null, migrations: Number(r.rows[0]?.n ?? 0) };
    });
  }
  const db = new BetterSqlite3(sqliteFile!, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        'SELECT name, (SELECT count(*) FROM migrations) AS n FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1',
      )
      .get() as { name: string; n: number } | undefined;
    return { schemaVersion: row?.name ?? null, migrations: row?.n ?? 0 };
  } finally {
    db.close();
  }
}

/** A new folder, or an empty one: a backup never mixes with older files. */
function prepareTarget(dir: string): void {
  if (fs.existsSync(dir)) {
    if (!fs.statSync(dir).isDirectory()) throw new OpsError(`备份目标不是文件夹：${dir}`);
    if (fs.readdirSync(dir).length)
      throw new OpsError(`备份目标文件夹不是空的：${dir}。请为每次备份指定一个新的文件夹。`);
  }
  // it holds password hashes and the token secret: readable by the app's user only
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * Writes a consistent backup of the configured installation into dir (new or empty) while the app
 * runs: first the database (one snapshot), then the files. A job finished before the snapshot has
 * its file already complete on disk, so the copy holds every result the copied database names.
 */
export async function backup(
  config: BackupConfig,
  dir: string,
  log: (s: string) => void = () => undefined,
): Promise<Manifest> {
  const target = path.resolve(dir);
  const dataDir = dataDirOf(config);
  if (config.dialect === 'sqlite' && !fs.existsSync(config.sqlitePath))
    throw new OpsError(`找不到数据库文件：${config.sqlitePath}（请检查 SQLITE_PATH）`);
  prepareTarget(target);
  const createdAt = new Date().toISOString();

  let dbFile: string;
  let schema: { schemaVersion: string | null; migrations: number };
  if (config.dialect === 'sqlite') {
    dbFile = 'database.sqlite';
    const dest = path.join(target, dbFile);
    const src = new BetterSqlite3(config.sqlitePath, {
      readonly: true,
      fileMustExist: true,
      timeout: 10_000,
    });
    try {
      // after the first 100 pages, all the rest in one step: a copy that restarts on every
      // commit of the running app could otherwise never finish under a steady write load
      await src.backup(dest, { progress: () => 0x7fffffff });
    } finally {
      src.close();
    }
    const copy = new BetterSqlite3(dest, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE'); // one self-contained file; the app turns WAL back on
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new OpsError(`备份的数据库未通过完整性检查：${String(check)}`);
    } finally {
      copy.close();
    }
    schema = await schemaOf(config, dest);
  } else {
    dbFile = 'database.pgdump';
    schema = await schemaOf(config);
    const { dbname, env } = pgArgs(config.databaseUrl!);
    await run('pg_dump', ['-Fc', '--no-owner', '-f', path.join(target, dbFile), dbname], env);
  }
  log(`数据库已备份：${dbFile}（架构版本 ${schema.schemaVersion ?? '无'}）`);

  // the files: the data folder (without the database, the target and older backups), and JOBS_DIR
  // an attachment being written (FILES_DIR/tmp, renamed into place when whole) is not a file yet
  const filesTmp = config.filesDir ? path.join(config.filesDir, 'tmp') : null;
  const skip = (abs: string) =>
    isDatabaseFile(abs, config) ||
    inside(abs, target) ||
    isBackupFolder(abs) ||
    (filesTmp !== null && inside(abs, filesTmp));
  const copies: [from: string, to: string][] = [];
  for (const rel of walk(dataDir, skip)) copies.push([path.join(dataDir, rel), `data/${rel}`]);
  for (const [root, dir] of outsideRoots(config))
    for (const rel of walk(dir, skip)) copies.push([path.join(dir, rel), `${root}/${rel}`]);
  for (const [from, to] of copies) {
    const dest = path.join(target, to);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    try {
      fs.copyFileSync(from, dest);
    } catch (e) {
      // a job file removed by retention (or a temporary one renamed) since it was listed
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  const files: ManifestFile[] = [];
  for (const rel of [dbFile, ...copies.map(([, to]) => to)]) {
    const abs = path.join(target, rel);
    if (!fs.existsSync(abs)) continue;
    files.push({
      path: rel.split(path.sep).join('/'),
      size: fs.statSync(abs).size,
      sha256: await sha256File(abs),
    });
  }
  const pkg = appVersion();
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    app: pkg.name,
    appVersion: pkg.version,
    createdAt,
    database: { kind: config.dialect, file: dbFile, ...schema },
    source: {
      dataDir,
      jobsDir: config.jobsDir,
      submissionsDir: config.submissionsDir,
      filesDir: config.filesDir,
    },
    files,
  };
  fs.writeFileSync(path.join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  log(`已写入 ${files.length} 个文件和 ${MANIFEST}：${target}`);
  return manifest;
}

/** Reads the manifest and checks every file against its size and SHA-256. */
async function verifyBackup(dir: string): Promise<Manifest> {
  const source = path.resolve(dir);
  const file = path.join(source, MANIFEST);
  if (!fs.existsSync(file)) throw new OpsError(`不是备份文件夹（没有 ${MANIFEST}）：${source}`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    throw new OpsError(`${MANIFEST} 无法读取：${file}`);
  }
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files))
    throw new OpsError(`${MANIFEST} 的格式不受支持：${String(manifest.format)}`);
  const bad: string[] = [];
  for (const f of manifest.files) {
    const abs = path.join(source, f.path);
    if (!inside(abs, source) || f.path.includes('..')) bad.push(`${f.path}（路径无效）`);
    else if (!fs.existsSync(abs)) bad.push(`${f.path}（缺失）`);
    else if (fs.statSync(abs).size !== f.size) bad.push(`${f.path}（大小不符）`);
    else if ((await sha256File(abs)) !== f.sha256) bad.push(`${f.path}（SHA-256 不符）`);
  }
  if (!manifest.files.some((f) => f.path === manifest.database?.file))
    bad.push(`${String(manifest.database?.file)}（数据库文件未列入清单）`);
  if (bad.length) throw new OpsError(`备份校验失败，未做任何恢复：${bad.join('；')}`);
  return manifest;
}

/**
 * A job keeps its result file's absolute path: after a restore into another folder, the paths
 * under the backed-up JOBS_DIR are moved to the configured one (the files were restored there).
 */
async function relocateJobFiles(config: BackupConfig, oldJobsDir: string): Promise<number> {
  const from = oldJobsDir.endsWith(path.sep) ? oldJobsDir : `${oldJobsDir}${path.sep}`;
  const to = config.jobsDir.endsWith(path.sep) ? config.jobsDir : `${config.jobsDir}${path.sep}`;
  if (from === to) return 0;
  const sql = (p: (n: number) => string) =>
    `UPDATE job SET result_path = ${p(1)} || substr(result_path, ${p(2)})
     WHERE substr(result_path, 1, ${p(3)}) = ${p(4)}`;
  const args = [to, from.length + 1, from.length, from];
  if (config.dialect === 'postgres')
    return withPg(config.databaseUrl!, async (c) => {
      const r = await c.query(
        sql((n) => `$${n}`),
        args,
      );
      return r.rowCount ?? 0;
    });
  const db = new BetterSqlite3(config.sqlitePath, { fileMustExist: true });
  try {
    return db.prepare(sql(() => '?')).run(...args).changes;
  } finally {
    db.close();
  }
}

/** What a folder holds (nothing when it does not exist). */
const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

/**
 * Restores a verified backup into the configured installation, which must be empty: no file in
 * the data folder or JOBS_DIR, and (PostgreSQL) no table in the database. Refuses anything else.
 */
export async function restore(
  config: BackupConfig,
  dir: string,
  log: (s: string) => void = () => undefined,
): Promise<Manifest> {
  const source = path.resolve(dir);
  const manifest = await verifyBackup(source);
  if (manifest.database.kind !== config.dialect)
    throw new OpsError(
      `备份来自 ${manifest.database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}，而当前配置是 ${
        config.dialect === 'sqlite' ? 'SQLite（未设置 DATABASE_URL）' : 'PostgreSQL（DATABASE_URL）'
      }，不能恢复`,
    );
  log(`备份校验通过：${manifest.files.length} 个文件（${manifest.createdAt}）`);

  const dataDir = dataDirOf(config);
  const occupied = [
    ...entries(dataDir).map((e) => path.join(dataDir, e)),
    ...outsideRoots(config).flatMap(([, d]) => entries(d).map((e) => path.join(d, e))),
  ];
  if (occupied.length)
    throw new OpsError(
      `恢复已拒绝：目标不是空的，已有 ${occupied.length} 项（${occupied.slice(0, 3).join('、')}${
        occupied.length > 3 ? ' 等' : ''
      }）。请把 SQLITE_PATH / JOBS_DIR 指向空文件夹，或先移走现有数据。`,
    );
  if (config.dialect === 'postgres') {
    const tables = await withPg(config.databaseUrl!, async (c) => {
      const r = await c.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
      );
      return Number(r.rows[0].n);
    });
    if (tables > 0)
      throw new OpsError(
        `恢复已拒绝：数据库不是空的（已有 ${tables} 个表或序列）。请新建一个空数据库并把 DATABASE_URL 指向它。`,
      );
  }

  // files first, database last: a restore that fails midway leaves no database to start on
  for (const f of manifest.files) {
    if (f.path === manifest.database.file) continue;
    const [root, ...rest] = f.path.split('/');
    const base =
      root === 'data'
        ? dataDir
        : root === 'jobs'
          ? config.jobsDir
          : root === 'submissions'
            ? (config.submissionsDir ?? path.join(dataDir, 'submissions'))
            : root === 'files'
              ? (config.filesDir ?? path.join(dataDir, 'files'))
              : null;
    if (!base) continue;
    const dest = path.join(base, ...rest);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(source, f.path), dest);
  }
  const dbSource = path.join(source, manifest.database.file);
  if (config.dialect === 'sqlite') {
    fs.mkdirSync(dataDir, { recursive: true });
    const temp = `${config.sqlitePath}.restoring`;
    fs.copyFileSync(dbSource, temp);
    fs.renameSync(temp, config.sqlitePath);
  } else {
    const { dbname, env } = pgArgs(config.databaseUrl!);
    await run(
      'pg_restore',
      ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', '-d', dbname, dbSource],
      env,
    );
  }
  const moved = await relocateJobFiles(config, manifest.source.jobsDir);
  if (moved) log(`${moved} 个任务的结果文件路径已改到 ${config.jobsDir}`);
  log(
    `已恢复：数据库（架构版本 ${manifest.database.schemaVersion ?? '无'}）和 ${
      manifest.files.length - 1
    } 个文件`,
  );
  return manifest;
}
