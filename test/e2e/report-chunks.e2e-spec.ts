import { generate } from '../../scripts/bench/generate';
import { AlertsService } from '../../src/alerts/alerts.service';
import { evaluateAlerts } from '../../src/alerts/alert-rules';
import { Region } from '../../src/regions/region.entity';
import { ReportDataService } from '../../src/reports/report-data.service';
import { DashboardService } from '../../src/reports/dashboard.service';
import { createTestApp, TestApp } from '../support/app';

/**
 * A large report reads its projects (and their alert inputs) 1,000 at a time: the chunks must
 * add up to exactly what one read of the whole province gives.
 */
describe('monthly report data read in chunks', () => {
  let t: TestApp;
  let province: Region;
  const asOf = '2026-10-31';

  beforeAll(async () => {
    t = await createTestApp({ empty: true });
    const g = await generate(t.db.write, 2_500, { seed: 7 });
    province = await t.db.reader(Region).findOneByOrFail({ id: g.provinceId });
  });
  afterAll(() => t.close());

  it('gives every project once, in report order, with the money of its own records', async () => {
    const d = await t.app.get(ReportDataService).load('2026-10', province.path, province);
    const order = await t.db.select<{ id: number }>(
      `SELECT pr.id FROM project pr JOIN region rg ON rg.id = pr.region_id WHERE pr.archived_at IS NULL AND rg.path LIKE :path ORDER BY rg.path, pr.plan_year, pr.id`,
      { path: `${province.path}%` },
    );
    expect(order.length).toBe(2_500);
    expect(d.projects.map((p) => p.id)).toEqual(order.map((r) => Number(r.id)));
    const [sums] = await t.db.select<{ committed: string; paid: string }>(
      `SELECT CAST((SELECT COALESCE(SUM(committed_fen), 0) FROM funding_line WHERE committed_on <= :asOf) AS TEXT) AS committed,
              CAST((SELECT COALESCE(SUM(amount_fen), 0) FROM payment WHERE paid_on <= :asOf) AS TEXT) AS paid`,
      { asOf },
    );
    expect(d.projects.reduce((s, p) => s + p.committed, 0n)).toBe(BigInt(sums.committed));
    expect(d.projects.reduce((s, p) => s + p.paid, 0n)).toBe(BigInt(sums.paid));
    expect(d.projects.reduce((s, p) => s + p.committed, 0n)).toBeGreaterThan(0n);
  });

  it('leaves out a project deleted between reading the ids and reading its chunk', async () => {
    const data = t.app.get(ReportDataService);
    const real = t.db.select.bind(t.db);
    const select = jest.spyOn(t.db, 'select');
    // the first read is the ids in report order: one more id, of a project gone since
    select.mockImplementationOnce(
      async (sql, params) =>
        [...((await real(sql, params)) as { id: number }[]), { id: 99_999_999 }] as never,
    );
    try {
      const d = await data.load('2026-10', province.path, province);
      expect(d.projects).toHaveLength(2_500);
      expect(d.projects.some((p) => p.id === 99_999_999)).toBe(false);
    } finally {
      select.mockRestore();
    }
  });

  it('lists the same alerts as one evaluation of the whole province', async () => {
    const d = await t.app.get(ReportDataService).load('2026-10', province.path, province);
    const whole = evaluateAlerts(
      await t.app.get(AlertsService).inputs(province.path, asOf),
      asOf,
    ).filter((a) =>
      [
        'project_overdue',
        'milestone_overdue',
        'milestone_due_soon',
        'stale_report',
        'no_progress',
        'funding_gap',
      ].includes(a.kind),
    );
    // the owner too: the report takes each project's next open milestone's owner from the
    // milestones it reads once for the sheet, the scan from a query of its own
    const key = (a: {
      kind: string;
      subjectKey: string;
      severity: string;
      daysOverdue: number;
      owner: string | null;
      message: string;
    }) => `${a.subjectKey}|${a.kind}|${a.severity}|${a.daysOverdue}|${a.owner}|${a.message}`;
    expect(whole.length).toBeGreaterThan(1_000);
    expect(d.alerts.map(key).sort()).toEqual(whole.map(key).sort());
    expect(d.projectNames.size).toBe(2_500);
    expect(d.alerts.filter((a) => a.kind === 'project_overdue' && a.owner).length).toBeGreaterThan(
      0,
    );
  });

  it('gives every milestone once, in report order, each with its own fields', async () => {
    const d = await t.app.get(ReportDataService).load('2026-10', province.path, province);
    const rows = await t.db.select<Record<string, string | number | null>>(
      `SELECT m.id, pr.name AS project, m.name, m.planned_date, m.planned_due, m.actual_date, m.owner, m.note
       FROM milestone m JOIN project pr ON pr.id = m.project_id JOIN region rg ON rg.id = pr.region_id
       WHERE pr.archived_at IS NULL AND rg.path LIKE :path ORDER BY rg.path, pr.plan_year, pr.id, m.sort_order, m.id`,
      { path: `${province.path}%` },
    );
    const got: string[] = [];
    for await (const page of d.milestones())
      for (const m of page)
        got.push(
          [m.projectName, m.name, m.plannedDate, m.plannedDue, m.actualDate, m.owner, m.note].join(
            '|',
          ),
        );
    expect(rows.length).toBeGreaterThan(20_000);
    expect(got).toEqual(
      rows.map((r) =>
        [
          r.project,
          r.name,
          r.planned_date,
          r.planned_due,
          r.actual_date && String(r.actual_date) <= asOf ? r.actual_date : null,
          r.owner,
          r.note,
        ].join('|'),
      ),
    );
  });

  it('首页 counts a past day’s alerts chunk by chunk as one evaluation of the whole province', async () => {
    // 2,500 projects: three chunks, each evaluated on its own milestones and reports
    const computed = await t.app
      .get(DashboardService)
      .compute(
        province.path,
        { id: province.id, name: province.name, level: province.level },
        asOf,
      );
    const whole = evaluateAlerts(await t.app.get(AlertsService).inputs(province.path, asOf), asOf);
    const counts = { red: 0, yellow: 0, blue: 0 };
    const red = new Map<number, number>();
    const level = new Map<number, string>();
    for (const a of whole) {
      counts[a.severity]++;
      if (a.severity === 'red') red.set(a.projectId, (red.get(a.projectId) ?? 0) + 1);
      const had = level.get(a.projectId);
      if (!had || (had === 'blue' && a.severity !== 'blue') || a.severity === 'red')
        level.set(a.projectId, a.severity);
    }
    expect(computed.dashboard.alerts).toEqual(counts);
    expect(counts.red + counts.yellow + counts.blue).toBeGreaterThan(1_000);
    expect(new Set(whole.map((a) => a.kind)).size).toBe(6);
    expect(computed.projects).toHaveLength(2_500);
    for (const p of computed.projects)
      expect([p.id, p.redAlerts, p.alertLevel]).toEqual([
        p.id,
        red.get(p.id) ?? 0,
        level.get(p.id) ?? null,
      ]);
  });
});
