import { Database } from '../../src/database/database';
import { ENTITIES } from '../../src/entities';
import { bindNamed } from '../../src/database/raw-sql';
import { FiguresService } from '../../src/projects/figures.service';
import {
  gapSql,
  overdueSql,
  stageSql,
  STATUS_GROUPS,
  statusInSql,
  surplusSql,
} from '../../src/projects/figures.sql';
import { gapOf, stageOf, surplusOf } from '../../src/projects/project-figures';
import {
  CLOSED_STATUSES,
  COMPLETED_STATUSES,
  daysOverdue,
  isOverdue,
  PROJECT_STATUSES,
  REPORTING_STATUSES,
  STARTED_STATUSES,
} from '../../src/projects/project-rules';
import { createTestDatabase, TestDatabase } from '../support/test-db';

/**
 * Middle tier (docs/conventions.md): the figures service and the SQL twins of the status groups, the
 * overdue rule, gap and surplus on a freshly migrated database (SQLite here; PostgreSQL in
 * `npm run test:e2e:pg`) — the SQL answers what the TypeScript answers, for every case.
 */
describe('figures: SQL twins agree with the TypeScript rules on the database', () => {
  let tdb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = await Database.open(tdb.config, ENTITIES);
  });
  afterAll(async () => {
    await db.close();
    await tdb.drop();
  });

  const ask = async (expr: string, params: Record<string, unknown>): Promise<unknown> => {
    const [sql, values] = bindNamed(db.dialect, `SELECT ${expr} AS v`, params);
    const rows = (await db.read.query(sql, values)) as { v: unknown }[];
    return rows[0].v;
  };
  const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

  it('each status group, every status', async () => {
    const groups = {
      started: STARTED_STATUSES,
      completed: COMPLETED_STATUSES,
      closed: CLOSED_STATUSES,
      reporting: REPORTING_STATUSES,
      // every status but cancelled, spelled out here
      counted: [
        'planned',
        'preparing',
        'under_construction',
        'completed',
        'in_use',
        'suspended',
      ] as readonly string[],
    };
    for (const group of Object.keys(STATUS_GROUPS) as (keyof typeof STATUS_GROUPS)[]) {
      for (const s of PROJECT_STATUSES) {
        const v = await ask(
          `CASE WHEN ${statusInSql('CAST(:s AS VARCHAR(24))', group)} THEN 1 ELSE 0 END`,
          { s },
        );
        expect({ group, s, in: truthy(v) }).toEqual({ group, s, in: groups[group].includes(s) });
      }
    }
    for (const s of PROJECT_STATUSES) {
      expect({ s, stage: await ask(stageSql('CAST(:s AS VARCHAR(24))'), { s }) }).toEqual({
        s,
        stage: stageOf(s),
      });
    }
  });

  it('the overdue rule: every status, due before, on and after the day, and no due day', async () => {
    const asOf = '2024-03-01';
    for (const s of PROJECT_STATUSES) {
      for (const due of ['2024-02-29', '2024-03-01', '2024-03-02', '2021-08-31', null]) {
        const v = await ask(
          `CASE WHEN ${overdueSql('CAST(:due AS VARCHAR(10))', 'CAST(:s AS VARCHAR(24))')} THEN 1 ELSE 0 END`,
          { due, s, asOf },
        );
        expect({ s, due, overdue: truthy(v) }).toEqual({
          s,
          due,
          overdue: isOverdue(due, s, asOf),
        });
      }
    }
    expect(daysOverdue('2024-02-29', 'under_construction', asOf)).toBe(1);
    expect(daysOverdue('2021-08-31', 'suspended', asOf)).toBe(913);
    expect(daysOverdue('2021-08-31', 'completed', asOf)).toBeNull();
    expect(daysOverdue('2024-03-01', 'planned', asOf)).toBeNull();
  });

  it('gap and surplus: budget above, equal and below committed; cancelled', async () => {
    for (const status of PROJECT_STATUSES) {
      for (const [b, c] of [
        [100n, 30n],
        [100n, 100n],
        [30n, 100n],
        [0n, 0n],
        [9_000_000_000_000_000n, 1n],
      ]) {
        const gap = await ask(
          `CAST(${gapSql('CAST(:b AS BIGINT)', 'CAST(:c AS BIGINT)', 'CAST(:s AS VARCHAR(24))')} AS TEXT)`,
          { b: String(b), c: String(c), s: status },
        );
        const surplus = await ask(
          `CAST(${surplusSql('CAST(:b AS BIGINT)', 'CAST(:c AS BIGINT)')} AS TEXT)`,
          { b: String(b), c: String(c) },
        );
        expect({
          status,
          b,
          c,
          gap: BigInt(String(gap)),
          surplus: BigInt(String(surplus)),
        }).toEqual({
          status,
          b,
          c,
          gap: gapOf({ status, budget: b, committed: c }),
          surplus: surplusOf({ budget: b, committed: c }),
        });
      }
    }
  });

  it('FiguresService: a project as of each day of its records', async () => {
    const figures = new FiguresService(db);
    const [row] = (await db.read.query(
      `SELECT id FROM project WHERE name = '石泉中学（完全中学）'`,
    )) as { id: number }[];
    const id = Number(row.id);
    const now = "'2026-01-01T00:00:00.000Z'";
    await db.transaction(async (em) => {
      await em.query(`INSERT INTO progress_report (project_id, reported_on, status, progress_percent, investment_completed_fen,
        actual_completion, note, reported_by, created_at) VALUES
        (${id}, '2023-03-01', 'under_construction', 10, 500000, NULL, NULL, 't', ${now}),
        (${id}, '2023-05-01', 'under_construction', 40, NULL, NULL, NULL, 't', ${now}),
        (${id}, '2023-05-01', 'suspended', 40, NULL, NULL, NULL, 't', ${now})`);
      await em.query(`INSERT INTO budget_revision (project_id, effective_on, budget_fen, reason, created_by, created_at)
        VALUES (${id}, '2023-04-01', 22000000000, '调整', 't', ${now})`);
      await em.query(`INSERT INTO funding_line (project_id, source, committed_fen, committed_on, received_fen, received_on,
        version, created_at, updated_at) VALUES (${id}, 'county_budget', 100000000, '2023-02-01', 30000000, '2023-06-01', 1, ${now}, ${now})`);
      await em.query(`INSERT INTO payment (project_id, paid_on, payee, amount_fen, version, created_at, updated_at)
        VALUES (${id}, '2023-07-01', '施工单位', 50000000, 1, ${now}, ${now})`);
    });
    const at = async (d: string) => figures.one(id, d);
    expect(await at('2023-01-31')).toEqual({
      status: 'planned',
      budget: 21120000000n,
      committed: 0n,
      received: 0n,
      paid: 0n,
      progressPercent: null,
      investment: 0n,
      lastReportedOn: null,
    });
    expect(await at('2023-03-31')).toEqual({
      status: 'under_construction',
      budget: 21120000000n,
      committed: 100000000n,
      received: 0n,
      paid: 0n,
      progressPercent: 10,
      investment: 500000n,
      lastReportedOn: '2023-03-01',
    });
    // two reports on one day: the later entry wins; the investment is the last one given
    expect(await at('2023-06-30')).toEqual({
      status: 'suspended',
      budget: 22000000000n,
      committed: 100000000n,
      received: 30000000n,
      paid: 0n,
      progressPercent: 40,
      investment: 500000n,
      lastReportedOn: '2023-05-01',
    });
    expect((await at('2023-07-01'))!.paid).toBe(50000000n);
    expect(await at('2023-07-01')).toEqual(
      (await figures.figures([id, 999_999], '2023-07-01')).get(id),
    );
    expect(await figures.one(999_999, '2023-07-01')).toBeNull();
  });
});
