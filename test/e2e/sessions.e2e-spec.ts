import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Clock } from '../../src/common/clock';
import { ADMIN_PASSWORD, createTestApp, TestApp } from '../support/app';

/** Issue "Sessions, scope gaps and the answers staff get", items 1 and 6. */
describe('sessions a staffer can live with, and can end', () => {
  let t: TestApp;
  let clock: Clock;
  let now: number;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '12' } });
    clock = t.app.get(Clock);
    clock.now = () => new Date(now);
  });
  // each test starts at the same pinned moment, whatever ran before it
  beforeEach(() => (now = Date.parse('2026-11-02T01:00:00Z')));
  afterAll(() => t.close());

  const minutes = (n: number) => (now += n * 60_000);
  const signIn = async (username: string, password: string) =>
    (await t.anon().post('/api/auth/login').send({ username, password }).expect(200)).body
      .accessToken as string;
  const status = async (token: string) => {
    const r = await t.withToken(token).get('/api/auth/me');
    return r.status === 200 ? 200 : `${r.status} ${r.body.code}`;
  };

  it('an active user stays signed in through the working day; an idle one is signed out', async () => {
    const u = await t.as('viewer', 1);
    let token = u.token;
    // renewing every 25 minutes keeps the session alive past any single token's 30 minutes …
    for (let i = 0; i < 28; i++) {
      minutes(25);
      expect(await status(token)).toBe(200);
      const r = await t.withToken(token).post('/api/auth/refresh').expect(200);
      expect(r.body).toEqual({
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
        mustChangePassword: false,
      });
      token = r.body.accessToken;
    }
    // … until the working day (12 h from sign-in) is over: the last token ends with it, and cannot be renewed
    expect(now - Date.parse('2026-11-02T01:00:00Z')).toBe(28 * 25 * 60_000);
    const last = (await t.withToken(token).post('/api/auth/refresh').expect(200)).body;
    expect(last.expiresIn).toBe(12 * 3600 - 28 * 25 * 60);
    minutes(20);
    expect(await status(last.accessToken)).toBe('401 TOKEN_EXPIRED');
    expect(
      (await t.withToken(last.accessToken).post('/api/auth/refresh').expect(401)).body,
    ).toMatchObject({ code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' });
  });

  it('an idle session ends after SESSION_IDLE_MINUTES; a token that expired cannot be renewed', async () => {
    const token = await signIn('admin', ADMIN_PASSWORD);
    minutes(29);
    expect(await status(token)).toBe(200);
    minutes(2);
    expect(await status(token)).toBe('401 TOKEN_EXPIRED');
    expect((await t.withToken(token).post('/api/auth/refresh').expect(401)).body.code).toBe(
      'TOKEN_EXPIRED',
    );
  });

  it('logout ends that session only', async () => {
    const a = await signIn('admin', ADMIN_PASSWORD);
    const b = await signIn('admin', ADMIN_PASSWORD);
    expect((await t.withToken(a).post('/api/auth/logout').expect(200)).body).toEqual({
      loggedOut: true,
    });
    expect(await status(a)).toBe('401 UNAUTHENTICATED');
    expect((await t.withToken(a).post('/api/auth/refresh').expect(401)).body.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(await status(b)).toBe(200);
  });

  it('a user changes their own password: old + new checked, every token of theirs revoked, a new one returned', async () => {
    const u = await t.as('finance', 1);
    const other = await signIn(
      (await t.withToken(u.token).get('/api/auth/me').expect(200)).body.username,
      'User-Pass-123',
    );
    const bad = await t
      .withToken(u.token)
      .post('/api/auth/password')
      .send({ oldPassword: 'wrong-1', newPassword: 'short' })
      .expect(400);
    expect(bad.body.errors).toEqual([
      { path: 'oldPassword', code: 'OLD_PASSWORD_WRONG', message: '原密码不正确' },
      { path: 'newPassword', code: 'PASSWORD_TOO_SHORT', message: '密码至少10位' },
    ]);
    expect(await status(u.token)).toBe(200);
    const ok = await t
      .withToken(u.token)
      .post('/api/auth/password')
      .send({ oldPassword: 'User-Pass-123', newPassword: 'New-Pass-456' })
      .expect(200);
    expect(await status(u.token)).toBe('401 UNAUTHENTICATED');
    expect(await status(other)).toBe('401 UNAUTHENTICATED');
    expect(await status(ok.body.accessToken)).toBe(200);
    const me = (await t.withToken(ok.body.accessToken).get('/api/auth/me').expect(200)).body;
    await t
      .anon()
      .post('/api/auth/login')
      .send({ username: me.username, password: 'User-Pass-123' })
      .expect(401);
    await signIn(me.username, 'New-Pass-456');
    const audit = await t.db.read
      .getRepository(AuditLog)
      .findOneByOrFail({ action: 'change_password', entityId: u.userId });
    expect(JSON.stringify(audit.changes)).not.toContain('New-Pass-456');
  });

  it.each([
    [
      'a password reset',
      async (id: number) =>
        t
          .http()
          .post(`/api/users/${id}/reset-password`)
          .send({ password: 'Reset-Pass-789' })
          .expect(200),
    ],
    [
      'a disable',
      async (id: number, v: number) =>
        t.http().patch(`/api/users/${id}`).send({ version: v, disabled: true }).expect(200),
    ],
    [
      'a role change',
      async (id: number, v: number) =>
        t.http().patch(`/api/users/${id}`).send({ version: v, role: 'finance' }).expect(200),
    ],
    [
      'a region change',
      async (id: number, v: number) =>
        t.http().patch(`/api/users/${id}`).send({ version: v, regionId: 2 }).expect(200),
    ],
  ])('%s revokes every token of the user on the next request', async (_what, change) => {
    const u = await t.as('viewer', 1);
    const second = await signIn(
      (await t.withToken(u.token).get('/api/auth/me').expect(200)).body.username,
      'User-Pass-123',
    );
    expect(await status(u.token)).toBe(200);
    const v = (await t.http().get(`/api/users/${u.userId}`).expect(200)).body.version;
    await change(u.userId, v);
    expect(await status(u.token)).toBe('401 UNAUTHENTICATED');
    expect(await status(second)).toBe('401 UNAUTHENTICATED');
  });

  it('a change that touches none of them (re-enabling, same role) leaves tokens alone', async () => {
    const u = await t.as('viewer', 1);
    const v = (await t.http().get(`/api/users/${u.userId}`).expect(200)).body.version;
    await t.http().patch(`/api/users/${u.userId}`).send({ version: v, role: 'viewer' }).expect(200);
    expect(await status(u.token)).toBe(200);
  });
});

describe('nobody can lock a user out', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    const server = t.app.getHttpServer() as http.Server;
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** A login from a given loopback address: each 127.x.y.z is a different client to the server. */
  const loginFrom = (client: string, password: string) =>
    new Promise<{ status: number; body: { code?: string; message?: string }; retryAfter?: string }>(
      (resolve, reject) => {
        const body = JSON.stringify({ username: 'admin', password });
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/auth/login',
            method: 'POST',
            localAddress: client,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: JSON.parse(text),
                retryAfter: res.headers['retry-after'],
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );

  it('six wrong passwords for admin from one client block that client only; the right password from another gets in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await loginFrom('127.0.0.2', 'wrong-password-1')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await loginFrom('127.0.0.2', ADMIN_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    const started = Date.now();
    const real = await loginFrom('127.0.0.3', ADMIN_PASSWORD);
    expect(real.status).toBe(200);
    const ms = Date.now() - started;
    if (process.env.SHOW_LATENCY) console.log(`the right password after six wrong ones: ${ms} ms`);
    // slowed a little, never locked: measured 1005 ms on the 2-core machine at load average 25
    expect(ms).toBeLessThan(5_000);
    // and failures from many clients slow admin down but never block the right password
    for (let i = 0; i < 6; i++) await loginFrom(`127.0.1.${i + 1}`, 'wrong-password-2');
    expect((await loginFrom('127.0.0.4', ADMIN_PASSWORD)).status).toBe(200);
  });
});
