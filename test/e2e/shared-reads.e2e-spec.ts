import type { PoolClient } from 'pg';
import { AuthService } from '../../src/auth/auth.service';
import { Unauthenticated } from '../../src/common/errors';
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

  /** Session checks of the county viewer's token at one moment, and how many read the session. */
  const checks = async (n: number) => {
    const db = t.app.get(Database);
    const auth = t.app.get(AuthService);
    const reads = jest.spyOn(db.read, 'query');
    try {
      const actors = await Promise.all(
        Array.from({ length: n }, () => auth.actorFromToken(county.token)),
      );
      const sessionReads = reads.mock.calls.filter(([sql]) =>
        String(sql).includes('LEFT JOIN auth_session'),
      ).length;
      return { actors, sessionReads };
    } finally {
      reads.mockRestore();
    }
  };
  const patchProject = async (town: string) => {
    const p = (await t.http().get('/api/projects?pageSize=1').expect(200)).body.items[0];
    await t.http().patch(`/api/projects/${p.id}`).send({ version: p.version, town }).expect(200);
  };

  it('after a commit that may change sessions, 30 requests of one session read it once', async () => {
    await checks(1);
    // a commit to a user moves the generation: the session is read again, once for the 30 at
    // that moment (another user's: every session check reads again, none knows whose it was)
    const other = await t.as('viewer', 2, 'shared_reads_other');
    const v = (await t.http().get(`/api/users/${other.userId}`).expect(200)).body.version;
    await t.http().patch(`/api/users/${other.userId}`).send({ version: v, role: 'viewer' });
    const { actors, sessionReads } = await checks(30);
    expect(sessionReads).toBe(1);
    expect(new Set(actors.map((a) => `${a.username}|${a.regionId}`))).toEqual(
      new Set(['shared_reads_viewer|3']),
    );
    await burst(30, '/api/projects?pageSize=3'); // and over HTTP, all answered
  });

  it('after commits to projects only, PostgreSQL does not read the session again; SQLite does, once', async () => {
    await checks(1);
    await patchProject('项目镇一');
    await patchProject('项目镇二');
    const { actors, sessionReads } = await checks(30);
    // PostgreSQL: its snapshot reads brought the change log, with no user or session in it
    expect(sessionReads).toBe(t.config.dialect === 'postgres' ? 0 : 1);
    expect(new Set(actors.map((a) => a.username))).toEqual(new Set(['shared_reads_viewer']));
  });

  /** A county viewer whose session check was kept through two project commits (PostgreSQL). */
  const keptThroughCommits = async () => {
    const u = await t.as('viewer', 3);
    const payload = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString());
    await u.get('/api/projects?pageSize=1').expect(200);
    await patchProject('撤销前一');
    await u.get('/api/projects?pageSize=1').expect(200);
    await patchProject('撤销前二');
    await u.get('/api/projects?pageSize=1').expect(200); // kept (PostgreSQL), not read again
    return { u, sid: (payload as { sid: string }).sid };
  };
  const yes = () => (t.config.dialect === 'postgres' ? 'true' : '1');

  it.each([
    [
      'its session ended',
      (sid: string) =>
        `UPDATE auth_session SET ended_at = '2026-12-01T00:00:00.000Z' WHERE id = '${sid}'`,
    ],
    [
      'its user disabled',
      (_: string, uid: number) => `UPDATE "user" SET disabled = ${yes()} WHERE id = ${uid}`,
    ],
    [
      'its user given a new token generation',
      (_: string, uid: number) =>
        `UPDATE "user" SET token_generation = token_generation + 1 WHERE id = ${uid}`,
    ],
  ])(
    'a session check kept through project commits is refused at once when %s by another instance',
    async (_what, sql) => {
      const { u, sid } = await keptThroughCommits();
      await t.db.write.query(sql(sid, u.userId)); // a commit straight to the database
      const refused = await u.get('/api/projects?pageSize=1');
      expect([refused.status, refused.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    },
  );

  it('a session check kept through project commits takes a region changed by another instance at once', async () => {
    const { u } = await keptThroughCommits();
    await t.db.write.query(`UPDATE "user" SET region_id = 2 WHERE id = ${u.userId}`);
    const actor = await t.app.get(AuthService).actorFromToken(u.token);
    expect(actor.regionId).toBe(2);
  });

  it('PostgreSQL: rows kept through commits are read again after SESSION_KEPT_MS, for a change the log did not see', async () => {
    if (t.config.dialect !== 'postgres') return; // SQLite reads them again after any commit
    const { u } = await keptThroughCommits();
    const auth = t.app.get(AuthService);
    // a change the change log cannot see: its trigger turned off by hand
    await t.db.write.query('ALTER TABLE "user" DISABLE TRIGGER change_log_user');
    try {
      await t.db.write.query(`UPDATE "user" SET disabled = true WHERE id = ${u.userId}`);
    } finally {
      await t.db.write.query('ALTER TABLE "user" ENABLE TRIGGER change_log_user');
    }
    await patchProject('看不见的变更');
    expect((await auth.actorFromToken(u.token)).id).toBe(u.userId); // kept: the log saw nothing
    const later = Date.now() + AuthService.SESSION_KEPT_MS;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      await expect(auth.actorFromToken(u.token)).rejects.toBeInstanceOf(Unauthenticated);
    } finally {
      clock.mockRestore();
    }
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
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        county.get('/api/projects?pageSize=3').then((r) => r.status),
        new Promise((resolve) => (timer = setTimeout(() => resolve('waited 3 s'), 3000))),
      ]);
      clearTimeout(timer); // or it keeps Jest's worker 3 s past the suite
      expect(answered).toBe(200);
    } finally {
      held.forEach((c) => c.release());
    }
  });
});
