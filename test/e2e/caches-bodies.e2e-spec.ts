import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import request from 'supertest';
import { JobsService } from '../../src/jobs/jobs.service';
import { ADMIN_PASSWORD, binary, createTestApp, regionIds, TestApp } from '../support/app';

/** Issue 31, items 5 and 6: what caches may keep, and bodies that cannot be read. */
describe('cache headers and unreadable bodies', () => {
  let t: TestApp;
  let server: Parameters<typeof request>[0];
  let liannan: number;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('web/dist/index.html')))
      throw new Error('web/dist is not built: run npm run build:web');
    t = await createTestApp({ env: { REPORT_SYNC_MAX_PROJECTS: '0' } });
    server = t.app.getHttpServer() as Parameters<typeof request>[0];
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
  });
  afterAll(() => t.close());

  const raw = (b: unknown) => b as string;
  const cacheOf = (r: request.Response) => r.headers['cache-control'] as string | undefined;

  describe('Cache-Control', () => {
    it('the login and refresh answers, API clients and the web alike: no-store', async () => {
      const api = await request(server)
        .post('/api/auth/login')
        .send({ username: 'admin', password: ADMIN_PASSWORD })
        .expect(200);
      expect(cacheOf(api)).toBe('no-store');
      const web = await request(server)
        .post('/api/auth/login')
        .set('X-Tracker-Client', 'web')
        .send({ username: 'admin', password: ADMIN_PASSWORD })
        .expect(200);
      expect(cacheOf(web)).toBe('no-store');
      const cookie = String(web.headers['set-cookie']).split(';')[0];
      const refreshed = await request(server)
        .post('/api/auth/refresh')
        .set('X-Tracker-Client', 'web')
        .set('Cookie', cookie);
      expect(refreshed.status).toBeLessThan(300);
      expect(cacheOf(refreshed)).toBe('no-store');
      const wrong = await request(server)
        .post('/api/auth/login')
        .send({ username: 'admin', password: 'not-the-password' })
        .expect(401);
      expect(cacheOf(wrong)).toBe('no-store');
    });

    it('signed-in JSON with money, a project, the user and an error: no-store', async () => {
      const list = await t.http().get(`/api/projects?regionId=${liannan}&pageSize=1`).expect(200);
      const id = list.body.items[0].id as number;
      for (const url of [
        `/api/projects/${id}`,
        `/api/projects/totals?regionId=${liannan}`,
        '/api/auth/me',
        '/api/regions',
        '/api/reports/calendar',
        '/api/projects/999999999',
      ]) {
        const r = await t.http().get(url);
        expect([url, r.status < 500, cacheOf(r)]).toEqual([url, true, 'no-store']);
      }
      const anon = await t.anon().get('/api/projects').expect(401);
      expect(cacheOf(anon)).toBe('no-store');
    });

    it('the project list keeps its ETag revalidation, private: never a shared cache', async () => {
      const first = await t.http().get('/api/projects?pageSize=3&sort=id').expect(200);
      expect(cacheOf(first)).toBe('private, no-cache');
      expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
      const again = await t
        .http()
        .get('/api/projects?pageSize=3&sort=id')
        .set('if-none-match', first.headers.etag as string)
        .expect(304);
      expect(cacheOf(again)).toBe('private, no-cache');
    });

    it('workbooks (export, template, report, job result): no-store, never public', async () => {
      const downloads = [
        `/api/projects/export.xlsx?regionId=${liannan}`,
        '/api/imports/template.xlsx',
      ];
      for (const url of downloads) {
        const r = await t.http().get(url).buffer(true).parse(binary).expect(200);
        expect((r.body as Buffer).subarray(0, 2).toString()).toBe('PK');
        expect([url, cacheOf(r)]).toEqual([url, 'no-store']);
      }
      const start = await t
        .http()
        .get(`/api/reports/monthly?month=2026-10&regionId=${liannan}`)
        .expect(202);
      expect(cacheOf(start)).toBe('no-store');
      await t.app.get(JobsService).settle();
      const status = await t.http().get(start.body.statusUrl).expect(200);
      expect(status.body.status).toBe('done');
      expect(cacheOf(status)).toBe('no-store');
      const file = await t
        .http()
        .get(`${start.body.statusUrl}/result`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect((file.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      expect(cacheOf(file)).toBe('no-store');
    });

    it('hashed assets stay immutable; the HTML shell and its deep links: no-cache', async () => {
      const js = fs.readdirSync(path.resolve('web/dist/assets')).find((f) => f.endsWith('.js'))!;
      const asset = await request(server).get(`/assets/${js}`).expect(200);
      expect(cacheOf(asset)).toBe('public, max-age=31536000, immutable');
      for (const url of ['/', '/index.html', '/projects/7', '/login']) {
        const r = await request(server).get(url).expect(200);
        expect(r.text).toContain('<div id="app"></div>');
        expect([url, cacheOf(r)]).toEqual([url, 'no-cache']);
      }
    });
  });

  describe('bodies', () => {
    const login = JSON.stringify({ username: 'admin', password: 'x' });
    const malformed = {
      statusCode: 400,
      code: 'MALFORMED_BODY',
      message: '请求体无法解压：压缩数据已损坏或压缩方式不受支持（支持 gzip、deflate、br）',
      errors: [],
    };
    const send = (encoding: string, bytes: Buffer, url = '/api/auth/login', token?: string) => {
      const r = request(server)
        .post(url)
        .set('content-type', 'application/json')
        .set('content-encoding', encoding)
        .serialize(raw); // the bytes as they are, not a JSON rendering of the Buffer
      return (token ? r.set('authorization', `Bearer ${token}`) : r).send(bytes);
    };
    const gz = zlib.gzipSync(Buffer.from(login));
    const corrupt: [string, Buffer][] = [
      ['gzip', Buffer.from('this is not gzip at all')],
      ['gzip', gz.subarray(0, gz.length - 12)], // truncated
      ['gzip', Buffer.concat([gz.subarray(0, 12), Buffer.alloc(20, 0xff), gz.subarray(32)])],
      ['deflate', Buffer.from('not deflate either')],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01, 0x02])],
      ['x-unknown', Buffer.from(login)],
      ['compress', Buffer.from(login)],
    ];

    it('a corrupt gzip/deflate/br body or an unknown encoding: 400 MALFORMED_BODY before sign-in, no stack', async () => {
      for (const [encoding, bytes] of corrupt) {
        const r = await send(encoding, bytes);
        expect([encoding, r.status, r.body]).toEqual([encoding, 400, malformed]);
        expect(r.text).not.toMatch(/at \w+ \(|zlib|node:/);
      }
      // and signed in, on a write
      const signedIn = await send(
        'deflate',
        Buffer.from('garbage'),
        '/api/projects',
        await t.login('admin', ADMIN_PASSWORD),
      );
      expect(signedIn.status).toBe(400);
      expect(signedIn.body).toEqual(malformed);
      // a well-formed compressed body still works
      const ok = await send(
        'gzip',
        zlib.gzipSync(Buffer.from(JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }))),
      );
      expect([ok.status, ok.body]).toEqual([200, expect.objectContaining({ tokenType: 'Bearer' })]);
      const br = await send(
        'br',
        zlib.brotliCompressSync(
          Buffer.from(JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD })),
        ),
      );
      expect([br.status, br.body]).toEqual([200, expect.objectContaining({ tokenType: 'Bearer' })]);
      await request(server).get('/api/health').expect(200);
    });

    it('charset=utf-16 (or any but UTF-8): 415 UNSUPPORTED_CHARSET as the README says', async () => {
      const unsupported = {
        statusCode: 415,
        code: 'UNSUPPORTED_CHARSET',
        message: '请求体字符集不受支持，请使用 UTF-8',
        errors: [],
      };
      for (const [charset, bytes] of [
        ['utf-16', Buffer.from(`\ufeff${login}`, 'utf16le')],
        ['UTF-16LE', Buffer.from(login, 'utf16le')],
        ['utf-32', Buffer.from(login)],
        ['iso-8859-1', Buffer.from(login, 'latin1')],
      ] as [string, Buffer][]) {
        const r = await request(server)
          .post('/api/auth/login')
          .set('content-type', `application/json; charset=${charset}`)
          .serialize(raw)
          .send(bytes);
        expect([charset, r.status, r.body]).toEqual([charset, 415, unsupported]);
      }
      for (const charset of ['utf-8', 'UTF-8', '"utf-8"']) {
        const r = await request(server)
          .post('/api/auth/login')
          .set('content-type', `application/json; charset=${charset}`)
          .send(JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }));
        expect([charset, r.status]).toEqual([charset, 200]);
      }
    });
  });
});
