import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { Clock } from '../../src/common/clock';
import { ReadCache, stableJson } from '../../src/database/read-cache';
import { ProjectsService } from '../../src/projects/projects.service';
import { createTestApp, TestApp } from '../support/app';

/** A commit made outside the app: another connection (SQLite) or another client (PostgreSQL). */
async function outsideWrite(t: TestApp, sql: string): Promise<void> {
  if (t.config.dialect === 'postgres') {
    const c = new Client({ connectionString: t.config.databaseUrl! });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  } else {
    const c = new BetterSqlite3(t.config.sqlitePath);
    try {
      c.exec(sql);
    } finally {
      c.close();
    }
  }
}

interface Page {
  items: { id: number; name: string; budgetWan: string; committedWan: string }[];
  total: number;
}

describe('project list cache (pages kept until the data changes)', () => {
  let t: TestApp;
  let queries: jest.SpyInstance;
  const list = async (qs = 'pageSize=5&sort=-budgetWan') =>
    (await t.http().get(`/api/projects?${qs}`).expect(200)).body as Page;

  beforeEach(async () => {
    t = await createTestApp();
    queries = jest.spyOn(t.app.get(ProjectsService), 'listQuery');
  });
  afterEach(() => t.close());
  beforeEach(() => queries.mockClear());

  it('answers a repeated request without querying, and the same page as a fresh query', async () => {
    const first = await list();
    const again = await list();
    expect(queries).toHaveBeenCalledTimes(1);
    expect(again).toEqual(first);
    expect(first.items.map((p) => p.budgetWan)).toEqual([
      '21120.00',
      '20240.00',
      '5300.00',
      '4000.00',
      '2500.00',
    ]);
    expect(first.total).toBe(14);
    // the same query with its parameters in another order is the same entry
    await list('sort=-budgetWan&pageSize=5');
    expect(queries).toHaveBeenCalledTimes(1);
  });

  it('sends the page as JSON with an ETag; a conditional GET gets 304 until the data changes', async () => {
    const res = await t.http().get('/api/projects?pageSize=3&sort=id').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    expect(JSON.parse(res.text)).toEqual(res.body);
    const etag = res.headers.etag;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    await t.http().get('/api/projects?pageSize=3&sort=id').set('if-none-match', etag).expect(304);
    const p = res.body.items[0];
    await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, town: '新镇' })
      .expect(200);
    const again = await t
      .http()
      .get('/api/projects?pageSize=3&sort=id')
      .set('if-none-match', etag)
      .expect(200);
    expect(again.headers.etag).not.toBe(etag);
    expect(again.body.items[0].town).toBe('新镇');
  });

  it('counts once while paging through a list', async () => {
    const count = jest.spyOn(t.app.get(ReadCache), 'get');
    await list('pageSize=5&page=2&status=planned');
    await list('pageSize=5&page=3&status=planned');
    const keys = count.mock.calls.map((c) => c[0]);
    count.mockRestore();
    expect(keys.filter((k) => k.endsWith('|count'))).toHaveLength(2);
    expect(new Set(keys.filter((k) => k.endsWith('|count'))).size).toBe(1);
  });

  it('sees a write made through the API at once', async () => {
    const before = await list();
    const top = before.items[0];
    const p = (await t.http().get(`/api/projects/${top.id}`).expect(200)).body;
    await t
      .http()
      .patch(`/api/projects/${top.id}`)
      .send({ version: p.version, budgetWan: '21120.01' })
      .expect(200);
    const after = await list();
    expect(after.items[0]).toMatchObject({ id: top.id, budgetWan: '21120.01' });
    // a funding line changes the figures of the page (a table the list does not filter on)
    await t
      .http()
      .post(`/api/projects/${top.id}/funding`)
      .send({ source: 'county_budget', committedWan: '0.07', committedOn: '2026-01-05' })
      .expect(201);
    expect((await list()).items[0].committedWan).toBe(sumWan(top.committedWan, '0.07'));
  });

  it('sees a commit made outside the app (another connection or process)', async () => {
    await list();
    await outsideWrite(
      t,
      "UPDATE project SET name = '外部改名的学校' WHERE id = (SELECT MIN(id) FROM project)",
    );
    const names = (await list('pageSize=100&sort=id')).items.map((p) => p.name);
    expect(names[0]).toBe('外部改名的学校');
    await outsideWrite(
      t,
      "UPDATE project SET archived_at = '2026-11-01T00:00:00.000Z' WHERE id = (SELECT MIN(id) FROM project)",
    );
    expect((await list('pageSize=100&sort=id')).total).toBe(13);
  });

  it('keeps pages per scope: a county user never gets the admin page', async () => {
    const regions = (await t.http().get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
      level: string;
    }[];
    const other = regions.find((r) => r.level === 'county' && r.name !== '连南瑶族自治县')!;
    const admin = await list('pageSize=5');
    expect(admin.total).toBeGreaterThan(0);
    const county = await t.as('infrastructure', other.id);
    const theirs = (await county.get('/api/projects?pageSize=5').expect(200)).body as Page;
    expect(theirs.total).toBe(0);
    expect(theirs.items).toEqual([]);
  });

  it('starts again on a new day (figures and overdue flags are as of today)', async () => {
    const clock = t.app.get(Clock);
    const spy = jest.spyOn(clock, 'now');
    try {
      spy.mockReturnValue(new Date('2026-11-23T15:59:00Z')); // 23:59 in Shanghai
      await list('overdue=true');
      await list('overdue=true');
      expect(queries).toHaveBeenCalledTimes(1);
      spy.mockReturnValue(new Date('2026-11-23T16:00:00Z')); // 00:00 on the 24th
      await list('overdue=true');
      expect(queries).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers 404 for a region out of scope even when the page is cached for someone else', async () => {
    const regions = (await t.http().get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
      level: string;
    }[];
    const liannan = regions.find((r) => r.name === '连南瑶族自治县')!;
    const other = regions.find((r) => r.level === 'county' && r.name !== '连南瑶族自治县')!;
    await list(`regionId=${liannan.id}&pageSize=5`);
    const outsider = await t.as('finance', other.id);
    await outsider.get(`/api/projects?regionId=${liannan.id}&pageSize=5`).expect(404);
  });
});

describe('ReadCache', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ env: { READ_CACHE_ENTRIES: '2' } });
  });
  afterEach(() => t.close());

  it('drops the least recently used entry beyond its capacity and shares one computation', async () => {
    const cache = t.app.get(ReadCache);
    let runs = 0;
    const compute = (v: string) => async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return v;
    };
    expect(
      await Promise.all([
        cache.get('a', compute('A')),
        cache.get('a', compute('A')),
        cache.get('a', compute('A')),
      ]),
    ).toEqual(['A', 'A', 'A']);
    expect(runs).toBe(1);
    await cache.get('b', compute('B'));
    await cache.get('a', compute('A')); // a is now the most recent
    await cache.get('c', compute('C')); // drops b
    expect(cache.size).toBe(2);
    runs = 0;
    await cache.get('a', compute('A'));
    expect(runs).toBe(0);
    await cache.get('b', compute('B'));
    expect(runs).toBe(1);
  });

  it('drops every entry on the first request after a commit, and keeps to its byte budget', async () => {
    const cache = t.app.get(ReadCache);
    await cache.get('p', async () => 'P');
    expect(cache.size).toBeGreaterThan(0);
    await t.db.transaction((em) =>
      em.query("UPDATE project SET town = '丙' WHERE id = (SELECT MIN(id) FROM project)"),
    );
    await cache.get('q', async () => 'Q');
    expect(cache.size).toBe(1); // only q: p belonged to the old generation

    const tight = await createTestApp({ env: { READ_CACHE_MB: '1' } });
    try {
      const c = tight.app.get(ReadCache);
      const body = (n: number) => async () => ({ byteLength: n });
      await c.get('a', body(400_000));
      await c.get('b', body(400_000));
      expect(c.heldBytes).toBe(800_000);
      await c.get('a', body(400_000)); // a is now the most recent
      await c.get('c', body(400_000)); // 1,200,000 > 1 MB: b goes
      expect(c.heldBytes).toBe(800_000);
      let runs = 0;
      await c.get('a', async () => ((runs += 1), { byteLength: 1 }));
      expect(runs).toBe(0);
      await c.get('b', async () => ((runs += 1), { byteLength: 1 }));
      expect(runs).toBe(1);
    } finally {
      await tight.close();
    }
  });

  it('does not keep a failed computation', async () => {
    const cache = t.app.get(ReadCache);
    await expect(cache.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('x', async () => 'ok')).toBe('ok');
  });

  it('changes its generation on every commit, from the app or outside it', async () => {
    const g0 = await t.db.generation();
    if (t.config.dialect === 'sqlite') expect(await t.db.generation()).toBe(g0); // reads change nothing
    await t.db.transaction((em) =>
      em.query("UPDATE project SET town = '甲' WHERE id = (SELECT MIN(id) FROM project)"),
    );
    const g1 = await t.db.generation();
    expect(g1).not.toBe(g0);
    await outsideWrite(
      t,
      "UPDATE project SET town = '乙' WHERE id = (SELECT MIN(id) FROM project)",
    );
    expect(await t.db.generation()).not.toBe(g1);
  });

  it('is off with READ_CACHE_ENTRIES=0', async () => {
    const off = await createTestApp({ env: { READ_CACHE_ENTRIES: '0' } });
    try {
      const spy = jest.spyOn(off.app.get(ProjectsService), 'listQuery');
      await off.http().get('/api/projects?pageSize=5').expect(200);
      await off.http().get('/api/projects?pageSize=5').expect(200);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      await off.close();
    }
  });
});

describe('stableJson', () => {
  it('gives equal text for equal queries whatever the key order, without undefined', () => {
    expect(stableJson({ b: 1, a: ['x', 'y'], c: undefined })).toBe(
      stableJson({ a: ['x', 'y'], b: 1 }),
    );
    expect(stableJson({ a: ['y', 'x'] })).not.toBe(stableJson({ a: ['x', 'y'] }));
  });
});

function sumWan(a: string, b: string): string {
  const fen = (s: string) => BigInt(s.replace('.', ''));
  const n = fen(a) + fen(b);
  const s = n.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}
