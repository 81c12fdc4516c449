import { createTestApp, regionIds, TestApp } from '../support/app';

type Target = {
  measure: string;
  value: number;
  qualifier: string | null;
  fromYear: number;
  deadline: string;
};
type Progress = {
  measure: string;
  target: number;
  delivered: number;
  underConstruction: number;
  planned: number;
  percentDelivered: number | null;
  projectedByDeadline: number;
  atRisk: boolean;
  outcome: 'met' | 'missed' | null;
  transitional: { delivered: number; underConstruction: number; planned: number };
};

/** The 连南 projects of 2021–2022, which its plan's 995 kindergarten and 135 primary seats count. */
const EARLY_LIANNAN = [
  '三排镇横坑幼儿园/2021',
  '大坪镇中心幼儿园/2021',
  '大麦山中心幼儿园/2022',
  '淳溪小学/2022',
  '民族小学/2022',
  '三江镇中心幼儿园/2022',
];
const STARTED = { reportedOn: '2022-03-01', status: 'under_construction', progressPercent: 40 };
const COMPLETED = {
  reportedOn: '2022-11-30',
  status: 'completed',
  progressPercent: 100,
  actualCompletion: '2022-11-25',
};

/** Files `report` for each of {@link EARLY_LIANNAN}. */
async function reportEarlyLiannan(
  app: TestApp,
  ids: Record<string, number>,
  report: typeof STARTED | typeof COMPLETED,
): Promise<void> {
  for (const n of EARLY_LIANNAN)
    await app.http().post(`/api/projects/${ids[n]}/progress`).send(report).expect(201);
}

describe('plan targets and progress', () => {
  let t: TestApp;
  let plans: { id: number; name: string; regionName: string; targets: Target[]; version: number }[];
  let ids: Record<string, number>;
  const plan = (name: string) => plans.find((p) => p.name.startsWith(name))!;

  beforeAll(async () => {
    t = await createTestApp();
    plans = (await t.http().get('/api/plans').expect(200)).body.items;
    const items = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      planYear: number;
    }[];
    ids = Object.fromEntries(items.map((p) => [`${p.name}/${p.planYear}`, p.id]));
  });
  afterAll(() => t.close());

  it('loads the plans and targets of the reference file with their qualifiers', () => {
    expect(plans.map((p) => p.name)).toEqual([
      '连南瑶族自治县教育发展“十四五”规划',
      '清远市教育发展“十四五”规划',
      '乐昌市教育发展“十四五”规划',
      '源城区教育发展“十四五”规划',
      '龙川县推动基础教育“百校千师万生”高质量发展行动方案（2023-2027年）',
    ]);
    const lechang = plan('乐昌市');
    expect(
      lechang.targets.map((x) => [x.measure, x.value, x.qualifier, x.fromYear, x.deadline]),
    ).toEqual([
      ['kindergarten', 4340, '约', 2021, '2025-12-31'],
      ['compulsory', 13000, '约', 2021, '2025-12-31'],
      ['primary', 5130, null, 2021, '2025-12-31'],
      ['juniorMiddle', 8400, '以上', 2021, '2025-12-31'],
      ['seniorSecondary', 2400, '以上', 2021, '2025-12-31'],
      ['boardingBeds', 1750, '左右', 2021, '2025-12-31'],
    ]);
    expect(plan('清远市').targets.map((x) => [x.measure, x.value, x.qualifier])).toEqual([
      ['kindergarten', 25000, '以上'],
      ['compulsorySchools', 40, '不少于'],
      ['compulsory', 50000, '不少于'],
      ['seniorSecondary', 7400, '约'],
    ]);
    expect(plan('连南').targets.map((x) => [x.measure, x.value, x.qualifier, x.deadline])).toEqual([
      ['kindergarten', 995, null, '2022-12-31'],
      ['primary', 135, null, '2022-12-31'],
    ]);
  });

  it('reads exactly 995/995 and 135/135 once the 2021–2022 projects are reported completed', async () => {
    const id = plan('连南').id;
    const before = (await t.http().get(`/api/plans/${id}/progress?asOf=2022-12-31`).expect(200))
      .body;
    expect(
      before.targets.map((x: Progress) => [x.measure, x.delivered, x.planned, x.atRisk]),
    ).toEqual([
      ['kindergarten', 0, 995, true],
      ['primary', 0, 135, true],
    ]);
    // issue 38: on its deadline the period still runs (滞后); the day after, 0 of 995 is 未完成
    expect(before.targets.map((x: Progress) => x.outcome)).toEqual([null, null]);
    const ended = (await t.http().get(`/api/plans/${id}/progress?asOf=2023-01-01`).expect(200))
      .body;
    expect(ended.targets.map((x: Progress) => [x.measure, x.delivered, x.outcome])).toEqual([
      ['kindergarten', 0, 'missed'],
      ['primary', 0, 'missed'],
    ]);
    await reportEarlyLiannan(t, ids, STARTED);
    const mid = (await t.http().get(`/api/plans/${id}/progress?asOf=2022-06-30`).expect(200)).body;
    expect(
      mid.targets.map((x: Progress) => [x.measure, x.delivered, x.underConstruction, x.planned]),
    ).toEqual([
      ['kindergarten', 0, 995, 0],
      ['primary', 0, 135, 0],
    ]);
    await reportEarlyLiannan(t, ids, COMPLETED);
    const done = (await t.http().get(`/api/plans/${id}/progress?asOf=2022-12-31`).expect(200)).body;
    expect(done).toMatchObject({ planId: id, regionName: '连南瑶族自治县', asOf: '2022-12-31' });
    expect(
      done.targets.map((x: Progress) => [
        x.measure,
        x.target,
        x.delivered,
        x.underConstruction,
        x.planned,
        x.percentDelivered,
        x.atRisk,
      ]),
    ).toEqual([
      ['kindergarten', 995, 995, 0, 0, 1, false],
      ['primary', 135, 135, 0, 0, 1, false],
    ]);
    // reached by the deadline: 已完成 once the period has ended
    const after = (await t.http().get(`/api/plans/${id}/progress?asOf=2023-01-01`).expect(200))
      .body;
    expect(after.targets.map((x: Progress) => [x.delivered, x.atRisk, x.outcome])).toEqual([
      [995, false, 'met'],
      [135, false, 'met'],
    ]);
    // the same plan read before the completions still shows what was true then
    const earlier = (await t.http().get(`/api/plans/${id}/progress?asOf=2022-11-29`).expect(200))
      .body;
    expect(earlier.targets.map((x: Progress) => x.delivered)).toEqual([0, 0]);
  });

  it('counts a city plan over its counties, keeps transitional seats apart, and projects the pace', async () => {
    // a database of its own, its 连南 projects reported as above: whatever order the tests run in
    const c = await createTestApp();
    try {
      await reportEarlyLiannan(c, ids, STARTED);
      await reportEarlyLiannan(c, ids, COMPLETED);
      await cityPlan(c);
    } finally {
      await c.close();
    }
  });

  async function cityPlan(t: TestApp): Promise<void> {
    const qy = plan('清远市').id;
    const p = (await t.http().get(`/api/plans/${qy}/progress?asOf=2026-11-23`).expect(200)).body;
    const kg = p.targets.find((x: Progress) => x.measure === 'kindergarten');
    expect(kg).toMatchObject({
      target: 25000,
      delivered: 995,
      planned: 801,
      atRisk: true,
      projectedByDeadline: 995,
    });
    const schools = p.targets.find((x: Progress) => x.measure === 'compulsorySchools');
    expect(schools).toMatchObject({ target: 40, delivered: 2, planned: 5 });
    const compulsory = p.targets.find((x: Progress) => x.measure === 'compulsory');
    expect(compulsory).toMatchObject({ delivered: 135, planned: 4000 + 405 });
    // transitional seats are shown apart and do not count
    await t
      .http()
      .patch(`/api/projects/${ids['寨岗镇中心幼儿园/2024']}`)
      .send({ version: 1, transitionalSeats: true })
      .expect(200);
    const p2 = (await t.http().get(`/api/plans/${qy}/progress?asOf=2026-11-23`).expect(200)).body;
    expect(p2.targets.find((x: Progress) => x.measure === 'kindergarten')).toMatchObject({
      planned: 381,
      transitional: { delivered: 0, underConstruction: 0, planned: 420 },
    });
    // pace: 995 kindergarten seats by mid-2022 of a 2021–2022 target
    const ln = (
      await t
        .http()
        .get(`/api/plans/${plan('连南').id}/progress?asOf=2022-06-30`)
        .expect(200)
    ).body;
    expect(ln.targets[0]).toMatchObject({
      delivered: 0,
      underConstruction: 995,
      projectedByDeadline: 0,
      atRisk: true,
    });
  }

  it('creates and edits plans (admin, finance) with versions; others read', async () => {
    const regions = await regionIds(t);
    const lechang = regions['乐昌市'];
    const fin = await t.as('finance', lechang);
    const infra = await t.as('infrastructure', lechang);
    const body = {
      name: '乐昌市学前教育三年行动计划',
      regionId: lechang,
      periodStart: 2024,
      periodEnd: 2026,
      targets: [
        {
          measure: 'kindergarten',
          value: 900,
          qualifier: '约',
          fromYear: 2024,
          deadline: '2026-12-31',
        },
      ],
    };
    await infra.post('/api/plans').send(body).expect(403);
    const created = (await fin.post('/api/plans').send(body).expect(201)).body;
    expect(created).toMatchObject({
      name: body.name,
      regionName: '乐昌市',
      version: 1,
      targets: [{ measure: 'kindergarten', value: 900, qualifier: '约' }],
    });
    const bad = await fin
      .post('/api/plans')
      .send({
        ...body,
        targets: [
          {
            measure: 'gardens',
            value: -1,
            fromYear: 2024,
            deadline: '2026-13-01',
            qualifier: '大约',
          },
        ],
      })
      .expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'targets[0].deadline',
      'targets[0].measure',
      'targets[0].qualifier',
      'targets[0].value',
    ]);
    const upd = (
      await fin
        .patch(`/api/plans/${created.id}`)
        .send({
          version: 1,
          targets: [
            {
              measure: 'kindergarten',
              value: 1000,
              qualifier: '以上',
              fromYear: 2024,
              deadline: '2026-12-31',
            },
          ],
        })
        .expect(200)
    ).body;
    expect(upd).toMatchObject({ version: 2, targets: [{ value: 1000, qualifier: '以上' }] });
    await fin.patch(`/api/plans/${created.id}`).send({ version: 1, name: 'x' }).expect(409);
    expect(
      (await infra.get(`/api/plans/${created.id}/progress`).expect(200)).body.targets[0],
    ).toMatchObject({ target: 1000, delivered: 0 });
    // another county's plans are not there
    await fin.get(`/api/plans/${plan('连南').id}`).expect(404);
    await fin
      .patch(`/api/plans/${plan('连南').id}`)
      .send({ version: 1, name: 'x' })
      .expect(404);
    expect(
      (await fin.get('/api/plans').expect(200)).body.items.map((x: { name: string }) => x.name),
    ).toEqual(['乐昌市教育发展“十四五”规划', '乐昌市学前教育三年行动计划']);
  });
});
