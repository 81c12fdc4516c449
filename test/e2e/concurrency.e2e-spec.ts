import { AuditLog } from '../../src/audit/audit-log.entity';
import { Milestone } from '../../src/milestones/milestone.entity';
import { ProgressReport } from '../../src/projects/progress-report.entity';
import { Project } from '../../src/projects/project.entity';
import { createTestApp, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

const tick = () => new Promise((r) => setTimeout(r, 1));

/**
 * docs/stack.md pitfall 1: on SQLite TypeORM shares one connection, so overlapping transactions fail,
 * plain writes join a transaction that later rolls back, and reads see uncommitted rows. Fires
 * 260 concurrent mixed writes — some fail half-way — and checks every accepted change is stored
 * and every rejected one left no trace. Runs on PostgreSQL too (TEST_DATABASE_URL).
 */
describe(`concurrent writes (${DIALECT})`, () => {
  let t: TestApp;
  let countyId: number;

  beforeAll(async () => {
    t = await createTestApp();
    countyId = (await t.http().get('/api/regions').expect(200)).body.find(
      (r: { level: string; name: string }) => r.level === 'county' && r.name === '连南瑶族自治县',
    ).id;
  });
  afterAll(() => t.close());

  it('loses no accepted write and keeps no trace of a rejected one', async () => {
    const projects = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      version: number;
      planYear: number;
    }[];
    const target = projects.find((p) => p.name === '大麦山中心幼儿园')!;
    const reportTargets = projects.filter((p) => p.name !== '大麦山中心幼儿园').slice(0, 10);
    const sawDoomed: string[] = [];
    const ops: Promise<{ kind: string; ok: boolean; name?: string; status?: number }>[] = [];

    for (let i = 0; i < 260; i++) {
      switch (i % 6) {
        case 0: // valid create
        case 1: {
          const name = `并发新建项目-${i}`;
          ops.push(
            t
              .http()
              .post('/api/projects')
              .send({ name, regionId: countyId, budgetWan: `${i}.01`, seats: { primary: i } })
              .then((r) => ({ kind: 'create', ok: r.status === 201, name, status: r.status })),
          );
          break;
        }
        case 2: {
          // a unit of work that writes a project and a milestone, then fails half-way
          const name = `半途失败项目-${i}`;
          ops.push(
            t.db
              .transaction(async (em) => {
                const now = new Date().toISOString();
                const p = await em.save(
                  Project,
                  em.create(Project, { name, regionId: countyId, createdAt: now, updatedAt: now }),
                );
                await em.insert(Milestone, {
                  projectId: p.id,
                  key: 'approval',
                  name: '立项批复',
                  sortOrder: 1,
                  createdAt: now,
                  updatedAt: now,
                });
                await tick(); // let every other request run while this transaction is open
                await em.insert(AuditLog, {
                  at: now,
                  actorName: 'test',
                  action: 'create',
                  entity: 'project',
                  entityId: p.id,
                  projectId: p.id,
                  changes: {} as never,
                });
                throw new Error('failure half-way');
              })
              .then(
                () => ({ kind: 'doomed', ok: true, name }),
                () => ({ kind: 'doomed', ok: false, name }),
              ),
          );
          break;
        }
        case 3: {
          // concurrent PATCHes of one project, all with the same version: one wins
          ops.push(
            t
              .http()
              .patch(`/api/projects/${target.id}`)
              .send({ version: target.version, town: `镇-${i}` })
              .then((r) => ({
                kind: 'patch',
                ok: r.status === 200,
                name: `镇-${i}`,
                status: r.status,
              })),
          );
          break;
        }
        case 4: {
          // progress reports on other projects, some illegal (planned → completed)
          const p = reportTargets[i % reportTargets.length];
          const illegal = i % 4 === 0;
          const body = illegal
            ? {
                reportedOn: '2025-01-01',
                status: 'completed',
                progressPercent: 100,
                actualCompletion: '2024-12-01',
                note: `r-${i}`,
              }
            : {
                reportedOn: '2025-01-01',
                status: 'preparing',
                progressPercent: i % 100,
                note: `r-${i}`,
              };
          ops.push(
            t
              .http()
              .post(`/api/projects/${p.id}/progress`)
              .send(body)
              .then((r) => ({
                kind: illegal ? 'badReport' : 'report',
                ok: r.status === 201,
                name: `r-${i}`,
                status: r.status,
              })),
          );
          break;
        }
        default: {
          // reads while writes are open must never see uncommitted rows
          ops.push(
            t
              .http()
              .get('/api/projects?q=半途失败&pageSize=200')
              .then((r) => {
                for (const p of r.body.items as { name: string }[]) sawDoomed.push(p.name);
                return { kind: 'read', ok: r.status === 200 };
              }),
          );
        }
      }
    }
    const results = await Promise.all(ops);
    const by = (k: string) => results.filter((r) => r.kind === k);

    // every accepted create is stored exactly once, with its audit row
    expect(by('create').every((r) => r.ok)).toBe(true);
    const repo = t.db.read.getRepository(Project);
    for (const r of by('create')) {
      const rows = await repo.findBy({ name: r.name! });
      expect(rows).toHaveLength(1);
      expect(
        await t.db.read
          .getRepository(AuditLog)
          .countBy({ entity: 'project', entityId: rows[0].id, action: 'create' }),
      ).toBe(1);
      expect(await t.db.read.getRepository(Milestone).countBy({ projectId: rows[0].id })).toBe(10);
    }
    // every half-way failure left nothing: no project, milestone or audit row, and nobody saw it
    expect(by('doomed').every((r) => !r.ok)).toBe(true);
    expect(
      await repo.createQueryBuilder('p').where("p.name LIKE '半途失败项目-%'").getCount(),
    ).toBe(0);
    const orphanMilestones = await t.db.read.query(
      'SELECT COUNT(*) AS n FROM milestone m WHERE NOT EXISTS (SELECT 1 FROM project p WHERE p.id = m.project_id)',
    );
    expect(Number(orphanMilestones[0].n)).toBe(0);
    const orphanAudit = await t.db.read.query(
      "SELECT COUNT(*) AS n FROM audit_log a WHERE a.actor_name = 'test'",
    );
    expect(Number(orphanAudit[0].n)).toBe(0);
    expect(sawDoomed).toEqual([]);

    // same-version PATCHes: exactly one wins, the rest are 409 and changed nothing
    const patches = by('patch');
    expect(patches.filter((r) => r.ok)).toHaveLength(1);
    expect(patches.filter((r) => !r.ok).every((r) => r.status === 409)).toBe(true);
    const after = await repo.findOneByOrFail({ id: target.id });
    expect(after.version).toBe(target.version + 1);
    expect(after.town).toBe(patches.find((r) => r.ok)!.name);
    expect(
      await t.db.read
        .getRepository(AuditLog)
        .countBy({ entity: 'project', entityId: target.id, action: 'update' }),
    ).toBe(1);

    // legal reports all stored, illegal ones none
    expect(by('report').every((r) => r.ok)).toBe(true);
    expect(by('badReport').every((r) => r.status === 400)).toBe(true);
    const notes = (await t.db.read.getRepository(ProgressReport).find()).map((r) => r.note);
    expect(notes.sort()).toEqual(
      by('report')
        .map((r) => r.name)
        .sort(),
    );
    expect(results.length).toBeGreaterThanOrEqual(200);
  });

  (DIALECT === 'sqlite' ? it : it.skip)(
    'shows the pitfall the mutex prevents: raw overlapping transactions on one SQLite connection fail',
    async () => {
      const slow = t.db.write.transaction(async (em) => {
        await em.query('SELECT 1');
        await tick();
      });
      const second = t.db.write.transaction(async (em) => em.query('SELECT 1'));
      const outcomes = await Promise.allSettled([slow, second]);
      expect(
        outcomes.some((o) => o.status === 'rejected' && /transaction/i.test(String(o.reason))),
      ).toBe(true);
      // and the same two through Database.transaction both succeed
      await expect(
        Promise.all([
          t.db.transaction(async (em) => {
            await em.query('SELECT 1');
            await tick();
          }),
          t.db.transaction((em) => em.query('SELECT 1')),
        ]),
      ).resolves.toHaveLength(2);
    },
  );
});
