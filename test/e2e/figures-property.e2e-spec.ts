import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Clock } from '../../src/common/clock';
import { fenToWan } from '../../src/common/money';
import { FundingLine, Payment } from '../../src/funding/funding.entities';
import { BudgetRevision } from '../../src/projects/budget-revision.entity';
import { ProgressReport } from '../../src/projects/progress-report.entity';
import { binary, createTestApp, TestApp } from '../support/app';

/**
 * The read model against a plain TypeScript reference: random projects, reports, budget revisions,
 * funding lines and payments with random dates; for random days, the list, the project view, the
 * project's funding, the funding summary (county, city and the whole scope — PostgreSQL's grouped
 * form), the monthly report's cells, the overdue filter and the alert conditions all equal the
 * reference to the fen. Runs on SQLite in `npm test` and on PostgreSQL in `npm run test:e2e:pg`.
 */

type Status =
  | 'planned'
  | 'preparing'
  | 'under_construction'
  | 'completed'
  | 'in_use'
  | 'suspended'
  | 'cancelled';
const STATUSES: Status[] = [
  'planned',
  'preparing',
  'under_construction',
  'completed',
  'in_use',
  'suspended',
  'cancelled',
];

interface Gen {
  regionIdx: number;
  budgetFen: number | null;
  planned: string | null;
  reports: { on: string; status: Status; percent: number; investment: number | null }[];
  revisions: { on: string | null; fen: number }[];
  lines: {
    committed: number;
    committedOn: string | null;
    received: number;
    receivedOn: string | null;
  }[];
  payments: { on: string; fen: number }[];
}

const day = fc
  .date({
    min: new Date('2021-01-01T00:00:00Z'),
    max: new Date('2026-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const month = fc.tuple(fc.integer({ min: 2021, max: 2026 }), fc.integer({ min: 1, max: 12 }));
const fen = fc.integer({ min: 0, max: 5_000_000_00 }); // up to 500 万元 a record
const gen: fc.Arbitrary<Gen> = fc.record({
  regionIdx: fc.integer({ min: 0, max: 1 }),
  budgetFen: fc.option(fen, { nil: null }),
  planned: fc.option(
    fc.oneof(
      month.map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
      day,
    ),
    { nil: null },
  ),
  reports: fc.array(
    fc.record({
      on: day,
      status: fc.constantFrom(...STATUSES),
      percent: fc.integer({ min: 0, max: 100 }),
      investment: fc.option(fen, { nil: null }),
    }),
    { maxLength: 5 },
  ),
  revisions: fc.array(fc.record({ on: fc.option(day, { nil: null }), fen }), { maxLength: 3 }),
  lines: fc.array(
    fc.record({
      committed: fen,
      committedOn: fc.option(day, { nil: null }),
      received: fen,
      receivedOn: fc.option(day, { nil: null }),
    }),
    { maxLength: 4 },
  ),
  payments: fc.array(fc.record({ on: day, fen }), { maxLength: 3 }),
});

/** The reference: figures of one project as of a day, computed plainly from the records. */
interface Ref {
  status: Status;
  budget: bigint | null;
  committed: bigint;
  received: bigint;
  paid: bigint;
  gap: bigint;
  surplus: bigint;
  due: string | null;
  overdueDays: number | null;
}

function lastDayOf(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(d).padStart(2, '0')}`;
}

function reference(
  p: Gen & { ids: { reports: number[]; revisions: number[] } },
  asOf: string,
): Ref {
  let status = 'planned' as Status;
  let best: [string, number] | null = null;
  p.reports.forEach((r, i) => {
    const key: [string, number] = [r.on, p.ids.reports[i]];
    if (r.on <= asOf && (!best || key[0] > best[0] || (key[0] === best[0] && key[1] > best[1]))) {
      best = key;
      status = r.status;
    }
  });
  // budget: the revisions given, plus the creation estimate (a revision without a day)
  const revs = [
    ...p.revisions.map((r, i) => ({ on: r.on ?? '', fen: r.fen, id: p.ids.revisions[i] })),
  ];
  let budget: bigint | null = null;
  let bestRev: { on: string; id: number } | null = null;
  for (const r of revs) {
    if (
      r.on <= asOf &&
      (!bestRev || r.on > bestRev.on || (r.on === bestRev.on && r.id > bestRev.id))
    ) {
      bestRev = r;
      budget = BigInt(r.fen);
    }
  }
  let committed = 0n;
  let received = 0n;
  let paid = 0n;
  for (const l of p.lines) {
    if (l.committedOn && l.committedOn <= asOf) committed += BigInt(l.committed);
    if (l.receivedOn && l.receivedOn <= asOf) received += BigInt(l.received);
  }
  for (const x of p.payments) if (x.on <= asOf) paid += BigInt(x.fen);
  const gap =
    budget === null || status === 'cancelled' || budget <= committed ? 0n : budget - committed;
  const surplus = budget !== null && committed > budget ? committed - budget : 0n;
  const due = p.planned === null ? null : p.planned.length === 7 ? lastDayOf(p.planned) : p.planned;
  const closed = status === 'completed' || status === 'in_use' || status === 'cancelled';
  const overdueDays =
    due !== null && due < asOf && !closed
      ? Math.round((Date.parse(asOf) - Date.parse(due)) / 86_400_000)
      : null;
  return { status, budget, committed, received, paid, gap, surplus, due, overdueDays };
}

const wan = (v: bigint | null) => (v === null ? null : fenToWan(v));

describe('figures as of a day equal a plain reference, everywhere they are shown', () => {
  const SEEDS = [20261202, 7, 4242];

  for (const seed of SEEDS) {
    describe(`data set ${seed}`, () => {
      let t: TestApp;
      let regions: { id: number; name: string }[];
      let cityId: number;
      const projects: (Gen & {
        id: number;
        name: string;
        regionId: number;
        ids: { reports: number[]; revisions: number[] };
      })[] = [];
      const TODAY = '2026-06-30';

      beforeAll(async () => {
        t = await createTestApp({ empty: false });
        // the whole app on a pinned day: "today" is what the list and the project view show
        t.app.get(Clock).now = () => new Date(`${TODAY}T04:00:00Z`);
        const all = (await t.http().get('/api/regions').expect(200)).body as {
          id: number;
          name: string;
          level: string;
          parentId: number | null;
        }[];
        // a city with two counties and no reference projects
        const city = all.find((r) => r.name === '河源市')!;
        cityId = city.id;
        regions = all.filter((r) => r.level === 'county' && r.parentId === city.id);
        expect(regions.map((r) => r.name)).toEqual(['源城区', '龙川县']);
        // the reference projects are archived so only the generated ones are in scope
        await t.db.transaction(async (em) => {
          await em.query(`UPDATE project SET archived_at = '2020-01-01T00:00:00.000Z'`);
        });
        const data = fc.sample(fc.array(gen, { minLength: 25, maxLength: 25 }), {
          seed,
          numRuns: 1,
        })[0];
        for (const [i, g] of data.entries()) {
          const regionId = regions[g.regionIdx].id;
          const name = `属性测试项目${seed}-${i}`;
          const res = await t
            .http()
            .post('/api/projects')
            .send({
              name,
              regionId,
              planYear: 2021 + (i % 5),
              seats: { primary: 100 + i },
              budgetWan: g.budgetFen === null ? undefined : fenToWan(BigInt(g.budgetFen)),
              plannedCompletion: g.planned ?? undefined,
            });
          if (res.status !== 201) throw new Error(JSON.stringify(res.body));
          const id = res.body.id as number;
          const ids = { reports: [] as number[], revisions: [] as number[] };
          await t.db.transaction(async (em) => {
            // the creation estimate is the revision without a day; the generated ones follow it
            const created = await em.find(BudgetRevision, { where: { projectId: id } });
            const now = '2026-06-30T04:00:00.000Z';
            const revisions: Gen['revisions'] = created.map((r) => ({
              on: r.effectiveOn,
              fen: Number(r.budgetFen),
            }));
            ids.revisions.push(...created.map((r) => r.id));
            for (const r of g.revisions) {
              const saved = await em.save(
                BudgetRevision,
                em.create(BudgetRevision, {
                  projectId: id,
                  effectiveOn: r.on,
                  budgetFen: r.fen,
                  reason: '测试',
                  createdBy: 'admin',
                  createdAt: now,
                }),
              );
              ids.revisions.push(saved.id);
              revisions.push(r);
            }
            g.revisions = revisions;
            for (const r of g.reports) {
              const saved = await em.save(
                ProgressReport,
                em.create(ProgressReport, {
                  projectId: id,
                  reportedOn: r.on,
                  status: r.status,
                  progressPercent: r.percent,
                  investmentCompletedFen: r.investment,
                  actualCompletion: r.status === 'completed' || r.status === 'in_use' ? r.on : null,
                  note: null,
                  reportedBy: 'admin',
                  reportedById: null,
                  createdAt: now,
                }),
              );
              ids.reports.push(saved.id);
            }
            for (const l of g.lines) {
              await em.insert(FundingLine, {
                projectId: id,
                source: 'county_budget',
                committedFen: l.committed,
                committedOn: l.committedOn,
                receivedFen: l.received,
                receivedOn: l.receivedOn,
                note: null,
                version: 1,
                createdAt: now,
                updatedAt: now,
              });
            }
            for (const x of g.payments) {
              await em.insert(Payment, {
                projectId: id,
                paidOn: x.on,
                payee: '测试单位',
                amountFen: x.fen,
                reference: null,
                version: 1,
                createdAt: now,
                updatedAt: now,
              });
            }
          });
          projects.push({ ...g, id, name, regionId, ids });
        }
      });
      afterAll(() => t.close());

      const days = (): string[] => {
        const picked = fc.sample(day, { seed: seed + 1, numRuns: 6 });
        return ['2021-01-01', '2023-06-30', TODAY, ...picked];
      };

      it('project view, list and the project funding as of today', async () => {
        const list = (
          await t.http().get(`/api/projects?regionId=${cityId}&pageSize=100`).expect(200)
        ).body as {
          items: {
            id: number;
            committedWan: string;
            receivedWan: string;
            paidWan: string;
            gapWan: string | null;
            surplusWan: string | null;
          }[];
        };
        expect(list.items).toHaveLength(projects.length);
        for (const p of projects) {
          const ref = reference(p, TODAY);
          const item = list.items.find((i) => i.id === p.id)!;
          const view = (await t.http().get(`/api/projects/${p.id}`).expect(200))
            .body as typeof item;
          for (const v of [item, view]) {
            expect({
              id: p.id,
              committed: v.committedWan,
              received: v.receivedWan,
              paid: v.paidWan,
              gap: v.gapWan,
              surplus: v.surplusWan,
            }).toEqual({
              id: p.id,
              committed: wan(ref.committed),
              received: wan(ref.received),
              paid: wan(ref.paid),
              gap: ref.budget === null ? null : wan(ref.gap),
              surplus: ref.budget === null ? null : wan(ref.surplus),
            });
          }
        }
      });

      it('funding per project, the funding summary and the overdue list on random days', async () => {
        for (const asOf of days()) {
          for (const p of projects.slice(0, 8)) {
            const ref = reference(p, asOf);
            const f = (await t.http().get(`/api/projects/${p.id}/funding?asOf=${asOf}`).expect(200))
              .body as {
              summary: {
                status: string;
                budgetWan: string | null;
                committedWan: string;
                receivedWan: string;
                paidWan: string;
                gapWan: string | null;
              };
              warnings: { code: string }[];
            };
            expect({ id: p.id, asOf, ...f.summary }).toMatchObject({
              id: p.id,
              asOf,
              status: ref.status,
              budgetWan: wan(ref.budget),
              committedWan: wan(ref.committed),
              receivedWan: wan(ref.received),
              paidWan: wan(ref.paid),
              gapWan: ref.budget === null ? null : wan(ref.gap),
            });
            const codes = f.warnings.map((w) => w.code).sort();
            const expected = [
              ...(ref.received > ref.committed ? ['RECEIVED_ABOVE_COMMITTED'] : []),
              ...(ref.paid > ref.received ? ['PAID_ABOVE_RECEIVED'] : []),
              ...(ref.budget !== null && ref.paid > ref.budget ? ['BUDGET_BELOW_PAID'] : []),
            ].sort();
            expect({ id: p.id, asOf, codes }).toEqual({ id: p.id, asOf, codes: expected });
          }
          // roll-ups: each county, the city, and the admin's whole scope (PostgreSQL's grouped form)
          for (const [label, regionId, inScope] of [
            ['county 0', regions[0].id, (p: Gen) => p.regionIdx === 0],
            ['county 1', regions[1].id, (p: Gen) => p.regionIdx === 1],
            ['city', cityId, () => true],
            ['all', null, () => true],
          ] as const) {
            const refs = projects.filter(inScope).map((p) => reference(p, asOf));
            const sum = (f: (r: Ref) => bigint) => fenToWan(refs.reduce((s, r) => s + f(r), 0n));
            // the scope's money as the summary totals it (and 首页's cards show it)
            const total = {
              projects: refs.length,
              projectsWithoutBudget: refs.filter((r) => r.budget === null).length,
              budgetWan: sum((r) => r.budget ?? 0n),
              committedWan: sum((r) => r.committed),
              receivedWan: sum((r) => r.received),
              paidWan: sum((r) => r.paid),
              gapWan: sum((r) => r.gap),
              surplusWan: sum((r) => r.surplus),
            };
            const q = regionId === null ? '' : `&regionId=${regionId}`;
            for (const groupBy of ['status', 'region', 'planYear']) {
              const s = (
                await t
                  .http()
                  .get(`/api/funding/summary?asOf=${asOf}&groupBy=${groupBy}${q}`)
                  .expect(200)
              ).body as {
                total: Record<string, string | number | null>;
                gapSplit: { completedWan: string; underConstructionWan: string };
                groups: {
                  key: string;
                  projects: number;
                  committedWan: string;
                  gapWan: string | null;
                }[];
              };
              expect({ label, asOf, groupBy, ...s.total }).toMatchObject({
                label,
                asOf,
                groupBy,
                ...total,
              });
              // the plans' split: 已竣工 (completed or in use) and 在建, whatever the grouping
              const gapOfStatus = (...st: Status[]) =>
                sum((r) => (st.includes(r.status) ? r.gap : 0n));
              expect({ label, asOf, groupBy, ...s.gapSplit }).toEqual({
                label,
                asOf,
                groupBy,
                completedWan: gapOfStatus('completed', 'in_use'),
                underConstructionWan: gapOfStatus('under_construction'),
              });
              if (groupBy === 'region') {
                // a group per county with projects, in id order (the database's), each its own sums
                const mine = projects.filter(inScope);
                const ids = [...new Set(mine.map((p) => regions[p.regionIdx].id))].sort(
                  (a, b) => a - b,
                );
                expect({
                  label,
                  asOf,
                  groups: s.groups.map((g) => ({
                    key: g.key,
                    projects: g.projects,
                    gap: g.gapWan,
                  })),
                }).toEqual({
                  label,
                  asOf,
                  groups: ids.map((id) => {
                    const own = mine
                      .filter((p) => regions[p.regionIdx].id === id)
                      .map((p) => reference(p, asOf));
                    return {
                      key: id,
                      projects: own.length,
                      gap: fenToWan(own.reduce((x, r) => x + r.gap, 0n)),
                    };
                  }),
                });
              }
              if (groupBy === 'status') {
                for (const g of s.groups) {
                  const inGroup = refs.filter((r) => r.status === g.key);
                  expect({ asOf, key: g.key, projects: g.projects, gap: g.gapWan }).toEqual({
                    asOf,
                    key: g.key,
                    projects: inGroup.length,
                    gap: fenToWan(inGroup.reduce((x, r) => x + r.gap, 0n)),
                  });
                }
              }
            }
            // 首页's money cards: the summary's total, summed from the dashboard's own figures
            const d = (await t.http().get(`/api/dashboard?asOf=${asOf}${q}`).expect(200)).body as {
              funds: Record<string, string | number | null>;
            };
            expect({ label, asOf, ...d.funds }).toEqual({ label, asOf, ...total });
          }
          const overdue = (
            await t
              .http()
              .get(`/api/projects?regionId=${cityId}&overdue=true&asOf=${asOf}&pageSize=100`)
              .expect(200)
          ).body as { items: { id: number }[] };
          const expectedOverdue = projects
            .filter((p) => reference(p, asOf).overdueDays !== null)
            .map((p) => p.id)
            .sort((a, b) => a - b);
          expect({ asOf, ids: overdue.items.map((i) => i.id).sort((a, b) => a - b) }).toEqual({
            asOf,
            ids: expectedOverdue,
          });
          const alerts = (
            await t
              .http()
              .get(`/api/alerts?asOf=${asOf}&kind=project_overdue&regionId=${cityId}&pageSize=100`)
              .expect(200)
          ).body as {
            items: { projectId: number; daysOverdue: number }[];
          };
          const expectedAlerts = projects
            .map((p) => ({ projectId: p.id, daysOverdue: reference(p, asOf).overdueDays }))
            .filter((a) => a.daysOverdue !== null)
            .sort((a, b) => a.projectId - b.projectId);
          expect({
            asOf,
            alerts: alerts.items
              .map((a) => ({ projectId: a.projectId, daysOverdue: a.daysOverdue }))
              .sort((a, b) => a.projectId - b.projectId),
          }).toEqual({
            asOf,
            alerts: expectedAlerts,
          });
        }
      });

      it('the monthly report: every project row and its totals', async () => {
        for (const m of fc.sample(month, { seed: seed + 2, numRuns: 3 })) {
          const ym = `${m[0]}-${String(m[1]).padStart(2, '0')}`;
          const asOf = lastDayOf(ym);
          const res = await t
            .http()
            .get(`/api/reports/monthly?month=${ym}&regionId=${cityId}`)
            .buffer(true)
            .parse(binary)
            .expect(200);
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(res.body as never);
          // money and 逾期天数 are on 进度与资金: header rows 3 and 4 (资金（万元） over its five)
          const ws = wb.getWorksheet('进度与资金')!;
          const header = (ws.getRow(3).values as unknown[]).map((v, i) => {
            const lower = ws.getRow(4).getCell(i).value;
            return String(typeof lower === 'string' && lower ? lower : (v ?? '')).replace(
              /\n/g,
              '',
            );
          });
          const col = (h: string) => {
            const i = header.indexOf(h);
            if (i < 0) throw new Error(`no column ${h}`);
            return i;
          };
          const num = (v: unknown) =>
            v === null || v === undefined || v === ''
              ? null
              : typeof v === 'object' && v && 'result' in v
                ? (v as { result: number }).result
                : v;
          const byName = new Map<string, ExcelJS.Row>();
          ws.eachRow((row, n) => {
            if (n > 4) byName.set(String(row.getCell(col('学校名称')).value), row);
          });
          for (const p of projects) {
            const ref = reference(p, asOf);
            const row = byName.get(p.name)!;
            const cell = (h: string) => num(row.getCell(col(h)).value);
            expect({
              ym,
              id: p.id,
              budget: cell('资金测算'),
              committed: cell('已落实'),
              received: cell('已到位'),
              paid: cell('已支付'),
              gap: cell('资金缺口'),
              overdue: cell('逾期天数'),
            }).toEqual({
              ym,
              id: p.id,
              budget: ref.budget === null ? null : Number(fenToWan(ref.budget)),
              committed: Number(fenToWan(ref.committed)),
              received: Number(fenToWan(ref.received)),
              paid: Number(fenToWan(ref.paid)),
              gap: Number(fenToWan(ref.gap)),
              overdue: ref.overdueDays,
            });
          }
          // the report's money equals the funding summary for the month's last day
          const s = (
            await t.http().get(`/api/funding/summary?asOf=${asOf}&regionId=${cityId}`).expect(200)
          ).body as { total: { committedWan: string; gapWan: string } };
          const refs = projects.map((p) => reference(p, asOf));
          expect(s.total.committedWan).toBe(fenToWan(refs.reduce((x, r) => x + r.committed, 0n)));
          expect(s.total.gapWan).toBe(fenToWan(refs.reduce((x, r) => x + r.gap, 0n)));
        }
      });
    });
  }
});
