import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MAIN = path.join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** Starts the built server on a fresh SQLite file with this ADMIN_PASSWORD; resolves with its exit. */
function firstStart(
  adminPassword: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-pw-'));
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      SQLITE_PATH: path.join(dir, 'tracker.sqlite'),
      JOBS_DIR: path.join(dir, 'jobs'),
      ADMIN_PASSWORD: adminPassword,
      SEED_REFERENCE_DATA: 'false',
      SCHEDULER_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const check = setInterval(() => {
      // a server that started has taken the password: stop it, the test reads its log
      if (out.includes('listening on')) child.kill('SIGTERM');
    }, 50);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(check);
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, out });
    });
  });
}

/** Issue 31, point 8: the first admin's chosen password meets the rule like every other one. */
describe('ADMIN_PASSWORD on the first start', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nest build\` first`);
  });

  it('a common or simple one stops the start with the reason, and nothing serves', async () => {
    const common = await firstStart('password123');
    expect(common.code).not.toBe(0);
    expect(common.out).toContain('ADMIN_PASSWORD is refused: 密码过于常见，请换一个');
    expect(common.out).not.toContain('listening on');
    const simple = await firstStart('Abc1234567');
    expect(simple.code).not.toBe(0);
    expect(simple.out).toContain('ADMIN_PASSWORD is refused: 密码过于简单');
  }, 90_000);

  it('a good one starts the server', async () => {
    const good = await firstStart('Bureau-Chosen-Pass-7');
    // the port it took (PORT=0) and the address to open
    expect(good.out).toMatch(/listening on port (\d+): http:\/\/localhost:\1\/ \(sign-in page/);
    expect(good.out).not.toContain('refused');
    // behind a proxy: the address officers open, not this machine's port
    const proxied = await firstStart('Bureau-Chosen-Pass-7', {
      PUBLIC_URL: 'https://jijian.example.gov.cn/tracker',
    });
    expect(proxied.out).toMatch(
      /listening on port \d+: https:\/\/jijian\.example\.gov\.cn\/tracker\/ \(sign-in page/,
    );
  }, 90_000);
});
