import { AuditLog } from '../../src/audit/audit-log.entity';
import { createTestApp, sumDecimals, TestApp } from '../support/app';

interface P {
  id: number;
  name: string;
  planYear: number;
  regionId: number;
  status: string;
  kind: string | null;
  seats: Record<string, number>;
  budgetWan: string;
  floorAreaM2: string | null;
  landMu: string | null;
  version: number;
  warnings: { code: string; message: string }[];
  [k: string]: unknown;
}

describe('projects register (reference data)', () => {
  let t: TestApp;
  let all: P[];
  let countyId: number;
  let cityId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.http().get('/api/projects?pageSize=100').expect(200);
    all = res.body.items;
    const regions = (await t.http().get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
    }[];
    countyId = regions.find((r) => r.name === '连南瑶族自治县')!.id;
    cityId = regions.find((r) => r.name === '清远市')!.id;
  });
  afterAll(() => t.close());

  it('lists the 14 projects of the Liannan table with its exact figures', () => {
    expect(all).toHaveLength(14);
    expect(sumDecimals(all.map((p) => p.budgetWan))).toBe('62271.00');
    expect(sumDecimals(all.map((p) => p.floorAreaM2))).toBe('127754.00');
    expect(sumDecimals(all.map((p) => p.landMu))).toBe('197.15');
    const seat = (k: string) => all.reduce((s, p) => s + p.seats[k], 0);
    expect([
      seat('kindergarten'),
      seat('primary'),
      seat('juniorMiddle'),
      seat('seniorSecondary'),
      seat('total'),
    ]).toEqual([1796, 540, 4000, 600, 6936]);
  });

  it('returns a project in the docs/api.md shape', () => {
    const p = all.find((x) => x.name === '寨岗中学（初中）')!;
    expect(p).toMatchObject({
      code: null,
      name: '寨岗中学（初中）',
      regionId: countyId,
      planYear: 2023,
      status: 'planned',
      seats: {
        kindergarten: 0,
        primary: 0,
        juniorMiddle: 800,
        seniorSecondary: 600,
        specialEducation: 0,
        total: 1400,
      },
      transitionalSeats: false,
      boardingBeds: 0,
      floorAreaM2: '45711.00',
      landMu: '68.00',
      budgetWan: '20240.00',
      plannedStart: null,
      plannedCompletion: '2024-08',
      actualCompletion: null,
      progressPercent: null,
      investmentCompletedWan: null,
      lastReportedOn: null,
      version: 1,
      warnings: [],
    });
  });

  it('keeps the printed inconsistencies and warns about them', () => {
    const xp = all.find((x) => x.name === '香坪镇中心幼儿园')!;
    expect(xp.seats.kindergarten).toBe(201);
    expect(xp.seats.total).toBe(201);
    expect(xp.warnings).toContainEqual({
      code: 'SUBTOTAL_MISMATCH',
      message: '印刷的学位小计与各学段之和不一致：印刷小计210，各学段之和201',
    });
    const mz = all.find((x) => x.name === '民族高级中学（修缮改造）' && x.planYear === 2024)!;
    expect(mz.kind).toBe('renovation');
    expect(mz.warnings).toEqual([
      {
        code: 'COMPLETION_BEFORE_PLAN_YEAR',
        message: '计划完成时间早于项目所属年度：计划完成2023-08，年度2024',
      },
    ]);
  });

  it('keeps blank land apart from zero land', () => {
    expect(all.find((x) => x.name === '三排镇横坑幼儿园')!.landMu).toBeNull();
    expect(all.find((x) => x.name === '淳溪小学')!.landMu).toBe('0.00');
    expect(all.filter((x) => x.landMu === null)).toHaveLength(4);
  });

  describe('filters, paging and sorting', () => {
    // read-only checks on the reference data: an app of their own, so writes elsewhere in this file
    // (in any order) do not change what they count
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    const names = async (qs: string) => {
      const r = await t.http().get(`/api/projects?${qs}`).expect(200);
      return (r.body.items as P[]).map((p) => p.name);
    };

    it('filters by region including sub-regions', async () => {
      expect(await names(`regionId=${cityId}&pageSize=100`)).toHaveLength(14);
      expect(await names(`regionId=${countyId}&pageSize=100`)).toHaveLength(14);
      const other = (await t.http().get('/api/regions').expect(200)).body.find(
        (r: { name: string }) => r.name === '乐昌市',
      );
      expect(await names(`regionId=${other.id}`)).toEqual([]);
      await t.http().get('/api/projects?regionId=9999').expect(404);
    });

    it('filters by stage, plan year, kind, status and text', async () => {
      expect(await names('stage=primary')).toEqual(['淳溪小学', '民族小学', '顺德希望小学']);
      expect(await names('stage=seniorSecondary')).toEqual(['寨岗中学（初中）']);
      expect(await names('planYear=2021')).toEqual(['三排镇横坑幼儿园', '大坪镇中心幼儿园']);
      expect(await names('kind=renovation')).toEqual([
        '民族高级中学（修缮改造）',
        '民族高级中学（修缮改造）',
      ]);
      expect(await names('q=民族')).toEqual([
        '民族小学',
        '民族高级中学（修缮改造）',
        '民族高级中学（修缮改造）',
      ]);
      expect(await names('status=under_construction,completed')).toEqual([]);
      expect((await names('status=planned&pageSize=100')).length).toBe(14);
      const bad = await t
        .http()
        .get('/api/projects?status=built&stage=nursery&pageSize=0')
        .expect(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
        'pageSize',
        'stage',
        'status',
      ]);
    });

    it('pages with a cap of 200 and sorts', async () => {
      const p1 = await t.http().get('/api/projects?pageSize=5&page=2&sort=-budgetWan').expect(200);
      expect(p1.body).toMatchObject({ total: 14, page: 2, pageSize: 5 });
      expect(p1.body.items.map((p: P) => p.budgetWan)).toEqual([
        '2212.00',
        '1505.00',
        '1500.00',
        '1500.00',
        '1330.00',
      ]);
      // ties follow the id in the direction of the sort (one (field, id) index serves both orders)
      const tied = (items: P[]) => items.filter((p) => p.budgetWan === '1500.00').map((p) => p.id);
      const desc = tied(p1.body.items);
      expect(desc[0]).toBeGreaterThan(desc[1]);
      const asc = tied(
        (await t.http().get('/api/projects?pageSize=100&sort=budgetWan').expect(200)).body.items,
      );
      expect(asc).toEqual([...desc].reverse());
      const capped = await t.http().get('/api/projects?pageSize=1000').expect(200);
      expect(capped.body.pageSize).toBe(200);
      expect(await names('sort=-seatsTotal&pageSize=3')).toEqual([
        '石泉中学（完全中学）',
        '寨岗中学（初中）',
        '三江镇中心幼儿园',
      ]);
      expect(await names('sort=plannedCompletion&pageSize=2')).toEqual([
        '三排镇横坑幼儿园',
        '大坪镇中心幼儿园',
      ]);
    });

    it('lists overdue projects as of a date (month-precise dates are due at the month end)', async () => {
      expect(await names('overdue=true&asOf=2021-08-31')).toEqual([]);
      expect(await names('overdue=true&asOf=2021-09-01')).toEqual([
        '三排镇横坑幼儿园',
        '大坪镇中心幼儿园',
      ]);
      expect(await names('overdue=true&asOf=2026-11-23&pageSize=100')).toHaveLength(14);
    });
  });

  describe('create, patch, archive', () => {
    it('creates a project with derived total, default milestones, exact money, and audit', async () => {
      const res = await t
        .http()
        .post('/api/projects')
        .send({
          name: '测试镇中心小学（新建）',
          regionId: countyId,
          planYear: 2026,
          seats: { primary: 540, kindergarten: 90 },
          floorAreaM2: '12345.67',
          landMu: 0.1,
          budgetWan: '1234.567891',
          plannedStart: '2026-03',
          plannedCompletion: '2027-08-15',
          boardingBeds: 200,
          milestones: [{ key: 'groundbreaking', plannedDate: '2026-03', owner: '李工' }],
        })
        .expect(201);
      const p = res.body;
      expect(p).toMatchObject({
        kind: 'new_build',
        status: 'planned',
        seats: {
          kindergarten: 90,
          primary: 540,
          juniorMiddle: 0,
          seniorSecondary: 0,
          specialEducation: 0,
          total: 630,
        },
        floorAreaM2: '12345.67',
        landMu: '0.10',
        budgetWan: '1234.567891',
        plannedCompletion: '2027-08-15',
        plannedCompletionDue: '2027-08-15',
        boardingBeds: 200,
        version: 1,
        source: { type: 'api' },
      });
      const ms = (await t.http().get(`/api/projects/${p.id}/milestones`).expect(200)).body.items;
      expect(ms.map((m: { key: string }) => m.key)).toEqual([
        'approval',
        'land',
        'design_approval',
        'tender',
        'construction_permit',
        'groundbreaking',
        'topping_out',
        'completion_acceptance',
        'handover',
        'final_accounts',
      ]);
      expect(ms.find((m: { key: string }) => m.key === 'groundbreaking')).toMatchObject({
        name: '开工',
        plannedDate: '2026-03',
        plannedDue: '2026-03-31',
        owner: '李工',
        version: 1,
      });
      const audit = await t.db.read
        .getRepository(AuditLog)
        .findBy({ entity: 'project', entityId: p.id });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'create', actorName: 'admin' });
      expect(audit[0].changes.budgetWan).toEqual({ old: null, new: '1234.567891' });
    });

    it('gives renovation projects no land or topping-out milestone', async () => {
      const res = await t
        .http()
        .post('/api/projects')
        .send({ name: '某中学（修缮改造）', regionId: countyId })
        .expect(201);
      const ms = (await t.http().get(`/api/projects/${res.body.id}/milestones`).expect(200)).body
        .items;
      expect(ms.map((m: { key: string }) => m.key)).toEqual([
        'approval',
        'design_approval',
        'tender',
        'construction_permit',
        'groundbreaking',
        'completion_acceptance',
        'handover',
        'final_accounts',
      ]);
    });

    it('patches with the version read, and answers a stale version with 409 changing nothing', async () => {
      const p = all.find((x) => x.name === '淳溪小学')!;
      const ok = await t
        .http()
        .patch(`/api/projects/${p.id}`)
        .send({ version: 1, budgetWan: '1505.10', landMu: null })
        .expect(200);
      expect(ok.body).toMatchObject({ version: 2, budgetWan: '1505.10', landMu: null });
      const stale = await t
        .http()
        .patch(`/api/projects/${p.id}`)
        .send({ version: 1, budgetWan: '9999' })
        .expect(409);
      expect(stale.body).toMatchObject({ statusCode: 409, code: 'VERSION_CONFLICT' });
      const now = (await t.http().get(`/api/projects/${p.id}`).expect(200)).body;
      expect(now).toMatchObject({ version: 2, budgetWan: '1505.10' });
      const audit = await t.db.read
        .getRepository(AuditLog)
        .findBy({ entity: 'project', entityId: p.id, action: 'update' });
      expect(audit).toHaveLength(1);
      expect(audit[0].changes).toEqual({
        budgetWan: { old: '1505.00', new: '1505.10' },
        landMu: { old: '0.00', new: null },
      });
    });

    it('archives with a version; archived projects leave the list but stay readable', async () => {
      const created = (
        await t
          .http()
          .post('/api/projects')
          .send({ name: '待归档项目', regionId: countyId })
          .expect(201)
      ).body;
      await t
        .http()
        .post(`/api/projects/${created.id}/archive`)
        .send({ version: 2, reason: '不再建设' })
        .expect(409);
      const archived = await t
        .http()
        .post(`/api/projects/${created.id}/archive`)
        .send({ version: 1, reason: '不再建设' })
        .expect(201);
      expect(archived.body).toMatchObject({ archived: true, version: 2 });
      expect((await t.http().get('/api/projects?q=待归档').expect(200)).body.total).toBe(0);
      expect(
        (await t.http().get('/api/projects?q=待归档&includeArchived=true').expect(200)).body.total,
      ).toBe(1);
      const again = await t
        .http()
        .patch(`/api/projects/${created.id}`)
        .send({ version: 2, name: 'x' })
        .expect(400);
      expect(again.body.code).toBe('PROJECT_ARCHIVED');
    });
  });

  describe('bad input', () => {
    it('lists every bad field by path with a Chinese message and a stable code', async () => {
      const res = await t
        .http()
        .post('/api/projects')
        .send({
          regionId: 'x',
          seats: { primary: -1, juniorMiddle: 1.5 },
          budgetWan: '1e3',
          floorAreaM2: '12,34',
          landMu: '0.001',
          plannedCompletion: '2021-13',
          kind: 'palace',
          milestones: [{ key: 'a' }, { key: 'b', plannedDate: '2021-02-30' }],
          bogus: 1,
        })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const byPath = Object.fromEntries(
        res.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
      );
      expect(byPath).toEqual({
        bogus: 'FIELD_UNKNOWN',
        name: 'FIELD_REQUIRED',
        regionId: expect.stringMatching(/NOT_AN_INTEGER|OUT_OF_RANGE/),
        'seats.primary': 'NOT_NON_NEGATIVE_INTEGER',
        'seats.juniorMiddle': 'NOT_NON_NEGATIVE_INTEGER',
        budgetWan: 'NOT_A_DECIMAL',
        floorAreaM2: 'NOT_A_DECIMAL',
        landMu: 'TOO_PRECISE_HUNDREDTHS',
        plannedCompletion: 'NOT_A_PLANNED_DATE',
        kind: 'NOT_IN_LIST',
        'milestones[1].plannedDate': 'NOT_A_PLANNED_DATE',
      });
      for (const e of res.body.errors) expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(
        (await t.http().get('/api/projects?pageSize=100').expect(200)).body.total,
      ).toBeGreaterThanOrEqual(14);
    });

    it.each([
      ['-5', 'NEGATIVE_AMOUNT'],
      ['0.0000001', 'TOO_PRECISE_WAN'],
      ['NaN', 'NOT_A_DECIMAL'],
      [null, 'FIELD_REQUIRED'],
    ])('rejects budgetWan %p with %s', async (budgetWan, code) => {
      const p = all.find((x) => x.name === '民族小学')!;
      const res = await t
        .http()
        .patch(`/api/projects/${p.id}`)
        .send({ version: p.version, budgetWan })
        .expect(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          path: 'budgetWan',
          code: code === 'FIELD_REQUIRED' ? expect.any(String) : code,
        }),
      ]);
      expect((await t.http().get(`/api/projects/${p.id}`).expect(200)).body.budgetWan).toBe(
        '434.00',
      );
    });

    it('rejects a non-county region, malformed JSON, unknown ids and bad ids', async () => {
      const r = await t
        .http()
        .post('/api/projects')
        .send({ name: 'x', regionId: cityId })
        .expect(400);
      expect(r.body.errors).toEqual([
        {
          path: 'regionId',
          code: 'REGION_NOT_COUNTY',
          message: '项目须归属县（区）级行政区：清远市',
        },
      ]);
      const m = await t
        .http()
        .post('/api/projects')
        .set('content-type', 'application/json')
        .send('{"name":')
        .expect(400);
      expect(m.body).toMatchObject({ code: 'MALFORMED_JSON', message: '请求体不是有效的 JSON' });
      expect(JSON.stringify(m.body)).not.toMatch(/at .*\.js/);
      await t.http().get('/api/projects/99999').expect(404);
      await t.http().patch('/api/projects/99999').send({ version: 1 }).expect(404);
      await t.http().get('/api/projects/99999/milestones').expect(404);
      await t.http().get('/api/projects/99999/progress').expect(404);
      const bad = await t.http().get('/api/projects/abc').expect(400);
      expect(bad.body.errors[0].path).toBe('id');
    });

    it('rejects a planned start after the planned completion', async () => {
      const r = await t
        .http()
        .post('/api/projects')
        .send({
          name: 'x',
          regionId: countyId,
          plannedStart: '2026-09',
          plannedCompletion: '2026-08',
        })
        .expect(400);
      expect(r.body.errors[0]).toMatchObject({
        path: 'plannedStart',
        code: 'PLANNED_START_AFTER_COMPLETION',
      });
    });
  });
});
