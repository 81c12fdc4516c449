import { createTestApp, sumDecimals, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

interface P {
  id: number;
  name: string;
  status: string;
  seats: Record<string, number>;
  budgetWan: string | null;
  floorAreaM2: string | null;
  landMu: string | null;
  alertLevel: string | null;
}
interface A {
  projectId: number;
  severity: string;
  state: string;
}

const RANK: Record<string, number> = { red: 1, yellow: 2, blue: 3 };

/** The reference: each project's highest standing alert, from the alerts the API lists. */
function levels(alerts: A[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const a of alerts) {
    if (a.state === 'resolved') continue;
    const had = out.get(a.projectId);
    if (!had || RANK[a.severity] < RANK[had]) out.set(a.projectId, a.severity);
  }
  return out;
}

/** 合计 computed from the list's items. */
function reference(items: P[]) {
  const seat = (k: string) => items.reduce((s, p) => s + p.seats[k], 0);
  return {
    count: items.length,
    seats: Object.fromEntries(
      [
        'kindergarten',
        'primary',
        'juniorMiddle',
        'seniorSecondary',
        'specialEducation',
        'total',
      ].map((k) => [k, seat(k)]),
    ),
    floorAreaM2: sumDecimals(
      items.map((p) => p.floorAreaM2),
      2,
    ),
    landMu: sumDecimals(
      items.map((p) => p.landMu),
      2,
    ),
    budgetWan: sumDecimals(items.map((p) => p.budgetWan)),
    budgetUnknown: items.filter((p) => p.budgetWan === null).length,
    floorAreaUnknown: items.filter((p) => p.floorAreaM2 === null).length,
    landUnknown: items.filter((p) => p.landMu === null).length,
  };
}

describe(`the list's 合计 and 预警等级 (${DIALECT})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const list = async (q: string) =>
    (await t.http().get(`/api/projects?pageSize=200&${q}`).expect(200)).body as {
      items: P[];
      total: number;
    };

  it('sums the whole filtered set exactly, not one page', async () => {
    const all = (await t.http().get('/api/projects/totals').expect(200)).body;
    expect(all).toEqual({
      count: 14,
      seats: {
        kindergarten: 1796,
        primary: 540,
        juniorMiddle: 4000,
        seniorSecondary: 600,
        specialEducation: 0,
        total: 6936,
      },
      floorAreaM2: '127754.00',
      landMu: '197.15',
      budgetWan: '62271.00',
      budgetUnknown: 0,
      floorAreaUnknown: 0,
      landUnknown: 4,
    });
    // a small page does not change the sums
    expect((await t.http().get('/api/projects/totals?pageSize=2&page=3').expect(200)).body).toEqual(
      all,
    );
    for (const q of [
      'status=planned',
      'kind=expansion,renovation',
      'stage=kindergarten',
      'q=中学',
      'planYear=2023',
    ]) {
      const got = (await t.http().get(`/api/projects/totals?${q}`).expect(200)).body;
      expect([q, got]).toEqual([q, reference((await list(q)).items)]);
      expect([q, got.count > 0]).toEqual([q, true]);
    }
    expect(
      (await t.http().get('/api/projects/totals?q=不存在的学校').expect(200)).body,
    ).toMatchObject({
      count: 0,
      budgetWan: '0.00',
      floorAreaM2: '0.00',
    });
  });

  it('counts 未测算 apart and stays exact past 2^53 fen', async () => {
    // its 97 projects in an app of its own: the other tests count the reference data
    const own = await createTestApp();
    try {
      const region = (await own.http().get('/api/regions').expect(200)).body.find(
        (r: { name: string }) => r.name === '连南瑶族自治县',
      ).id as number;
      // 95 projects at the largest estimate: 9,499,999,999.05 万元 = 949,999,999,990,500,000 fen
      for (let i = 0; i < 95; i++)
        await own
          .http()
          .post('/api/projects')
          .send({
            name: `合计测试学校${i}`,
            regionId: region,
            planYear: 2030,
            budgetWan: '99999999.99',
          })
          .expect(201);
      await own
        .http()
        .post('/api/projects')
        .send({ name: '合计测试未测算', regionId: region, planYear: 2030 })
        .expect(201);
      const got = (await own.http().get('/api/projects/totals?planYear=2030').expect(200)).body;
      expect(got).toMatchObject({ count: 96, budgetWan: '9499999999.05', budgetUnknown: 1 });
      expect(got.budgetWan).toBe(
        reference(
          (await own.http().get('/api/projects?pageSize=200&planYear=2030').expect(200)).body.items,
        ).budgetWan,
      );
      // the list's cache knows: a new project changes the 合计
      await own
        .http()
        .post('/api/projects')
        .send({ name: '合计测试学校末', regionId: region, planYear: 2030, budgetWan: '0.01' })
        .expect(201);
      expect(
        (await own.http().get('/api/projects/totals?planYear=2030').expect(200)).body,
      ).toMatchObject({
        count: 97,
        budgetWan: '9499999999.06',
      });
    } finally {
      await own.close();
    }
  });

  it('shows and filters each project by its highest standing alert, and follows the scans', async () => {
    expect((await list('')).items.every((p) => p.alertLevel === null)).toBe(true); // no scan yet
    expect((await list('alertLevel=none')).total).toBe((await list('')).total);

    await t.http().post('/api/alerts/scan?asOf=2021-09-01').expect(200);
    let alerts = (await t.http().get('/api/alerts?pageSize=200').expect(200)).body.items as A[];
    let want = levels(alerts);
    expect(want.size).toBeGreaterThan(0);
    // the page read before the scan is not served from the cache
    let items = (await list('')).items;
    expect(new Map(items.filter((p) => p.alertLevel).map((p) => [p.id, p.alertLevel]))).toEqual(
      want,
    );

    await t.http().post('/api/alerts/scan?asOf=2023-02-15').expect(200);
    alerts = (await t.http().get('/api/alerts?pageSize=200').expect(200)).body.items as A[];
    want = levels(alerts);
    items = (await list('')).items;
    expect(new Map(items.filter((p) => p.alertLevel).map((p) => [p.id, p.alertLevel]))).toEqual(
      want,
    );
    const bySeverity = (s: string) =>
      items
        .filter((p) => (want.get(p.id) ?? 'none') === s)
        .map((p) => p.id)
        .sort((a, b) => a - b);
    const distinct = new Set(want.values());
    expect(distinct.size).toBeGreaterThan(1); // a mix of levels to tell apart
    for (const s of ['red', 'yellow', 'blue', 'none'])
      expect([
        s,
        (await list(`alertLevel=${s}`)).items.map((p) => p.id).sort((a, b) => a - b),
      ]).toEqual([s, bySeverity(s)]);
    expect((await list('alertLevel=red,yellow')).total).toBe(
      bySeverity('red').length + bySeverity('yellow').length,
    );
    // the 合计 follows the same filter
    expect((await t.http().get('/api/projects/totals?alertLevel=red').expect(200)).body.count).toBe(
      bySeverity('red').length,
    );
    // an acknowledged alert still stands
    const one = (await t.http().get('/api/alerts?pageSize=1&severity=red').expect(200)).body
      .items[0] as {
      id: number;
      projectId: number;
      version: number;
    };
    await t
      .http()
      .post(`/api/alerts/${one.id}/ack`)
      .send({ version: one.version, note: '已督促' })
      .expect(200);
    expect((await t.http().get(`/api/projects/${one.projectId}`).expect(200)).body.alertLevel).toBe(
      'red',
    );
  });

  it('rejects an unknown 预警等级 naming the field', async () => {
    const res = await t.http().get('/api/projects?alertLevel=purple').expect(400);
    expect(JSON.stringify(res.body)).toContain('alertLevel');
    await t.http().get('/api/projects/totals?alertLevel=purple').expect(400);
  });
});
