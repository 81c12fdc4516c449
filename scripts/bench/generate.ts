/**
 * Generates the docs/limits.md data set deterministically (fixed seed) into a migrated database:
 * per 10,000 projects, 100,000 milestones, 50,000 funding lines, 120,000 progress reports,
 * 20,000 payments. Written with multi-row INSERTs straight through the data source.
 */
import { DataSource } from 'typeorm';
import { dueDate } from '../../src/common/dates';
import { DEFAULT_MILESTONES } from '../../src/projects/milestone-defaults';
import { FUNDING_SOURCES } from '../../src/funding/funding.entities';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const month = (y: number, m: number) =>
  `${y + Math.floor((m - 1) / 12)}-${pad(((m - 1) % 12) + 1)}`;

export interface Generated {
  provinceId: number;
  counties: { id: number; path: string }[];
  emptyCounties: number[];
  projects: number;
}

async function insertRows(
  ds: DataSource,
  table: string,
  cols: string[],
  rows: unknown[][],
): Promise<void> {
  const pg = ds.options.type === 'postgres';
  const chunk = Math.max(1, Math.floor((pg ? 30000 : 30000) / cols.length));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    let n = 0;
    const values = part
      .map((r) => `(${r.map(() => (pg ? `$${++n}` : '?')).join(', ')})`)
      .join(', ');
    await ds.query(
      `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`,
      part.flat(),
    );
  }
}

/** Adds `projects` projects under a new province (so the reference data stays as it is). */
export async function generate(
  ds: DataSource,
  projects: number,
  opts: {
    countiesPerCity?: number;
    projectsPerCounty?: number;
    emptyCounties?: number;
    seed?: number;
  } = {},
): Promise<Generated> {
  const rand = rng(opts.seed ?? 20261123);
  const int = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const now = '2026-11-01T00:00:00.000Z';
  const perCounty = opts.projectsPerCounty ?? 100;
  const countyCount = Math.ceil(projects / perCounty);
  const perCity = opts.countiesPerCity ?? 5;
  const run = async (sql: string, p: unknown[] = []) => ds.query(sql, p);
  const pg = ds.options.type === 'postgres';
  const ph = (i: number) => (pg ? `$${i}` : '?');
  const insertRegion = async (
    name: string,
    level: string,
    parentId: number | null,
    parentPath: string,
  ): Promise<{ id: number; path: string }> => {
    const r = await run(
      `INSERT INTO region (name, level, parent_id, path) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, '') ${pg ? 'RETURNING id' : ''}`,
      [name, level, parentId],
    );
    const id = pg ? Number(r[0].id) : Number((await run('SELECT last_insert_rowid() AS id'))[0].id);
    const path = `${parentPath}${id}/`;
    await run(`UPDATE region SET path = ${ph(1)} WHERE id = ${ph(2)}`, [path, id]);
    return { id, path };
  };
  const province = await insertRegion(`测试省${opts.seed ?? ''}${projects}`, 'province', null, '/');
  const counties: { id: number; path: string }[] = [];
  let city = province;
  for (let c = 0; c < countyCount + (opts.emptyCounties ?? 0); c++) {
    if (c % perCity === 0)
      city = await insertRegion(`测试市${c / perCity + 1}`, 'city', province.id, province.path);
    counties.push(await insertRegion(`测试县${c + 1}`, 'county', city.id, city.path));
  }
  const emptyCounties = counties.splice(countyCount).map((c) => c.id);
  const maxId = Number((await run('SELECT COALESCE(MAX(id), 0) AS m FROM project'))[0].m);
  const projectRows: unknown[][] = [];
  const milestones: unknown[][] = [];
  const lines: unknown[][] = [];
  const reports: unknown[][] = [];
  const payments: unknown[][] = [];
  const revisions: unknown[][] = [];
  const kinds = ['new_build', 'expansion', 'relocation', 'renovation'];
  for (let i = 0; i < projects; i++) {
    const id = maxId + i + 1;
    const county = counties[Math.floor(i / perCounty)];
    const planYear = int(2021, 2027);
    const startM = int(1, 12);
    const duration = int(10, 30);
    const plannedStart = month(planYear, startM);
    const plannedCompletion = month(planYear, startM + duration);
    const stage = int(0, 4);
    const seats = [0, 0, 0, 0];
    seats[stage % 4] = int(1, 30) * 30;
    const budgetFen = int(100, 30000) * 1_000_000 + int(0, 99) * 10_000;
    // history: monthly reports from the start, progress rising, some stalled, some completed
    const reportsCount = int(6, 18);
    const stall = rand() < 0.05;
    let status = 'planned';
    let progress = 0;
    let last: string | null = null;
    let investment = 0;
    let actual: string | null = null;
    for (let r = 0; r < reportsCount; r++) {
      const m = month(planYear, startM + r);
      const day = `${m}-${pad(int(20, 28))}`;
      if (day > '2026-11-20') break;
      if (!stall || r < reportsCount - 3) progress = Math.min(100, progress + int(3, 12));
      const done = progress >= 100;
      status = done ? 'completed' : 'under_construction';
      if (done && !actual) actual = day;
      investment = Math.floor((budgetFen / 1_000_000) * (progress / 100)) * 1_000_000;
      reports.push([
        id,
        day,
        status,
        progress,
        investment,
        done ? actual : null,
        null,
        'bench',
        null,
        now,
      ]);
      last = day;
      if (done) break;
    }
    // a location near its county's seat (a grid over 广东-sized ground), from a generator of its
    // own so the other figures stay what they were before locations existed
    const here = rng(id * 7919 + 17);
    const ci = Math.floor(i / perCounty);
    const latE6 = 21_000_000 + (ci % 10) * 450_000 + Math.floor(here() * 400_000);
    const lngE6 = 109_500_000 + (Math.floor(ci / 10) % 10) * 750_000 + Math.floor(here() * 700_000);
    projectRows.push([
      id,
      `测试项目${id}号学校`,
      county.id,
      planYear,
      kinds[int(0, 3)],
      seats[0],
      seats[1],
      seats[2],
      seats[3],
      int(1000, 50000) * 100,
      rand() < 0.2 ? null : int(0, 10000),
      budgetFen,
      plannedStart,
      plannedCompletion,
      dueDate(plannedCompletion),
      actual,
      status,
      last ? progress : null,
      last ? investment : null,
      last,
      latE6,
      lngE6,
      1,
      now,
      now,
    ]);
    revisions.push([id, null, budgetFen, '规划', 'bench', now]);
    DEFAULT_MILESTONES.forEach((ms, k) => {
      const planned = month(planYear, startM + Math.floor((duration * k) / 9));
      const reached = progress >= (k + 1) * 10 ? `${planned}-${pad(int(1, 28))}` : null;
      milestones.push([
        id,
        ms.key,
        ms.name,
        (k + 1) * 10,
        planned,
        dueDate(planned),
        reached && reached <= '2026-11-20' ? reached : null,
        rand() < 0.5 ? `责任人${int(1, 99)}` : null,
        1,
        now,
        now,
      ]);
    });
    for (let f = 0; f < 5; f++) {
      const committed = Math.floor(budgetFen / 6 / 10_000) * 10_000 + int(0, 99) * 10_000;
      const on = `${month(planYear, startM + f)}-${pad(int(1, 28))}`;
      const received = rand() < 0.7 ? committed : 0;
      lines.push([
        id,
        FUNDING_SOURCES[int(0, 7)],
        committed,
        on <= '2026-11-20' ? on : '2026-11-20',
        received,
        received ? (on <= '2026-11-20' ? on : '2026-11-20') : null,
        1,
        now,
        now,
      ]);
    }
    for (let q = 0; q < 2; q++)
      payments.push([
        id,
        `${month(planYear, startM + q + 1)}-15` <= '2026-11-20'
          ? `${month(planYear, startM + q + 1)}-15`
          : '2026-11-20',
        `施工单位${int(1, 500)}`,
        Math.floor(budgetFen / 10 / 10_000) * 10_000,
        null,
        1,
        now,
        now,
      ]);
  }
  await insertRows(
    ds,
    'project',
    [
      'id',
      'name',
      'region_id',
      'plan_year',
      'kind',
      'seats_kindergarten',
      'seats_primary',
      'seats_junior_middle',
      'seats_senior_secondary',
      'floor_area',
      'land',
      'budget_fen',
      'planned_start',
      'planned_completion',
      'planned_completion_due',
      'actual_completion',
      'status',
      'progress_percent',
      'investment_completed_fen',
      'last_reported_on',
      'lat_e6',
      'lng_e6',
      'version',
      'created_at',
      'updated_at',
    ],
    projectRows,
  );
  if (pg)
    await run(
      `SELECT setval(pg_get_serial_sequence('project', 'id'), (SELECT MAX(id) FROM project))`,
    );
  await insertRows(
    ds,
    'budget_revision',
    ['project_id', 'effective_on', 'budget_fen', 'reason', 'created_by', 'created_at'],
    revisions,
  );
  await insertRows(
    ds,
    'milestone',
    [
      'project_id',
      'key',
      'name',
      'sort_order',
      'planned_date',
      'planned_due',
      'actual_date',
      'owner',
      'version',
      'created_at',
      'updated_at',
    ],
    milestones,
  );
  await insertRows(
    ds,
    'funding_line',
    [
      'project_id',
      'source',
      'committed_fen',
      'committed_on',
      'received_fen',
      'received_on',
      'version',
      'created_at',
      'updated_at',
    ],
    lines,
  );
  await insertRows(
    ds,
    'progress_report',
    [
      'project_id',
      'reported_on',
      'status',
      'progress_percent',
      'investment_completed_fen',
      'actual_completion',
      'note',
      'reported_by',
      'reported_by_id',
      'created_at',
    ],
    reports,
  );
  await insertRows(
    ds,
    'payment',
    [
      'project_id',
      'paid_on',
      'payee',
      'amount_fen',
      'reference',
      'version',
      'created_at',
      'updated_at',
    ],
    payments,
  );
  // PostgreSQL: vacuumed as well, so the autovacuum that 110,000 new rows call for does not run
  // inside a timed load (it halved the busy row's req/s in some runs)
  await run(ds.options.type === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
  return { provinceId: province.id, counties, emptyCounties, projects };
}
