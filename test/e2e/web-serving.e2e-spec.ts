import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { ADMIN_PASSWORD, createTestApp, TestApp } from '../support/app';

/** The web front end served by the same app (docs/web.md), and the session cookie it signs in with. */
describe('the web front end at / and its session cookie', () => {
  let t: TestApp;
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('web/dist/index.html')))
      throw new Error(
        'web/dist is not built: npm test builds it (pretest), or run npm run build:web',
      );
    t = await createTestApp();
    server = t.app.getHttpServer() as Parameters<typeof request>[0];
  });
  afterAll(() => t.close());

  it('serves the app at / and at any deep link, JSON 404 under /api, 404 for a missing asset', async () => {
    for (const url of ['/', '/projects', '/projects/7', '/login']) {
      const res = await request(server).get(url).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<div id="app"></div>');
    }
    const api = await request(server).get('/api/no-such-route').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404, code: 'ROUTE_NOT_FOUND' });
    const asset = await request(server).get('/assets/no-such-file.js').expect(404);
    expect(asset.headers['content-type']).not.toMatch(/html/);
    // a real asset: cached for good (its name changes with its content)
    const js = fs.readdirSync(path.resolve('web/dist/assets')).find((f) => f.endsWith('.js'))!;
    const got = await request(server).get(`/assets/${js}`).expect(200);
    expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // served over plain http on a LAN: no upgrade of asset requests to https
    expect(got.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(got.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('signs a web client in with an HttpOnly cookie that counts only with its header', async () => {
    const login = await request(server)
      .post('/api/auth/login')
      .set('X-Tracker-Client', 'web')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(
      /^tracker_session=eyJ[^;]+; Max-Age=1800; Path=\/api; Expires=[^;]+; HttpOnly; SameSite=Strict$/,
    );
    const pair = cookie.split(';')[0];
    const me = await request(server)
      .get('/api/auth/me')
      .set('X-Tracker-Client', 'web')
      .set('Cookie', pair)
      .expect(200);
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin' });
    // the cookie alone (a cross-site form, an <img>) is not a session
    await request(server).get('/api/auth/me').set('Cookie', pair).expect(401);
    // an API client gets no cookie
    const api = await request(server)
      .post('/api/auth/login')
      .send({ username: 'admin', password: ADMIN_PASSWORD })
      .expect(200);
    expect(api.headers['set-cookie']).toBeUndefined();
    // signing out clears it, and the old one answers 401
    const out = await request(server)
      .post('/api/auth/logout')
      .set('X-Tracker-Client', 'web')
      .set('Cookie', pair)
      .expect(200);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^tracker_session=; Path=\/api; Expires=Thu, 01 Jan 1970/,
    );
    await request(server)
      .get('/api/auth/me')
      .set('X-Tracker-Client', 'web')
      .set('Cookie', pair)
      .expect(401);
  });
});
