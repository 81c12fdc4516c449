/**
 * The real built server (`node dist/src/main.js`, after `npx nest build`) in a child process of its
 * own, on a test database, a free port and a jobs folder of its own: for stop and crash tests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_PASSWORD } from './app';
import { createTestDatabase, TestDatabase } from './test-db';

const MAIN =
  process.env.REAL_SERVER_MAIN ?? path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface Server {
  child: ChildProcess;
  port: number;
  log: () => string;
  exited: Promise<number | null>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

export async function startServer(
  db: TestDatabase,
  jobsDir: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Server> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nest build\` first`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    ADMIN_PASSWORD,
    SEED_REFERENCE_DATA: 'false',
    SCHEDULER_ENABLED: 'false',
    ALERT_DELIVERY_INTERVAL_MS: '0',
    JOBS_DIR: jobsDir,
    WEB_DIR: path.join(jobsDir, 'no-web'),
    REPORT_SYNC_MAX_PROJECTS: '0',
    SHUTDOWN_TIMEOUT_MS: '20000',
    ...extraEnv,
  };
  if (db.config.databaseUrl) env.DATABASE_URL = db.config.databaseUrl;
  else env.SQLITE_PATH = db.config.sqlitePath;
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const until = Date.now() + 40_000;
  while (!out.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > until)
      throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, log: () => out, exited };
}

export interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function call(
  port: number,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; agent?: http.Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: url,
        agent: opts.agent,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function login(port: number): Promise<string> {
  const r = await call(port, 'POST', '/api/auth/login', {
    body: { username: 'admin', password: ADMIN_PASSWORD },
  });
  expect(r.status).toBe(200);
  return (JSON.parse(r.body) as { accessToken: string }).accessToken;
}

/** The exit code, or 'still running' when the server has not exited within `ms`. */
export const exitWithin = (s: Server, ms: number): Promise<number | null | 'still running'> =>
  Promise.race([
    s.exited,
    new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms).unref()),
  ]);

/** Log lines at Nest's error level (or an unhandled error printed by Node). */
export const errorLines = (log: string) =>
  log
    .split('\n')
    .filter((l) => /\bERROR\b|not open|Unhandled|at .*\(.*\.js:\d+/.test(l))
    .slice(0, 20);

/** Databases, jobs folders and servers of one test file, all removed (servers killed by PID) by `cleanup`. */
export function realServers() {
  const servers: Server[] = [];
  const dirs: string[] = [];
  const dbs: TestDatabase[] = [];

  const fresh = async (): Promise<{ db: TestDatabase; jobsDir: string }> => {
    const db = await createTestDatabase();
    dbs.push(db);
    const jobsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stop-jobs-'));
    dirs.push(jobsDir);
    return { db, jobsDir };
  };
  const serve = async (db: TestDatabase, jobsDir: string, env: NodeJS.ProcessEnv = {}) => {
    const s = await startServer(db, jobsDir, env);
    servers.push(s);
    return s;
  };

  const cleanup = async () => {
    for (const s of servers)
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGKILL');
        await s.exited;
      }
    for (const db of dbs) await db.drop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  };

  return { fresh, serve, cleanup };
}
