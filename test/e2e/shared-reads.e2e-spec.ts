import type { PoolClient } from 'pg';
import { AuthService } from '../../src/auth/auth.service';
import { Database } from '../../src/database/database';
import { Region } from '../../src/regions/region.entity';
import { RegionsService } from '../../src/regions/regions.service';
import { createTestApp, TestApp } from '../support/app';

/**
 * The reads every request makes before its own work — the session after a commit, the scope's
 * region, PostgreSQL's snapshot — are made once for all the requests that need them at one time.
 * Each request reading them for itself took all of PostgreSQL's pool under the bench's busy load
 * (50 list requests at once, a write every 20 ms): connections waited 31 ms at p99, and a request
 * waited for each (docs/performance.md).
 */
describe('reads shared by the requests of one moment', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<TestApp['as']>>;
  beforeAll(async () => {
    t = await createTestApp();
    county = await t.as('viewer', 3, 'shared_reads_viewer');
  });
  afterAll(() => t?.close());

  const burst = (n: number, url: string) =>
    Promise.all(Array.from({ length: n }, () => county.get(url).expect(200)));

  it('after a commit, 30 requests of one session read the session once', async () => {
    const db = t.app.get(Database);
    const auth = t.app.get(AuthService);
    await auth.actorFromToken(county.token);
    // a commit moves the generation: the session is read again, once for the 30 at that moment
    const p = (await t.http().get('/api/projects?pageSize=1').expect(200)).body.items[0];
    await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, town: '共享镇' })
      .expect(200);
    const reads = jest.spyOn(db.read, 'query');
    const actors = await Promise.all(
      Array.from({ length: 30 }, () => auth.actorFromToken(county.token)),
    );
    const sessionReads = reads.mock.calls.filter(([sql]) =>
      String(sql).includes('LEFT JOIN auth_session'),
    );
    reads.mockRestore();
    expect(sessionReads.length).toBe(1);
    expect(new Set(actors.map((a) => `${a.username}|${a.regionId}`))).toEqual(
      new Set(['shared_reads_viewer|3']),
    );
    await burst(30, '/api/projects?pageSize=3'); // and over HTTP, all answered
  });

  it('a region read again (every 10 s) is read once for the requests waiting on it', async () => {
    const db = t.app.get(Database);
    const service = t.app.get(RegionsService);
    (service as unknown as { cache: Map<number, unknown> }).cache.clear(); // its 10 s are up
    const reader = jest.spyOn(db, 'reader');
    const actor = await t.app.get(AuthService).actorFromToken(county.token);
    const found = await Promise.all(
      Array.from({ length: 30 }, () => service.findInScope(actor, 3)),
    );
    const regionReads = reader.mock.calls.filter(([entity]) => entity === Region);
    reader.mockRestore();
    expect(regionReads.length).toBe(1);
    expect(new Set(found.map((r) => r.id))).toEqual(new Set([3]));
    await burst(30, '/api/projects?pageSize=3&regionId=3');
  });

  it('PostgreSQL: a request still answers while every connection of the pool is taken', async () => {
    if (t.config.dialect !== 'postgres') return; // SQLite's token is a local read
    await burst(2, '/api/projects?pageSize=3'); // page, session and region in hand
    const pool = (
      t.app.get(Database).read.driver as unknown as {
        master: { connect(): Promise<PoolClient>; options: { max: number } };
      }
    ).master;
    const held: PoolClient[] = [];
    for (let i = 0; i < pool.options.max; i++) held.push(await pool.connect());
    try {
      // the snapshot query has connections of its own: a cached page needs nothing else
      const answered = await Promise.race([
        county.get('/api/projects?pageSize=3').then((r) => r.status),
        new Promise((resolve) => setTimeout(() => resolve('waited 3 s'), 3000)),
      ]);
      expect(answered).toBe(200);
    } finally {
      held.forEach((c) => c.release());
    }
  });
});
