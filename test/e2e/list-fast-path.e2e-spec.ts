import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import request from 'supertest';
import { AuthGuard } from '../../src/auth/auth.guard';
import { Clock } from '../../src/common/clock';
import { ProjectsController } from '../../src/projects/projects.controller';
import { createTestApp, TestApp } from '../support/app';

/**
 * GET /api/projects answered ahead of the router (src/projects/list-fast-path.ts) must be the route's
 * own answer: the same status, headers and body as the app with LIST_FAST_PATH=false gives, on two
 * copies of the same database — and whatever it does not answer with 200 the route answers.
 */
describe('the project list ahead of the router (LIST_FAST_PATH)', () => {
  let fast: TestApp;
  let slow: TestApp;
  const users: Record<'fast' | 'slow', { admin: string; county: string }> = {
    fast: { admin: '', county: '' },
    slow: { admin: '', county: '' },
  };

  beforeAll(async () => {
    fast = await createTestApp();
    slow = await createTestApp({ env: { LIST_FAST_PATH: 'false' } });
    for (const [k, t] of [
      ['fast', fast],
      ['slow', slow],
    ] as const) {
      users[k].admin = await t.login('admin', 'Test-Admin-Pass-1');
      users[k].county = (await t.as('viewer', 3, 'fast_path_viewer')).token;
    }
  });
  afterAll(async () => {
    await fast?.close();
    await slow?.close();
  });

  /** What a client sees, but the moment it was sent. */
  const seen = (r: request.Response) => {
    const headers: Record<string, unknown> = { ...r.headers };
    delete headers.date;
    return { status: r.status, headers, body: r.body as unknown, text: r.text };
  };
  type Ask = (t: TestApp, who: 'fast' | 'slow') => request.Test;
  // the route calls the handler Nest took from the controller at startup; the fast path calls
  // `controller.list` at each request: a spy put on it now counts the fast path's answers only
  const both = async (ask: Ask) => {
    const fastList = jest.spyOn(ProjectsController.prototype, 'list');
    const a = await ask(fast, 'fast');
    const answeredAhead = fastList.mock.calls.length > 0;
    fastList.mockClear();
    const b = await ask(slow, 'slow');
    expect(fastList.mock.calls.length).toBe(0);
    fastList.mockRestore();
    expect(seen(a)).toEqual(seen(b));
    return { res: a, routed: !answeredAhead };
  };
  const bearer =
    (url: string, user: 'admin' | 'county' = 'admin', headers: Record<string, string> = {}) =>
    (t: TestApp, who: 'fast' | 'slow') =>
      request(t.app.getHttpServer())
        .get(url)
        .set({ authorization: `Bearer ${users[who][user]}`, ...headers });

  it('answers pages, filters and sorts as the route does, without the route', async () => {
    for (const url of [
      '/api/projects',
      '/api/projects?pageSize=5&page=2&sort=-budgetWan',
      '/api/projects?status=under_construction,completed&sort=name',
      '/api/projects?q=%E5%B9%BC%E5%84%BF%E5%9B%AD&pageSize=3',
      '/api/projects?regionId=3&sort=-plannedCompletion',
    ]) {
      const { res, routed } = await both(bearer(url));
      expect(res.status).toBe(200);
      expect(routed).toBe(false);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('private, no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    // a county user sees their county only, on both
    const county = await both(bearer('/api/projects?pageSize=200', 'county'));
    expect(county.routed).toBe(false);
    const items = county.res.body.items as { regionId: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.regionId === 3)).toBe(true);
  });

  it('the web session cookie, a conditional GET (304) and a change are the same too', async () => {
    const web = (t: TestApp, who: 'fast' | 'slow') =>
      request(t.app.getHttpServer())
        .get('/api/projects?pageSize=4')
        .set({ 'x-tracker-client': 'web', cookie: `tracker_session=${users[who].admin}` });
    const first = await both(web);
    expect(first.routed).toBe(false);
    const etag = first.res.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await both(
      bearer('/api/projects?pageSize=4', 'admin', { 'if-none-match': etag }),
    );
    expect(again.res.status).toBe(304);
    expect(again.res.text).toBe('');
    // a write on both, at the same instant on both clocks (its updatedAt is shown, and the tests
    // run in any order): the next page shows it on both
    const id = (first.res.body.items as { id: number; version: number }[])[0];
    const at = Math.max(fast.now().getTime(), slow.now().getTime()) + 1000;
    for (const t of [fast, slow]) {
      const clock = t.app.get(Clock);
      const ticking = clock.now.bind(clock);
      clock.now = () => new Date(at);
      try {
        await t
          .http()
          .patch(`/api/projects/${id.id}`)
          .send({ version: id.version, town: '新城镇' })
          .expect(200);
      } finally {
        clock.now = ticking;
      }
    }
    const after = await both(web);
    expect(after.routed).toBe(false);
    expect(after.res.body.items[0].town).toBe('新城镇');
  });

  it('leaves to the route whatever it does not answer: no token, a bad token, a bad query', async () => {
    const none = await both((t) => request(t.app.getHttpServer()).get('/api/projects'));
    expect(none.res.status).toBe(401);
    expect(none.routed).toBe(true);
    const bad = await both((t) =>
      request(t.app.getHttpServer()).get('/api/projects').set('authorization', 'Bearer nonsense'),
    );
    expect(bad.res.status).toBe(401);
    expect(bad.routed).toBe(true);
    const wrong = await both(bearer('/api/projects?pageSize=0&sort=nowhere&colour=red'));
    expect(wrong.res.status).toBe(400);
    expect(wrong.routed).toBe(true);
    expect((wrong.res.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'colour',
      'pageSize',
      'sort',
    ]);
  });

  it('a request with a body goes to the route (its parsers judge the body)', async () => {
    const withBody = await both((t, who) =>
      bearer('/api/projects?pageSize=2', 'admin', { 'content-type': 'application/json' })(
        t,
        who,
      ).send('{"broken":'),
    );
    expect(withBody.routed).toBe(true);
    expect(withBody.res.status).toBe(400);
  });

  it('turns itself off when the route gets an interceptor of its own (it would skip it)', async () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- a metadata key, never called
    const handler = ProjectsController.prototype.list;
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [], handler);
    let third: TestApp | undefined;
    try {
      third = await createTestApp();
    } finally {
      Reflect.deleteMetadata(INTERCEPTORS_METADATA, handler);
    }
    try {
      const fastList = jest.spyOn(ProjectsController.prototype, 'list');
      const guard = jest.spyOn(AuthGuard.prototype, 'canActivate');
      await third.http().get('/api/projects?pageSize=2').expect(200);
      expect(fastList.mock.calls.length).toBe(0);
      expect(guard.mock.calls.length).toBe(1); // the route's, once
      fastList.mockRestore();
      guard.mockRestore();
    } finally {
      await third.close();
    }
  });
});
