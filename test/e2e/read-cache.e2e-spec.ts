import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { Clock } from '../../src/common/clock';
import { MAX_CHANGES } from '../../src/database/database';
import { ReadCache, stableJson } from '../../src/database/read-cache';
import { FundingSummaryService } from '../../src/funding/funding-summary.service';
import { ProjectsQuery } from '../../src/projects/projects.query';
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

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

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
    queries = jest.spyOn(t.app.get(ProjectsQuery), 'listQuery');
  });
  afterEach(() => t.close());
  beforeEach(() => queries.mockClear());

  it('answers a repeated request without querying, and the same page as a fresh query', async () => {
    const first = await list();
    expect(queries).toHaveBeenCalledTimes(2); // the count and the page
    const again = await list();
    expect(queries).toHaveBeenCalledTimes(2);
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
    expect(queries).toHaveBeenCalledTimes(2);
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
      expect(queries).toHaveBeenCalledTimes(2);
      spy.mockReturnValue(new Date('2026-11-23T16:00:00Z')); // 00:00 on the 24th
      await list('overdue=true');
      expect(queries).toHaveBeenCalledTimes(4);
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

describe('project list cache: a commit drops only the pages it can change (the change log)', () => {
  let t: TestApp;
  let pages: jest.SpyInstance;
  let liannan: number;
  let other: number;
  type Item = Page['items'][number] & { version: number; town: string | null };
  const get = async (qs: string) =>
    (await t.http().get(`/api/projects?${qs}`).expect(200)).body as Page & { items: Item[] };
  /** The list queries (count or page) the requests run, in order. */
  const computed = async (...qs: string[]) => {
    pages.mockClear();
    for (const q of qs) await get(q);
    return pages.mock.calls.length;
  };
  // the reference data: 14 projects in 连南; A holds the first 5 by id, B the next 5
  const A = 'pageSize=5&sort=id';
  const B = 'pageSize=5&page=2&sort=id';

  beforeEach(async () => {
    t = await createTestApp();
    pages = jest.spyOn(t.app.get(ProjectsQuery), 'listQuery');
    const regions = (await t.http().get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
      level: string;
    }[];
    liannan = regions.find((r) => r.name === '连南瑶族自治县')!.id;
    other = regions.find((r) => r.level === 'county' && r.id !== liannan)!.id;
  });
  afterEach(() => t.close());

  it('a change to what a page shows of a project drops the pages holding it, and no other', async () => {
    // today's scan first: the write below then leaves every alert (and 预警等级) as it was
    await t.http().post('/api/alerts/scan').expect(200);
    const a = await get(A);
    const b = await get(B);
    const c = await get(`regionId=${liannan}&pageSize=5&sort=id`);
    const x = a.items[1];
    expect(b.items.map((p) => p.id)).not.toContain(x.id);
    expect(await computed(A, B)).toBe(0);
    await t
      .http()
      .patch(`/api/projects/${x.id}`)
      .send({ version: x.version, town: '三江镇' })
      .expect(200);
    // B does not hold it: still cached; A and the same page under 连南 do, and show the new town
    expect(await computed(B)).toBe(0);
    const after = await get(A);
    expect(after.items[1]).toMatchObject({ id: x.id, town: '三江镇', version: x.version + 1 });
    expect(after.total).toBe(a.total);
    expect(pages).not.toHaveBeenCalled(); // a town moves nothing: its ids and count are kept
    expect((await get(`regionId=${liannan}&pageSize=5&sort=id`)).items[1].town).toBe('三江镇');
    expect(c.items[1].id).toBe(x.id);
    // a funding line from outside the app: its figures on A, B untouched
    await outsideWrite(
      t,
      `INSERT INTO funding_line (project_id, source, committed_fen, received_fen, committed_on, version, created_at, updated_at)
       VALUES (${x.id}, 'county_budget', 1230000, 0, '2026-01-05', 1, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`,
    );
    expect(await computed(B)).toBe(0);
    expect((await get(A)).items[1].committedWan).toBe(sumWan(x.committedWan, '1.23'));
  });

  it("a change to a list column drops every page of the project's region, not another county's", async () => {
    // a project in another county, so that county has a page of its own
    await t
      .http()
      .post('/api/projects')
      .send({ name: '另一县新建小学', regionId: other, budgetWan: '100.00' })
      .expect(201);
    const theirs = `regionId=${other}&pageSize=5`;
    expect((await get(theirs)).total).toBe(1);
    const b = await get(B);
    await get(A);
    const x = b.items[0];
    expect(await computed(A, B, theirs)).toBe(0);
    // a new budget can move it in the order of every list of 连南 and above: A is dropped too
    await t
      .http()
      .patch(`/api/projects/${x.id}`)
      .send({ version: x.version, budgetWan: '1.00' })
      .expect(200);
    expect(await computed(theirs)).toBe(0);
    expect(await computed(A)).toBeGreaterThan(0);
    const sorted = await get('pageSize=100&sort=budgetWan');
    expect(sorted.items[0]).toMatchObject({ id: x.id, budgetWan: '1.00' });
    // a progress report (the as-of status) is a list change too, in its region only
    await get('pageSize=100&sort=budgetWan');
    expect(await computed(theirs, 'pageSize=100&sort=budgetWan')).toBe(0);
    await outsideWrite(
      t,
      `INSERT INTO progress_report (project_id, reported_on, status, progress_percent, reported_by, created_at)
       VALUES (${x.id}, '2026-11-20', 'preparing', 0, 'psql', '2026-11-20T00:00:00.000Z')`,
    );
    expect(await computed(theirs)).toBe(0);
    expect(await computed('pageSize=100&sort=budgetWan')).toBeGreaterThan(0);
  });

  it('keeps 首页’s 资金 summary across a commit elsewhere (another county, a sign-in), drops it for a change in scope', async () => {
    const summaries = jest.spyOn(
      t.app.get(FundingSummaryService) as unknown as { compute: () => Promise<unknown> },
      'compute',
    );
    type Summary = { total: { committedWan: string } };
    const summary = async () =>
      (await t.http().get(`/api/funding/summary?regionId=${liannan}&groupBy=status`).expect(200))
        .body as Summary;
    const before = await summary();
    expect(summaries).toHaveBeenCalledTimes(1);
    // a project of another county, and a session renewed (what every visit of 首页 commits)
    await t
      .http()
      .post('/api/projects')
      .send({ name: '另一县新建小学', regionId: other, budgetWan: '100.00' })
      .expect(201);
    await t
      .anon()
      .post('/api/auth/login')
      .send({ username: 'admin', password: 'Test-Admin-Pass-1' })
      .expect(200);
    expect(await summary()).toEqual(before);
    expect(summaries).toHaveBeenCalledTimes(1);
    // a funding line of a 连南 project, written outside the app (an item change): summed again
    const x = (await get(A)).items[0];
    await outsideWrite(
      t,
      `INSERT INTO funding_line (project_id, source, committed_fen, received_fen, committed_on, version, created_at, updated_at)
       VALUES (${x.id}, 'county_budget', 1230000, 0, '2026-01-05', 1, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`,
    );
    expect((await summary()).total.committedWan).toBe(sumWan(before.total.committedWan, '1.23'));
    expect(summaries).toHaveBeenCalledTimes(2);
  });

  it('drops everything when a region changes, or when more changed than the log is read for', async () => {
    const theirs = `regionId=${other}&pageSize=5`;
    await get(A);
    await get(theirs);
    await outsideWrite(t, `UPDATE region SET name = '连南县' WHERE id = ${liannan}`);
    expect(await computed(A, theirs)).toBe(4);
    // a bulk import: more than MAX_CHANGES entries since the last read
    await outsideWrite(
      t,
      `INSERT INTO change_log (project_id, kind) SELECT 999999, 'item' FROM project a, project b, project c, project d
       LIMIT ${MAX_CHANGES + 1}`,
    );
    expect(await computed(A, theirs)).toBe(4);
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
    // entries that depend on no project: PostgreSQL's generation is the cluster's snapshot, so
    // another database's commit (a parallel worker, autovacuum) would drop untracked entries
    const get = (key: string, v: string) =>
      cache.get(key, compute(v), () => ({ scope: '/none/', ids: [] }));
    expect(await Promise.all([get('a', 'A'), get('a', 'A'), get('a', 'A')])).toEqual([
      'A',
      'A',
      'A',
    ]);
    expect(runs).toBe(1);
    await get('b', 'B');
    await get('a', 'A'); // a is now the most recent
    await get('c', 'C'); // drops b
    expect(cache.size).toBe(2);
    runs = 0;
    await get('a', 'A');
    expect(runs).toBe(0);
    await get('b', 'B');
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
    await nextTurn(); // SQLite: another process's commit is seen from the next turn of the loop
    expect(await t.db.generation()).not.toBe(g1);
  });

  it("reads the generation once per request: the list's cache takes the auth guard's", async () => {
    await nextTurn();
    const share = jest.spyOn(t.db, 'shareGeneration');
    const generation = jest.spyOn(t.db, 'generation');
    const reads = jest.spyOn(t.db, 'selectPrepared');
    await t.http().get('/api/projects?pageSize=7&sort=name').expect(200);
    expect(share).toHaveBeenCalledTimes(1);
    const [actor, token] = share.mock.calls[0];
    const forRequest = generation.mock.calls.flatMap((args, i) =>
      args[0] === actor ? [generation.mock.results[i].value as Promise<string>] : [],
    );
    expect(forRequest.length).toBeGreaterThanOrEqual(2); // the page, its ids and its count
    for (const p of forRequest) expect(p).toBe(token);
    // PostgreSQL: one snapshot query for the whole request (the guard's)
    if (t.config.dialect === 'postgres')
      expect(
        reads.mock.calls.filter(([name]) => name === 'generation' || name === 'generation-changes'),
      ).toHaveLength(1);
    for (const s of [share, generation, reads]) s.mockRestore();
  });

  it('SQLite: reads PRAGMA data_version once per turn, and again at once after its own commit', async () => {
    if (t.config.dialect !== 'sqlite') return;
    await t.db.generation(); // the statement is prepared on first use
    await nextTurn();
    const statement = (t.db as unknown as { dataVersion: { get(): unknown } }).dataVersion;
    const reads = jest.spyOn(statement, 'get');
    const g0 = await t.db.generation();
    const again = await Promise.all(Array.from({ length: 5 }, () => t.db.generation()));
    expect(new Set(again)).toEqual(new Set([g0]));
    expect(reads).toHaveBeenCalledTimes(1);
    await t.db.transaction((em) =>
      em.query("UPDATE project SET town = '丁' WHERE id = (SELECT MIN(id) FROM project)"),
    );
    const g1 = await t.db.generation(); // the same turn: not the token from before the commit
    expect(Number(g1)).toBeGreaterThan(Number(g0));
    expect(reads).toHaveBeenCalledTimes(2);
    await nextTurn();
    expect(await t.db.generation()).toBe(g1);
    expect(reads).toHaveBeenCalledTimes(3);
    reads.mockRestore();
  });

  it('reads one snapshot for the callers of one turn (PostgreSQL), and a new one after a commit', async () => {
    const reads = jest.spyOn(t.db, 'selectPrepared');
    const together = await Promise.all(Array.from({ length: 20 }, () => t.db.generation()));
    expect(new Set(together).size).toBe(1);
    // SQLite reads PRAGMA data_version on the spot, without a query through selectPrepared
    expect(reads).toHaveBeenCalledTimes(t.config.dialect === 'postgres' ? 1 : 0);
    // the shared read is not kept: a caller who asks after a commit ended sees it
    await outsideWrite(
      t,
      "UPDATE project SET town = '丙' WHERE id = (SELECT MIN(id) FROM project)",
    );
    await nextTurn();
    expect(await t.db.generation()).not.toBe(together[0]);
    reads.mockRestore();
  });

  it('PostgreSQL: catches up from the changes its generation read brought, without asking the log again', async () => {
    if (t.config.dialect !== 'postgres') return;
    const cache = t.app.get(ReadCache);
    const [x, y] = (await t.http().get('/api/projects?pageSize=2&sort=id').expect(200)).body
      .items as { id: number }[];
    await cache.get('warm', async () => 0); // synced to the data as it is
    const holdsX = await cache.get(
      'x',
      async () => 'x before',
      () => ({ scope: '/x', ids: [x.id] }),
    );
    const holdsY = await cache.get(
      'y',
      async () => 'y before',
      () => ({ scope: '/y', ids: [y.id] }),
    );
    expect([holdsX, holdsY]).toEqual(['x before', 'y before']);
    const reads = jest.spyOn(t.db, 'changesSince');
    await outsideWrite(t, `UPDATE project SET town = '己' WHERE id = ${x.id}`);
    await nextTurn();
    // the token's read brought the commit's change: x's entry dropped, y's kept, the log not asked
    expect(
      await cache.get(
        'x',
        async () => 'x after',
        () => ({ scope: '/x', ids: [x.id] }),
      ),
    ).toBe('x after');
    expect(await cache.get('y', async () => 'y after')).toBe('y before');
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
  });

  it('PostgreSQL: a commit between the token and the change log is caught up once, not twice', async () => {
    if (t.config.dialect !== 'postgres') return;
    const cache = t.app.get(ReadCache);
    // the changes the generation reads brought set aside: the cache asks the log
    const brought = jest.spyOn(t.db, 'changesRead').mockReturnValue(undefined);
    const town = "UPDATE project SET town = '己' WHERE id = (SELECT MIN(id) FROM project)";
    await outsideWrite(t, town);
    await nextTurn();
    const before = {}; // a request whose auth guard read the token before the second commit
    t.db.shareGeneration(before, t.db.generation(before));
    const token = await t.db.generation(before);
    await outsideWrite(t, town.replace('己', '庚'));
    const reads = jest.spyOn(t.db, 'changesSince');
    await cache.get('k', async () => 1, undefined, before);
    expect(reads).toHaveBeenCalledTimes(1);
    // its sync read the log after the second commit: a request whose token is that moment's
    // (other databases of the cluster commit too, so it is given, not read) does not sync again
    const { mark } = (await reads.mock.results[0].value) as { mark: string };
    expect(mark).not.toBe(token);
    const after = {};
    t.db.shareGeneration(after, Promise.resolve(mark));
    expect(await cache.get('k2', async () => 2, undefined, after)).toBe(2);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    brought.mockRestore();
  });

  it('is off with READ_CACHE_ENTRIES=0', async () => {
    const off = await createTestApp({ env: { READ_CACHE_ENTRIES: '0' } });
    try {
      const spy = jest.spyOn(off.app.get(ProjectsQuery), 'listQuery');
      await off.http().get('/api/projects?pageSize=5').expect(200);
      await off.http().get('/api/projects?pageSize=5').expect(200);
      expect(spy).toHaveBeenCalledTimes(4);
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
