import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as password from '../../src/auth/password';
import { ADMIN_PASSWORD, createTestApp, TestApp } from '../support/app';
import { timingIt } from '../support/timing';

/** Issue 31, points 1, 2 and 4: a throttle that counts before it works, TRUST_PROXY, no token to the web. */

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

/** One request to a listening server, with the given headers and source address. */
function call(
  port: number,
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: url,
        method,
        localAddress: opts.from,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const login = (
  port: number,
  username: string,
  pass: string,
  opts: { headers?: Record<string, string>; from?: string } = {},
) => call(port, 'POST', '/api/auth/login', { ...opts, body: { username, password: pass } });

async function listen(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer() as http.Server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

const sessionCookie = (a: Answer) =>
  (a.headers['set-cookie'] ?? []).find((c) => c.startsWith('tracker_session=')) ?? '';

/**
 * 5 wrong passwords for admin and 15 for other names from X-Forwarded-For 10.0.0.1 (the client's
 * 20 failures), then admin's right password from 10.0.0.1 and from 10.0.0.2.
 */
async function lockOutFrom10001(port: number): Promise<{ same: Answer; other: Answer }> {
  const xff = { 'x-forwarded-for': '10.0.0.1' };
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++)
    statuses.push((await login(port, 'admin', `wrong-pass-${i}`, { headers: xff })).status);
  for (let i = 0; i < 15; i++)
    statuses.push((await login(port, `guess${i}`, 'wrong-pass-1', { headers: xff })).status);
  expect(statuses).toEqual(Array(20).fill(401));
  const same = await login(port, 'admin', ADMIN_PASSWORD, { headers: xff });
  const other = await login(port, 'admin', ADMIN_PASSWORD, {
    headers: { 'x-forwarded-for': '10.0.0.2' },
  });
  return { same, other };
}

describe('login throttle, web answers and forwarded headers (TRUST_PROXY unset)', () => {
  let t: TestApp;
  let port: number;

  // an app per test: the lock-out test's 20 failures from this client would refuse the others' sign-ins
  beforeEach(async () => {
    t = await createTestApp();
    port = await listen(t);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('200 concurrent wrong logins for one user: exactly 5 password checks, the rest 429 at once', async () => {
    await t.as('viewer', 1, 'burst.target');
    const verify = jest.spyOn(password, 'verifyPassword');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        login(port, 'burst.target', `wrong-pass-${i}`, { from: '127.0.0.5' }),
      ),
    );
    expect(verify).toHaveBeenCalledTimes(5);
    const byStatus: Record<string, number> = {};
    for (const a of answers) {
      const k = `${a.status} ${String(a.body.code)}`;
      byStatus[k] = (byStatus[k] ?? 0) + 1;
    }
    expect(byStatus).toEqual({ '401 LOGIN_FAILED': 5, '429 TOO_MANY_ATTEMPTS': 195 });
    const blocked = answers.find((a) => a.status === 429)!;
    expect(blocked.body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_ATTEMPTS',
      message: '登录失败次数过多：请15分钟后再试，或请管理员重置密码',
      errors: [],
    });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    // and the right password from that client is refused too, as after 5 sequential failures
    verify.mockClear();
    const right = await login(port, 'burst.target', 'User-Pass-123', { from: '127.0.0.5' });
    expect(right.status).toBe(429);
    expect(verify).not.toHaveBeenCalled();
    // the user's own client still gets in
    const own = await login(port, 'burst.target', 'User-Pass-123', { from: '127.0.0.6' });
    expect(own.status).toBe(200);
  });

  it('a web client (X-Tracker-Client: web) gets the cookie and no accessToken from login, refresh and a password change; an API client still gets the token', async () => {
    await t.as('viewer', 1, 'web.user');
    const web = { 'x-tracker-client': 'web' };
    const signedIn = await login(port, 'web.user', 'User-Pass-123', {
      headers: web,
      from: '127.0.0.7',
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).not.toHaveProperty('accessToken');
    expect(signedIn.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800 });
    const cookie = sessionCookie(signedIn);
    expect(cookie).toMatch(
      /^tracker_session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=1800; Path=\/api; .*HttpOnly/,
    );
    const token = cookie.slice('tracker_session='.length, cookie.indexOf(';'));
    expect(JSON.stringify(signedIn.body)).not.toContain(token);
    const withCookie = { ...web, cookie: `tracker_session=${token}` };
    const me = await call(port, 'GET', '/api/auth/me', { headers: withCookie });
    expect(me.body).toMatchObject({ username: 'web.user', role: 'viewer' });

    const refreshed = await call(port, 'POST', '/api/auth/refresh', { headers: withCookie });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('accessToken');
    expect(refreshed.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800 });
    expect(sessionCookie(refreshed)).toMatch(/^tracker_session=[\w-]+\.[\w-]+\.[\w-]+; /);

    const changed = await call(port, 'POST', '/api/auth/password', {
      headers: withCookie,
      body: { oldPassword: 'User-Pass-123', newPassword: 'Web-Pass-4567-x' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).not.toHaveProperty('accessToken');
    expect(sessionCookie(changed)).toMatch(/^tracker_session=[\w-]+\.[\w-]+\.[\w-]+; /);

    // an API client (no header) keeps getting the token in the body, as docs/api.md says, and no cookie
    const api = await login(port, 'web.user', 'Web-Pass-4567-x', { from: '127.0.0.7' });
    expect(api.status).toBe(200);
    expect(api.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(api.headers['set-cookie']).toBeUndefined();
    const apiRefresh = await call(port, 'POST', '/api/auth/refresh', {
      headers: { authorization: `Bearer ${String(api.body.accessToken)}` },
    });
    expect(apiRefresh.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('ignores forwarded headers: 20 wrong logins "from 10.0.0.1" lock out "10.0.0.2" too, and X-Forwarded-Proto gives no Secure', async () => {
    const { same, other } = await lockOutFrom10001(port);
    expect(same.status).toBe(429);
    expect(other.status).toBe(429);
    expect(other.body.code).toBe('TOO_MANY_ATTEMPTS');
    const web = await login(port, 'admin', ADMIN_PASSWORD, {
      from: '127.0.0.8',
      headers: {
        'x-tracker-client': 'web',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '10.0.0.3',
      },
    });
    expect(web.status).toBe(200);
    expect(sessionCookie(web)).toMatch(/^tracker_session=/);
    expect(sessionCookie(web)).not.toMatch(/Secure/i);
  });
});

describe('behind a proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    port = await listen(t);
  });
  afterAll(() => t.close());

  it('20 wrong logins from X-Forwarded-For 10.0.0.1 lock out 10.0.0.1 only: 10.0.0.2 signs in', async () => {
    const { same, other } = await lockOutFrom10001(port);
    expect(same.status).toBe(429);
    expect(same.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(other.status).toBe(200);
    expect(other.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // only the trusted hop counts: an address the client made up in front of it changes nothing
    const spoofed = await login(port, 'admin', ADMIN_PASSWORD, {
      headers: { 'x-forwarded-for': '10.0.0.2, 10.0.0.1' },
    });
    expect(spoofed.status).toBe(429);
  });

  it('X-Forwarded-Proto: https from the proxy gives the session cookie Secure; plain http does not', async () => {
    const web = { 'x-tracker-client': 'web', 'x-forwarded-for': '10.0.0.4' };
    const https = await login(port, 'admin', ADMIN_PASSWORD, {
      headers: { ...web, 'x-forwarded-proto': 'https' },
    });
    expect(https.status).toBe(200);
    expect(sessionCookie(https)).toMatch(/; Secure/);
    const plain = await login(port, 'admin', ADMIN_PASSWORD, { headers: web });
    expect(plain.status).toBe(200);
    expect(sessionCookie(plain)).toMatch(/^tracker_session=/);
    expect(sessionCookie(plain)).not.toMatch(/Secure/i);
  });
});

/** 1,000 wrong logins for admin at once, each from an address of its own (the burst's own process). */
const BURST = `const http = require('node:http');
const port = Number(process.argv[1]);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let sample = '';
const one = (i) => new Promise((resolve) => {
  const body = JSON.stringify({ username: 'admin', password: 'wrong-pass-' + i });
  const req = http.request({ host: '127.0.0.1', port, path: '/api/auth/login', method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
      'x-forwarded-for': '10.1.' + (i >> 8) + '.' + (i & 255) } }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => {
      let code = '';
      try { code = JSON.parse(text).code; } catch {}
      if (code === 'LOGIN_BUSY') sample = text;
      resolve(res.statusCode + ' ' + code + (res.statusCode === 429 ? ' ' + res.headers['retry-after'] : ''));
    });
  });
  req.on('error', (e) => resolve('error ' + e.code));
  req.end(body);
});
Promise.all(Array.from({ length: 1000 }, (_, i) => one(i))).then((all) => {
  const counts = {};
  for (const k of all) counts[k] = (counts[k] || 0) + 1;
  console.log(JSON.stringify({ counts, sample }));
});`;

/**
 * The server in a process of its own, as in production (its stalls, not Jest's), behind the
 * "proxy" so the throttle lets each of the 1,000 clients through: the hashing pool is what must
 * hold. A signed-in user, /api/health and a static file are asked in turn meanwhile.
 */
describe('a burst of 1,000 logins', () => {
  let server: ChildProcessWithoutNullStreams | null = null;
  let exited: Promise<unknown> = Promise.resolve();
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'login-burst-web-'));

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      process.kill(server.pid, 'SIGTERM');
      await exited;
    }
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  // a timing test (npm run test:fast skips it). Worst answer during the burst, measured with
  // SHOW_LATENCY=1 on the 2-core machine on 2026-12-05 while six other engineers' test runs held it
  // at load average 19: health 177 ms, signed-in 402 ms, static 2969 ms (over the 1 s target: the
  // target is the product's, for a machine not shared with other runs)
  timingIt(
    'static files, /api/health and signed-in requests answer in under 1 s; logins over the line get 429 LOGIN_BUSY at once',
    async () => {
      fs.mkdirSync(path.join(webDir, 'assets'));
      fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>t</title>');
      fs.writeFileSync(path.join(webDir, 'assets', 'app-0a1b2c.js'), 'x'.repeat(200_000));
      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          path.join(__dirname, '..', 'support', 'serve-app.ts'),
        ],
        {
          cwd: path.join(__dirname, '..', '..'),
          env: {
            ...process.env,
            SERVE_APP_ENV: JSON.stringify({ TRUST_PROXY: 'loopback', WEB_DIR: webDir }),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ) as unknown as ChildProcessWithoutNullStreams;
      server = child;
      exited = new Promise((r) => child.once('exit', r));
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /\{"port":(\d+)\}/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
      });
      const signedIn = await login(port, 'admin', ADMIN_PASSWORD, {
        headers: { 'x-forwarded-for': '10.9.9.9' },
      });
      expect(signedIn.status).toBe(200);
      const auth = { authorization: `Bearer ${String(signedIn.body.accessToken)}` };

      // the probes go over a connection already open, as a working user's browser would
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const probe = (url: string, headers: Record<string, string>) =>
        new Promise<{ status: number; ms: number }>((resolve, reject) => {
          const started = Date.now();
          http
            .get({ host: '127.0.0.1', port, path: url, agent, headers }, (res) => {
              res.resume();
              res.on('end', () =>
                resolve({ status: res.statusCode ?? 0, ms: Date.now() - started }),
              );
            })
            .on('error', reject);
        });
      const probes: [string, string, Record<string, string>][] = [
        ['health', '/api/health', {}],
        ['static', '/assets/app-0a1b2c.js', {}],
        ['signed-in', '/api/regions', auth],
      ];
      for (const [, url, headers] of probes) expect((await probe(url, headers)).status).toBe(200);

      const burstStart = Date.now();
      const burst = spawn(process.execPath, ['-e', BURST, String(port)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // the attackers are other machines: their 1,000 connections must not take the server's CPU
      // (on 2 shared cores, an empty Node server stalled 1.3 s behind this client at normal priority)
      os.setPriority(burst.pid!, 19);
      let summary = '';
      burst.stdout.on('data', (c: Buffer) => (summary += c.toString()));
      let done = false;
      const burstExited = new Promise((r) =>
        burst.once('exit', (code) => {
          done = true;
          r(code);
        }),
      );
      const worst: Record<string, number> = {};
      let rounds = 0;
      while (!done) {
        for (const [name, url, headers] of probes) {
          const r = await probe(url, headers);
          expect(r.status).toBe(200);
          worst[name] = Math.max(worst[name] ?? 0, r.ms);
          if (process.env.SHOW_LATENCY) console.log(`${Date.now() - burstStart} ${name} ${r.ms}`);
        }
        rounds++;
        await new Promise((r) => setTimeout(r, 50));
      }
      await burstExited;
      agent.destroy();
      const { counts, sample } = JSON.parse(summary) as {
        counts: Record<string, number>;
        sample: string;
      };
      // every answer is a wrong password or a 429 at once; most were turned away at the pool's line
      expect(Object.keys(counts).sort()).toEqual(['401 LOGIN_FAILED', '429 LOGIN_BUSY 2']);
      expect(counts['429 LOGIN_BUSY 2']).toBeGreaterThan(800);
      expect(counts['401 LOGIN_FAILED'] + counts['429 LOGIN_BUSY 2']).toBe(1000);
      // a busy answer has the throttle's error shape, in Chinese
      expect(JSON.parse(sample)).toEqual({
        statusCode: 429,
        code: 'LOGIN_BUSY',
        message: '登录请求过多，系统繁忙，请稍后再试',
        errors: [],
      });
      expect(rounds).toBeGreaterThanOrEqual(3);
      expect(Object.entries(worst).filter(([, ms]) => ms >= 1000)).toEqual([]);
      // the burst over, admin's right password from another address gets in
      const after = await login(port, 'admin', ADMIN_PASSWORD, {
        headers: { 'x-forwarded-for': '10.2.0.1' },
      });
      expect(after.status).toBe(200);
    },
  );
});
