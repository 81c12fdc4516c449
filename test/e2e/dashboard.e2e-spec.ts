import ExcelJS from 'exceljs';
import * as path from 'node:path';
import { binary, createTestApp, TestApp } from '../support/app';

const STAGES = ['kindergarten', 'primary', 'juniorMiddle', 'seniorSecondary', 'specialEducation'];
/** The report's ratio: six decimals, truncated, from whole numbers (fen). */
const ratio = (a: bigint, b: bigint) => Number((a * 1_000_000n) / b) / 1_000_000;
const fen = (wan: string) => BigInt(wan.replace('.', ''));

interface Item {
  id: number;
  name: string;
  seats: Record<string, number>;
  budgetWan: string | null;
}

/** What 首页 reads beside the list (issue "Web front end, part 2"), on the reference data. */
describe('GET /api/dashboard, alert counts and notes, the problems workbook, a city plan by county', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const items = async (): Promise<Item[]> =>
    (await t.http().get('/api/projects?regionId=3&pageSize=100').expect(200)).body.items;

  it('gives the seats, rates, reports due and ranking as of a day, and follows a progress report at once', async () => {
    const list = await items();
    const before = (await t.http().get('/api/dashboard?asOf=2026-11-30').expect(200)).body;
    expect(before.asOf).toBe('2026-11-30');
    expect(before.projects).toBe(14);
    expect(before.seats).toEqual(
      STAGES.map((stage) => ({
        stage,
        planned: list.reduce((n, p) => n + p.seats[stage], 0),
        underConstruction: 0,
        delivered: 0,
      })),
    );
    expect(before.rates.startRateCount).toBe(0);
    expect(before.overdue).toBe(14); // every planned completion of the reference data has passed
    expect(before.dueReports).toEqual({ total: 0, monthEnd: '2026-11-30', items: [] });
    // the admin sees every county of the reference regions, ranked; 连南 has the projects
    expect(before.counties.map((c: { name: string }) => c.name).sort()).toEqual(
      ['乐昌市', '源城区', '连南瑶族自治县', '龙川县'].sort(),
    );

    const zhaigang = list.find((p) => p.name.startsWith('寨岗中学'))!;
    await t
      .http()
      .post(`/api/projects/${zhaigang.id}/progress`)
      .send({
        reportedOn: '2026-10-15',
        status: 'under_construction',
        progressPercent: 35,
        investmentCompletedWan: '5000.00',
      })
      .expect(201);
    const after = (await t.http().get('/api/dashboard?asOf=2026-11-30').expect(200)).body;
    const budget = list.reduce((s, p) => s + fen(p.budgetWan ?? '0'), 0n);
    expect(after.rates.startRateCount).toBe(ratio(1n, 14n));
    expect(after.rates.investmentRate).toBe(ratio(500000n, budget));
    expect(after.seats.find((s: { stage: string }) => s.stage === 'juniorMiddle')).toEqual({
      stage: 'juniorMiddle',
      planned: 4000,
      underConstruction: zhaigang.seats.juniorMiddle,
      delivered: 0,
    });
    // reported on 10-15, so due again by 11-19: 11 days late on 11-30
    expect(after.dueReports.items).toEqual([
      {
        projectId: zhaigang.id,
        name: zhaigang.name,
        regionName: '连南瑶族自治县',
        status: 'under_construction',
        lastReportedOn: '2026-10-15',
        dueOn: '2026-11-19',
        daysLate: 11,
      },
    ]);
    // the day before the report: as it was
    const earlier = (await t.http().get('/api/dashboard?asOf=2026-10-14').expect(200)).body;
    expect(earlier.rates.startRateCount).toBe(0);
    // a county user: its county only, no ranking
    const county = await t.as('viewer', 3, 'viewer_dash');
    const own = (await county.get('/api/dashboard?asOf=2026-11-30').expect(200)).body;
    expect([own.region.name, own.projects, own.counties]).toEqual(['连南瑶族自治县', 14, []]);
    await t.http().get('/api/dashboard?asOf=2026-02-30').expect(400);
  });

  it('lists a county with no projects last, unranked, with — for every project rate', async () => {
    const body = (await t.http().get('/api/dashboard?asOf=2026-11-30').expect(200)).body;
    const rows = body.counties as {
      name: string;
      rank: number | null;
      projects: number;
      startRateCount: number | null;
      completionRateCount: number | null;
      investmentRate: number | null;
      timelinessRate: number | null;
    }[];
    expect(rows[0]).toMatchObject({ name: '连南瑶族自治县', rank: 1, projects: 14 });
    expect(
      rows
        .slice(1)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['乐昌市', '源城区', '龙川县'].sort());
    for (const r of rows.slice(1))
      expect(r).toMatchObject({
        rank: null,
        projects: 0,
        startRateCount: null,
        completionRateCount: null,
        investmentRate: null,
      });
    // 报送及时率 is the county's monthly return, due with or without projects: submission-reminders
  });

  it('counts the alerts by severity under the same filters; an acknowledgement keeps its note', async () => {
    await t.http().post('/api/alerts/scan').expect(200);
    const all = (await t.http().get('/api/alerts?pageSize=200').expect(200)).body;
    const by = (s: string) =>
      all.items.filter((a: { severity: string }) => a.severity === s).length;
    expect(all.counts).toEqual({ red: by('red'), yellow: by('yellow'), blue: by('blue') });
    const red = (await t.http().get('/api/alerts?severity=red&pageSize=1').expect(200)).body;
    expect([red.total, red.counts]).toEqual([by('red'), all.counts]);
    const live = (await t.http().get('/api/alerts?asOf=2024-01-31&pageSize=200').expect(200)).body;
    const liveBy = (s: string) =>
      live.items.filter((a: { severity: string }) => a.severity === s).length;
    expect(live.counts).toEqual({
      red: liveBy('red'),
      yellow: liveBy('yellow'),
      blue: liveBy('blue'),
    });

    const first = all.items[0];
    const ack = await t
      .http()
      .post(`/api/alerts/${first.id}/ack`)
      .send({ version: first.version, note: '  已约谈施工单位  ' })
      .expect(200);
    expect([ack.body.state, ack.body.ackNote]).toEqual(['acknowledged', '已约谈施工单位']);
    const open = (await t.http().get('/api/alerts?state=open&pageSize=1').expect(200)).body;
    expect(open.counts[first.severity as string]).toBe(all.counts[first.severity as string] - 1);
    const trail = (await t.http().get('/api/audit?entity=alert&pageSize=5').expect(200)).body.items;
    expect(trail[0].changes.ackNote).toEqual({ old: null, new: '已约谈施工单位' });
    const long = await t
      .http()
      .post(`/api/alerts/${all.items[1].id}/ack`)
      .send({ note: '长'.repeat(501) })
      .expect(400);
    expect(long.body.errors.map((e: { path: string }) => e.path)).toEqual(['note']);
  });

  it('writes a dry run’s problems as a workbook and nothing else; only infrastructure (and admin) may', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.resolve('seeds/liannan-2021-2025.xlsx'));
    wb.worksheets[0].getRow(6).getCell(4).value = '很多';
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const audit0 = (await t.http().get('/api/audit?pageSize=1').expect(200)).body.total;
    const res = await t
      .http()
      .post('/api/imports/projects/problems.xlsx')
      .field('regionId', '3')
      .attach('file', buffer, '连南规划表.xlsx')
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('连南规划表-校验结果.xlsx')}`,
    );
    const got = new ExcelJS.Workbook();
    await got.xlsx.load(res.body as never);
    const ws = got.getWorksheet('校验结果')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['类别', '工作表', '行', '列', '字段', '问题说明']);
    expect(rows[1].slice(0, 5)).toEqual(['错误', '学位建设规划表', 6, 'D', '幼儿园']);
    // the same problems as the dry run answers, errors first
    const dry = (
      await t
        .http()
        .post('/api/imports/projects')
        .field('regionId', '3')
        .field('dryRun', 'true')
        .attach('file', buffer, '连南规划表.xlsx')
        .expect(200)
    ).body;
    type Issue = { sheet: string; row: number; column: string; field: string; message: string };
    const line = (kind: string) => (i: Issue) => [
      kind,
      i.sheet,
      i.row,
      i.column,
      i.field,
      i.message,
    ];
    expect(rows.slice(1)).toEqual([
      ...dry.errors.map(line('错误')),
      ...dry.warnings.map(line('警告')),
    ]);
    expect(dry.warnings.length).toBeGreaterThan(1);
    expect((await t.http().get('/api/audit?pageSize=1').expect(200)).body.total).toBe(audit0);
    const viewer = await t.as('viewer', 3, 'viewer_problems');
    await viewer
      .post('/api/imports/projects/problems.xlsx')
      .field('regionId', '3')
      .attach('file', buffer, 'x.xlsx')
      .expect(403);
  });

  it('breaks a city plan’s figures down by county', async () => {
    const plans = (await t.http().get('/api/plans').expect(200)).body.items;
    const city = plans.find((p: { name: string }) => p.name.startsWith('清远市'));
    const county = plans.find((p: { name: string }) => p.name.startsWith('连南'));
    const c = (await t.http().get(`/api/plans/${city.id}/progress?asOf=2026-11-30`).expect(200))
      .body;
    for (const target of c.targets)
      expect(target.byRegion).toEqual([
        {
          regionId: 3,
          regionName: '连南瑶族自治县',
          delivered: target.delivered,
          underConstruction: target.underConstruction,
          planned: target.planned,
          projects: target.projects,
        },
      ]);
    const k = (await t.http().get(`/api/plans/${county.id}/progress?asOf=2026-11-30`).expect(200))
      .body;
    expect(k.targets.every((x: { byRegion?: unknown }) => x.byRegion === undefined)).toBe(true);
  });
});
