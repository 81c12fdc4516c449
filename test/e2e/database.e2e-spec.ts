import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { Database } from '../../src/database/database';
import { ENTITIES } from '../../src/entities';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/database/migrations';
import { SeedService } from '../../src/seed.service';
import { Project } from '../../src/projects/project.entity';
import { figureColumns } from '../../src/projects/figures.sql';
import { createTestApp } from '../support/app';
import { createTestDatabase, DIALECT } from '../support/test-db';

describe(`database (${DIALECT})`, () => {
  it('reports health with the database checked, and its dialect', async () => {
    const t = await createTestApp();
    try {
      const r = await t.http().get('/api/health').expect(200);
      expect(r.body).toEqual({ status: 'ok', database: 'up', dialect: DIALECT });
    } finally {
      await t.close();
    }
  });

  it('migrates an empty database to exactly the schema the entities describe', async () => {
    const tdb = await createTestDatabase({ empty: true });
    const db = await Database.open(tdb.config, ENTITIES);
    try {
      const sql = await db.write.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
      expect(await db.write.showMigrations()).toBe(false);
      const migrated = await db.write.query('SELECT COUNT(*) AS n FROM migrations');
      // every listed migration ran (17 with IdempotencyKeys, Withdrawals and Contacts)
      expect(Number(migrated[0].n)).toBe(
        (DIALECT === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS).length,
      );
      expect(SQLITE_MIGRATIONS.length).toBeGreaterThanOrEqual(17);
      // the change log's triggers (TypeORM does not see them; SQLite drops them with a rebuilt table)
      const triggers = (
        (await db.write.query(
          db.dialect === 'postgres'
            ? `SELECT DISTINCT tgname AS name FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'change_log%'`
            : `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'change_log%'`,
        )) as { name: string }[]
      )
        .map((t) => t.name)
        .sort();
      expect(triggers).toEqual(
        db.dialect === 'postgres'
          ? [
              'change_log_alert',
              'change_log_alert_update',
              'change_log_budget_revision',
              'change_log_funding_line',
              'change_log_payment',
              'change_log_progress_report',
              'change_log_project',
              'change_log_prune',
              'change_log_region',
              'change_log_session',
              'change_log_user',
            ]
          : [
              ...[
                'alert',
                'budget_revision',
                'funding_line',
                'payment',
                'progress_report',
                'project',
              ].flatMap((t) => ['delete', 'insert', 'update'].map((op) => `change_log_${t}_${op}`)),
              'change_log_prune',
              'change_log_region_delete',
              'change_log_region_update',
              'change_log_session_delete',
              'change_log_session_update',
              'change_log_user_delete',
              'change_log_user_insert',
              'change_log_user_update',
            ].sort(),
      );
    } finally {
      await db.close();
      await tdb.drop();
    }
  });

  it('sums the figures as of a day (committed, received, paid) from indexes, without reading each row', async () => {
    const tdb = await createTestDatabase({ empty: true });
    const db = await Database.open(tdb.config, ENTITIES);
    try {
      const sums = figureColumns(['committed', 'received', 'paid']);
      if (db.dialect === 'sqlite') {
        const plan = (
          (await db.write.query(
            `EXPLAIN QUERY PLAN SELECT pr.id, ${sums.replace(/:asOf/g, "'2026-09-30'")} FROM project pr WHERE pr.id IN (1, 2)`,
          )) as { detail: string }[]
        ).map((r) => r.detail);
        // each sum a search of a covering index: the days and amounts are in it
        expect(plan.filter((d) => d.startsWith('SEARCH x '))).toEqual([
          'SEARCH x USING COVERING INDEX IDX_4aff24f3b4559b143c4d2da13f (project_id=? AND committed_on<?)',
          'SEARCH x USING COVERING INDEX IDX_4aff24f3b4559b143c4d2da13f (project_id=?)',
          'SEARCH x USING COVERING INDEX IDX_59907e369cb028359ef8ab0adb (project_id=? AND paid_on<?)',
        ]);
      } else {
        const indexes = (
          (await db.write.query(
            `SELECT indexdef FROM pg_indexes WHERE tablename IN ('funding_line', 'payment') ORDER BY indexname`,
          )) as { indexdef: string }[]
        ).map((r) => r.indexdef.replace(/^.* USING btree /, ''));
        expect(indexes).toEqual(
          expect.arrayContaining([
            '(project_id, committed_on, committed_fen, received_on, received_fen)',
            '(project_id, paid_on, amount_fen)',
          ]),
        );
      }
    } finally {
      await db.close();
      await tdb.drop();
    }
  });

  it('seeds an empty database on first start, once, and `npm run seed` again changes nothing', async () => {
    const tdb = await createTestDatabase({ empty: true, env: { SEED_REFERENCE_DATA: 'true' } });
    const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(tdb.config), {
      logger: false,
    });
    try {
      await ctx.init();
      const db = ctx.get(Database);
      const count = async (table: string) =>
        Number((await db.write.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
      const before = {
        region: await count('region'),
        plan: await count('plan'),
        target: await count('plan_target'),
        project: await count('project'),
        milestone: await count('milestone'),
        progress: await count('progress_report'),
        revision: await count('budget_revision'),
        gap: await count('reported_gap'),
      };
      expect(before).toEqual({
        region: 8,
        plan: 5,
        target: 12,
        project: 14,
        milestone: 10 * 12 + 8 * 2,
        progress: 0,
        revision: 14,
        gap: 1,
      });
      const again = await ctx.get(SeedService).run();
      expect(again).toEqual({ regions: 0, plans: 0, targets: 0, projects: 0, reportedGaps: 0 });
      expect({
        region: await count('region'),
        plan: await count('plan'),
        target: await count('plan_target'),
        project: await count('project'),
        milestone: await count('milestone'),
        progress: await count('progress_report'),
        revision: await count('budget_revision'),
        gap: await count('reported_gap'),
      }).toEqual(before);
      const all = await db.write.getRepository(Project).find();
      expect(all.every((p) => p.status === 'planned' && p.lastReportedOn === null)).toBe(true);
      const budgets = await db.write.query(
        'SELECT CAST(SUM(budget_fen) AS TEXT) AS s FROM project',
      );
      expect(budgets[0].s).toBe('62271000000');
    } finally {
      await ctx.close();
      await tdb.drop();
    }
  });

  it('stores money as exact integers where SQLite decimal would drift (docs/stack.md pitfall 3)', async () => {
    const tdb = await createTestDatabase();
    const db = await Database.open(tdb.config, ENTITIES);
    try {
      const p = await db.write.getRepository(Project).findOneByOrFail({ name: '淳溪小学' });
      // 0.1 + 0.2 万元 stored as fen: exactly 300000, read back as a safe integer
      await db.transaction((em) => em.update(Project, p.id, { budgetFen: 100_000 + 200_000 }));
      const raw = await db.write
        .query(`SELECT budget_fen AS b, typeof(budget_fen) AS t FROM project WHERE id = ${p.id}`)
        .catch(() =>
          db.write.query(
            `SELECT budget_fen AS b, pg_typeof(budget_fen)::text AS t FROM project WHERE id = ${p.id}`,
          ),
        );
      expect(String(raw[0].b)).toBe('300000');
      expect(['integer', 'bigint']).toContain(raw[0].t);
      const back = await db.read.getRepository(Project).findOneByOrFail({ id: p.id });
      expect(back.budgetFen).toBe(300_000);
      await expect(
        db.transaction((em) => em.update(Project, p.id, { budgetFen: 0.1 + 0.2 })),
      ).rejects.toThrow('refusing to store a non-integer amount');
    } finally {
      await db.close();
      await tdb.drop();
    }
  });
});
