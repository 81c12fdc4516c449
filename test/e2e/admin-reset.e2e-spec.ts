import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { User } from '../../src/auth/user.entity';
import { createTestApp, regionIds, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');

/** `npm run admin:reset-password -- USER` as an operator runs it, with an installation's variables. */
function resetPassword(
  username: string | null,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  const base = { ...process.env };
  for (const k of ['DATABASE_URL', 'SQLITE_PATH', 'JOBS_DIR', 'NEW_PASSWORD', 'ADMIN_PASSWORD'])
    delete base[k];
  return new Promise((resolve, reject) => {
    const child = spawn(
      'npm',
      ['run', '-s', 'admin:reset-password', '--', ...(username ? [username] : [])],
      { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const newPassword = (out: string) => /新密码：([A-Za-z0-9]+)/.exec(out)?.[1] ?? null;

/** Issue 38, point 1: getting in on a fresh install, and back in after losing the password. */
describe('the first admin on a fresh install (SQLite, the built server)', () => {
  let dir: string;
  let child: ChildProcess | null = null;
  let out = '';

  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nest build\` first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-reset-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the generated password last, framed; the reset script lets the locked-out admin in', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      SQLITE_PATH: path.join(dir, 'tracker.sqlite'),
      JOBS_DIR: path.join(dir, 'jobs'),
      SEED_REFERENCE_DATA: 'false',
      SCHEDULER_ENABLED: 'false',
    };
    child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 40_000;
    while (!out.includes('╝') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = out.trimEnd().split('\n');
    const top = lines.findIndex((l) => l.startsWith('╔'));
    // the block is the last thing printed: after every route Nest mapped and the "listening" line
    expect(top).toBeGreaterThan(lines.map((l) => l.includes('Mapped {')).lastIndexOf(true));
    expect(top).toBeGreaterThan(lines.findIndex((l) => l.includes('listening on')));
    expect(lines[lines.length - 1]).toMatch(/^╚═+╝$/);
    const block = lines.slice(top);
    expect(block.some((l) => l.includes('用户名：admin'))).toBe(true);
    expect(block.some((l) => l.includes('首次登录后须修改密码'))).toBe(true);
    expect(block.some((l) => l.includes('npm run admin:reset-password -- admin'))).toBe(true);
    // every line of the frame is as wide as the others (CJK counted two columns)
    const width = (s: string) =>
      [...s].reduce((w, c) => w + (/[\u2e80-\uffef]/.test(c) ? 2 : 1), 0);
    expect(new Set(block.map(width)).size).toBe(1);
    const first = /初始密码：([A-Za-z0-9]+)/.exec(out)![1];
    const port = /登录地址：http:\/\/localhost:(\d+)\//.exec(out)![1];
    const server = `http://127.0.0.1:${port}`;
    const signIn = (password: string) =>
      request(server).post('/api/auth/login').send({ username: 'admin', password });

    const ok = await signIn(first);
    expect(ok.status).toBe(200);
    expect(ok.body.mustChangePassword).toBe(true);

    // the password forgotten: five wrong tries and this client is locked out
    for (let i = 0; i < 5; i++) expect((await signIn('Wrong-Guess-0000')).status).toBe(401);
    expect((await signIn(first)).status).toBe(429);

    const r = await resetPassword('admin', {
      SQLITE_PATH: env.SQLITE_PATH,
      JOBS_DIR: env.JOBS_DIR,
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('已重置用户“admin”的密码');
    expect(r.out).toContain('操作人 system/shell');
    const second = newPassword(r.out)!;
    expect(second).not.toBe(first);

    // the running server lets the new password in at once; the old one and the old session are gone
    const back = await signIn(second);
    expect(back.status).toBe(200);
    expect(back.body.mustChangePassword).toBe(true);
    expect((await signIn(first)).status).toBe(401);
    const me = await request(server)
      .get('/api/auth/me')
      .set('authorization', `Bearer ${ok.body.accessToken}`);
    expect(me.status).toBe(401);
    const audit = await request(server)
      .get('/api/audit?entity=user')
      .set('authorization', `Bearer ${back.body.accessToken}`);
    expect(audit.status).toBe(200);
    const row = (audit.body.items as { actorName: string; action: string }[]).find(
      (i) => i.action === 'reset_password',
    );
    expect(row?.actorName).toBe('system/shell');
  }, 120_000);
});

describe(`admin:reset-password on the installation (${DIALECT})`, () => {
  let t: TestApp;
  const installation = (): Record<string, string> =>
    DIALECT === 'postgres'
      ? { DATABASE_URL: t.config.databaseUrl!, JOBS_DIR: t.config.jobsDir }
      : { SQLITE_PATH: t.config.sqlitePath, JOBS_DIR: t.config.jobsDir };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses without a user, an unknown user and a password the rule refuses, changing nothing', async () => {
    // the other tests of this file may have reset someone before (any order): nothing is added here
    const shellRows = () =>
      t.db.write.getRepository(AuditLog).countBy({ actorName: 'system/shell' });
    const before = await shellRows();
    const none = await resetPassword(null, installation());
    expect(none.code).toBe(2);
    expect(none.err).toContain('用法：npm run admin:reset-password -- 用户名');
    const [unknown, weak] = await Promise.all([
      resetPassword('nobody', installation()),
      resetPassword('admin', { ...installation(), NEW_PASSWORD: 'password123' }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('没有用户名为“nobody”的用户');
    expect(weak.code).toBe(2);
    expect(weak.err).toContain('密码不符合要求：密码过于常见，请换一个');
    expect(unknown.err).toContain(
      DIALECT === 'sqlite'
        ? `（数据库：${t.config.sqlitePath}）`
        : '（数据库：DATABASE_URL 所指的数据库）',
    );
    // a wrong SQLITE_PATH: refused, naming the path, and no database created there
    const missing = path.join(os.tmpdir(), `no-such-dir-${process.pid}`, 'tracker.sqlite');
    const wrong = await resetPassword('admin', {
      JOBS_DIR: t.config.jobsDir,
      SQLITE_PATH: missing,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain(`数据库文件不存在：${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
    expect(await shellRows()).toBe(before);
  }, 90_000);

  it('sets NEW_PASSWORD on a 停用 officer: enabled again, must change it, audited as system/shell', async () => {
    const officer = await t.as(
      'infrastructure',
      (await regionIds(t))['连南瑶族自治县'],
      'shell_reset_officer',
    );
    await t.db.write.getRepository(User).update({ id: officer.userId }, { disabled: true });
    const r = await resetPassword('shell_reset_officer', {
      ...installation(),
      NEW_PASSWORD: 'Shell-Chosen-Pass-38',
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('该账号原为停用状态，已重新启用');
    expect(newPassword(r.out)).toBeNull(); // a chosen password is not printed
    const login = await t
      .anon()
      .post('/api/auth/login')
      .send({ username: 'shell_reset_officer', password: 'Shell-Chosen-Pass-38' });
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
    const rows = await t.db.write
      .getRepository(AuditLog)
      .findBy({ actorName: 'system/shell', entityId: officer.userId });
    expect(rows.map((a) => [a.action, a.entity, a.actorId, a.changes])).toEqual([
      [
        'reset_password',
        'user',
        null,
        {
          password: { old: '（已隐藏）', new: '（已重置）' },
          mustChangePassword: { old: false, new: true },
          disabled: { old: true, new: false },
        },
      ],
    ]);
  }, 90_000);
});
