import { AuditLog } from '../../src/audit/audit-log.entity';
import { createTestApp, downloadXlsx, regionIds, TestApp } from '../support/app';

interface Point {
  id: number;
  name: string;
  regionId: number;
  status: string;
  alertLevel: string | null;
  seats: number;
  budgetWan: string | null;
  lat: string;
  lng: string;
}
interface Cell {
  regionId: number;
  name: string;
  projectCount: number;
  located: number;
  redAlerts: number;
  [k: string]: unknown;
}

/** A synthetic rectangle feature (never a real boundary): [lng, lat] corners, closed. */
const rect = (name: string, lng: number, lat: number, w = 0.5, h = 0.4) => ({
  type: 'Feature',
  properties: { name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + w, lat],
        [lng + w, lat + h],
        [lng, lat + h],
        [lng, lat],
      ],
    ],
  },
});
const collection = (...features: object[]) =>
  Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

/** Issue 36: project locations, GET /api/map, uploaded boundaries (synthetic shapes only). */
describe('locations and the map', () => {
  let t: TestApp;
  let r: Record<string, number>;
  const located: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    r = await regionIds(t);
    // two projects in each county of 河源市, one located in each; 连南's reference projects too
    for (const [county, name, lat, lng] of [
      ['源城区', '源城区实验小学', '23.744000', '114.701000'],
      ['龙川县', '龙川县第一中学', '24.101000', '115.259000'],
    ] as const) {
      const p = await t
        .http()
        .post('/api/projects')
        .send({
          name,
          regionId: r[county],
          planYear: 2026,
          budgetWan: '1200.50',
          seats: { primary: 900 },
          lat,
          lng,
        })
        .expect(201);
      expect([p.body.lat, p.body.lng]).toEqual([lat, lng]);
      located[county] = p.body.id;
      await t
        .http()
        .post('/api/projects')
        .send({
          name: `${county}无位置项目`,
          regionId: r[county],
          planYear: 2026,
          budgetWan: '300',
        })
        .expect(201);
    }
  });
  afterAll(() => t.close());

  it('sets a location as six-place strings, clears it with null, audits both', async () => {
    // tests run in random order: the scope test below locates one of 连南's projects, so take one without
    const list = (await t.http().get(`/api/projects?regionId=${r['连南瑶族自治县']}&pageSize=20`))
      .body.items as { id: number; version: number; lat: string | null }[];
    const p = list.filter((x) => x.lat === null).pop()!;
    expect(p.lat).toBeNull();
    const set = await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, lat: '24.72', lng: 112.2911 })
      .expect(200);
    expect([set.body.lat, set.body.lng]).toEqual(['24.720000', '112.291100']);
    const cleared = await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: set.body.version, lat: null, lng: null })
      .expect(200);
    expect([cleared.body.lat, cleared.body.lng]).toEqual([null, null]);
    const audit = await t.db.read
      .getRepository(AuditLog)
      .find({ where: { entity: 'project', entityId: p.id }, order: { id: 'ASC' } });
    expect(audit.slice(-2).map((a) => a.changes)).toEqual([
      { lat: { old: null, new: '24.720000' }, lng: { old: null, new: '112.291100' } },
      { lat: { old: '24.720000', new: null }, lng: { old: '112.291100', new: null } },
    ]);
  });

  it('refuses a location outside China, too precise, or half given, field by field', async () => {
    const p = (await t.http().get(`/api/projects/${located['源城区']}`).expect(200)).body;
    const bad = await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, lat: '60.000000', lng: '70.5' })
      .expect(400);
    expect(bad.body.errors).toEqual([
      { path: 'lat', code: 'LAT_OUT_OF_RANGE', message: '纬度须在3.8到53.6之间（中国范围）' },
      { path: 'lng', code: 'LNG_OUT_OF_RANGE', message: '经度须在73.5到135.1之间（中国范围）' },
    ]);
    const precise = await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, lat: '23.1234567', lng: '东经114' })
      .expect(400);
    expect(
      precise.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
    ).toEqual([
      ['lat', 'COORDINATE_INVALID'],
      ['lng', 'COORDINATE_INVALID'],
    ]);
    const half = await t
      .http()
      .patch(`/api/projects/${p.id}`)
      .send({ version: p.version, lat: null })
      .expect(400);
    expect(half.body.errors).toEqual([
      { path: 'lat', code: 'LOCATION_INCOMPLETE', message: '经度和纬度须同时填写或同时清空' },
    ]);
    const after = (await t.http().get(`/api/projects/${p.id}`).expect(200)).body;
    expect([after.lat, after.lng, after.version]).toEqual(['23.744000', '114.701000', p.version]);
  });

  it('exports 经度/纬度 and imports them back', async () => {
    const county = r['龙川县'];
    const { wb } = await downloadXlsx(t.http(), `/api/projects/export.xlsx?regionId=${county}`);
    const ws = wb.worksheets[0];
    const headers: string[] = [];
    ws.getRow(2).eachCell({ includeEmpty: true }, (c) => headers.push(String(c.value ?? '')));
    const lngCol = headers.indexOf('经度') + 1;
    const latCol = headers.indexOf('纬度') + 1;
    expect([lngCol > 0, latCol === lngCol + 1]).toEqual([true, true]);
    let row = 0;
    ws.eachRow((rw, n) => {
      if (rw.getCell(2).value === '龙川县第一中学') row = n;
    });
    expect([ws.getCell(row, lngCol).value, ws.getCell(row, latCol).value]).toEqual([
      '115.259000',
      '24.101000',
    ]);
    // moved in the sheet: taken on import; a location outside China is named by row and column
    ws.getCell(row, lngCol).value = 115.3;
    const moved = Buffer.from(await wb.xlsx.writeBuffer());
    const imported = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', moved, 'export.xlsx')
      .field('regionId', String(county));
    expect([imported.status, imported.body.updated, imported.body.unchanged]).toEqual([201, 1, 1]);
    const p = (await t.http().get(`/api/projects/${located['龙川县']}`).expect(200)).body;
    expect([p.lat, p.lng]).toEqual(['24.101000', '115.300000']);
    ws.getCell(row, latCol).value = '2.5';
    const outside = Buffer.from(await wb.xlsx.writeBuffer());
    const refused = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', outside, 'export.xlsx')
      .field('regionId', String(county))
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain(
      '纬度超出中国范围（纬度3.8–53.6、经度73.5–135.1），实际为“2.5”',
    );
  });

  it("gives each county's cell the dashboard's rates for the same day, and its red alerts", async () => {
    // a progress report so the rates are not all zero
    const p = (await t.http().get(`/api/projects/${located['源城区']}`).expect(200)).body;
    await t
      .http()
      .post(`/api/projects/${p.id}/progress`)
      .send({
        reportedOn: '2026-11-20',
        status: 'under_construction',
        progressPercent: 40,
        investmentCompletedWan: '480.20',
      })
      .expect(201);
    for (const asOf of ['2026-11-30', '2026-12-02']) {
      const dash = (await t.http().get(`/api/dashboard?asOf=${asOf}`).expect(200)).body;
      const map = (await t.http().get(`/api/map?asOf=${asOf}`).expect(200)).body;
      expect(map.cells.map((c: Cell) => c.name)).toEqual([
        '乐昌市',
        '连南瑶族自治县',
        '龙川县',
        '源城区',
      ]);
      const keys = [
        'projects',
        'startRateCount',
        'completionRateCount',
        'investmentRate',
        'startRateArea',
        'completionRateArea',
        'fundsArrivalRate',
        'spendingRate',
        'scheduleCount',
        'scheduleArea',
        'overdue',
      ];
      const pick = (c: Record<string, unknown>) =>
        Object.fromEntries([['regionId', c.regionId], ...keys.map((k) => [k, c[k]])]);
      const byId = (a: { regionId: number }, b: { regionId: number }) => a.regionId - b.regionId;
      expect(map.cells.map(pick).sort(byId)).toEqual(dash.counties.map(pick).sort(byId));
      const yuancheng = map.cells.find((c: Cell) => c.name === '源城区');
      expect(yuancheng).toMatchObject({
        projectCount: 2,
        located: 1,
        startRateCount: 0.5,
        investmentRate: Number((48020n * 1_000_000n) / 150050n) / 1_000_000,
      });
      // red alerts: the county cells add up to 首页's 红色预警 of the day
      expect(map.cells.reduce((n: number, c: Cell) => n + c.redAlerts, 0)).toBe(dash.alerts.red);
      expect(map.unlocated + map.points.length).toBe(dash.projects);
    }
    const today = (await t.http().get('/api/map').expect(200)).body;
    // this file's located projects (the tests run in any order: the import test moves 龙川's point,
    // the scope test locates one of 连南's)
    const lc = (await t.http().get(`/api/projects/${located['龙川县']}`).expect(200)).body;
    const mine = new Set(Object.values(located));
    expect(
      today.points
        .filter((x: Point) => mine.has(x.id))
        .map((x: Point) => [x.name, x.status, x.seats, x.budgetWan, x.lat, x.lng])
        .sort(),
    ).toEqual(
      [
        ['源城区实验小学', 'under_construction', 900, '1200.50', '23.744000', '114.701000'],
        ['龙川县第一中学', 'planned', 900, '1200.50', '24.101000', lc.lng],
      ].sort(),
    );
    expect(['115.259000', '115.300000']).toContain(lc.lng);
  });

  it("answers a city user their own counties only; another city's region is 404", async () => {
    const heyuan = await t.as('viewer', r['河源市']);
    const own = (await heyuan.get('/api/map').expect(200)).body;
    expect(own.region).toMatchObject({ id: r['河源市'], name: '河源市' });
    expect(own.cells.map((c: Cell) => c.name)).toEqual(['龙川县', '源城区']);
    expect(own.points.map((x: Point) => x.regionId).sort()).toEqual(
      [r['源城区'], r['龙川县']].sort(),
    );
    // 连南 (清远市) gets a located project: never on 河源's map
    const ln = (await t.http().get(`/api/projects?regionId=${r['连南瑶族自治县']}&pageSize=1`)).body
      .items[0];
    await t
      .http()
      .patch(`/api/projects/${ln.id}`)
      .send({ version: ln.version, lat: '24.722000', lng: '112.290000' })
      .expect(200);
    const again = (await heyuan.get('/api/map').expect(200)).body;
    expect(again.points.map((x: Point) => x.id)).not.toContain(ln.id);
    expect(again.points).toHaveLength(2);
    await heyuan.get(`/api/map?regionId=${r['清远市']}`).expect(404);
    await heyuan.get(`/api/map?regionId=${r['连南瑶族自治县']}`).expect(404);
    await heyuan.get(`/api/map/boundary?regionId=${r['清远市']}`).expect(404);
    const admin = (await t.http().get(`/api/map?regionId=${r['清远市']}`).expect(200)).body;
    expect(admin.points.map((x: Point) => x.id)).toEqual([ln.id]);
  });

  it('refuses a boundary without 审图号, malformed, or with unmatched names; keeps a good one', async () => {
    const city = r['河源市'];
    const upload = (file: Buffer | null, fields: Record<string, string>) => {
      const req = t.http().post('/api/map/boundary').field('regionId', String(city));
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return file ? req.attach('file', file, 'heyuan.geojson') : req;
    };
    const good = collection(rect('源城区', 114.6, 23.6), rect('龙川县', 115.1, 24.0));
    const noApproval = await upload(good, { source: '测试用合成数据' }).expect(400);
    expect(noApproval.body.errors).toEqual([
      {
        path: 'approvalNo',
        code: 'BOUNDARY_APPROVAL_REQUIRED',
        message: '须填写审图号（如 GS(2024)0650号）',
      },
    ]);
    const notJson = await upload(Buffer.from('{"type": "FeatureCollection", '), {
      approvalNo: 'GS(2099)0001号',
      source: '测试',
    }).expect(400);
    expect(notJson.body.errors.map((e: { code: string }) => e.code)).toEqual(['BOUNDARY_NOT_JSON']);
    const notFc = await upload(Buffer.from('{"type":"Feature"}'), {
      approvalNo: 'GS(2099)0001号',
      source: '测试',
    }).expect(400);
    expect(notFc.body.errors.map((e: { code: string }) => e.code)).toEqual([
      'BOUNDARY_NOT_FEATURE_COLLECTION',
    ]);
    const wrong = collection(
      rect('源城区', 114.6, 23.6),
      rect('东源县', 114.9, 23.9),
      { ...rect('龙川县', 115.1, 24.0), geometry: { type: 'Point', coordinates: [115, 24] } },
      rect('源城区', 60, 23.6),
    );
    const unmatched = await upload(wrong, { approvalNo: 'GS(2099)0001号' }).expect(400);
    expect(
      unmatched.body.errors.map((e: { path: string; message: string }) => [e.path, e.message]),
    ).toEqual([
      ['source', '须填写边界数据的来源（如 天地图）'],
      ['file.features[1]', '要素名称不是本地区的下级行政区：第2个要素（东源县）'],
      ['file.features[2]', '要素的几何类型须为 Polygon 或 MultiPolygon：第3个要素（龙川县）'],
      ['file.features[3]', '同一行政区有多个要素：第4个要素（源城区）'],
      ['file.features[3]', '坐标超出中国范围（纬度3.8–53.6、经度73.5–135.1）：第4个要素（源城区）'],
    ]);
    const tooBig = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 32), {
      approvalNo: 'GS(2099)0001号',
      source: '测试',
    }).expect(400);
    expect(tooBig.body.errors.map((e: { code: string }) => e.code)).toEqual(['BOUNDARY_TOO_LARGE']);
    const county = await t
      .http()
      .post('/api/map/boundary')
      .field('regionId', String(r['龙川县']))
      .field('approvalNo', 'GS(2099)0001号')
      .field('source', '测试')
      .attach('file', good, 'x.geojson')
      .expect(400);
    expect(county.body.errors[0]).toMatchObject({ path: 'regionId', code: 'BOUNDARY_NO_CHILDREN' });
    const viewer = await t.as('viewer', city);
    await viewer
      .post('/api/map/boundary')
      .field('regionId', String(city))
      .field('approvalNo', 'GS(2099)0001号')
      .field('source', '测试')
      .attach('file', good, 'x.geojson')
      .expect(403);
    await t.http().get(`/api/map/boundary?regionId=${city}`).expect(404);

    const saved = await upload(good, {
      approvalNo: ' GS(2099)0001号 ',
      source: '测试用合成数据',
    }).expect(201);
    expect(saved.body).toMatchObject({
      regionId: city,
      regionName: '河源市',
      approvalNo: 'GS(2099)0001号',
      source: '测试用合成数据',
      features: 2,
      bytes: good.length,
      uploadedBy: 'admin',
    });
    const map = (await viewer.get('/api/map').expect(200)).body;
    expect(map.boundary).toMatchObject({ approvalNo: 'GS(2099)0001号', source: '测试用合成数据' });
    const shapes = (await viewer.get('/api/map/boundary').expect(200)).body;
    expect(shapes.geojson).toEqual(JSON.parse(good.toString()));
    // 项目详情's 地图选点 of a county project: the county's own shape from the city's boundary
    const longchuan = await t.as('infrastructure', r['龙川县']);
    await longchuan.get(`/api/map/boundary?regionId=${r['龙川县']}`).expect(404);
    const own = (
      await longchuan.get(`/api/map/boundary?regionId=${r['龙川县']}&nearest=true`).expect(200)
    ).body;
    expect(own).toMatchObject({
      regionId: city,
      regionName: '河源市',
      approvalNo: 'GS(2099)0001号',
      source: '测试用合成数据',
      features: 1,
    });
    expect(own.geojson).toEqual({
      type: 'FeatureCollection',
      features: [rect('龙川县', 115.1, 24.0)],
    });
    // never another county's shape
    await longchuan.get(`/api/map/boundary?regionId=${r['源城区']}&nearest=true`).expect(404);
    const listed = (await t.http().get('/api/map/boundaries').expect(200)).body;
    expect(listed.map((b: { regionName: string }) => b.regionName)).toEqual(['河源市']);
    const audit = await t.db.read
      .getRepository(AuditLog)
      .find({ where: { entity: 'map_boundary', entityId: city } });
    expect(audit.map((a) => [a.action, a.changes])).toEqual([
      [
        'create',
        {
          approvalNo: { old: null, new: 'GS(2099)0001号' },
          source: { old: null, new: '测试用合成数据' },
          features: { old: null, new: 2 },
        },
      ],
    ]);
    const removed = await t.http().delete(`/api/map/boundary/${city}`).expect(200);
    expect(removed.body).toMatchObject({ regionId: city, approvalNo: expect.any(String) });
    expect((await viewer.get('/api/map').expect(200)).body.boundary).toBeNull();
  });
});
