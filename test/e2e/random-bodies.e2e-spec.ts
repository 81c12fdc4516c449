import fc from 'fast-check';
import { createTestApp, regionIds, TestApp } from '../support/app';

/**
 * ≥ 1,000 random bodies against create and patch: never a 5xx, and a refused request leaves the
 * database exactly as it was (no partial write). Valid-looking values are mixed with broken ones
 * so that both paths are exercised.
 */
describe('random bodies against create and patch', () => {
  let t: TestApp;
  let liannan: number;
  let city: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    city = regions['清远市'];
  });
  afterAll(() => t.close());

  const counts = async () => {
    const rows = await t.db.read.query(
      // the writes' own audit rows (an alert refresh a create causes is audited apart, as a scan)
      `SELECT (SELECT COUNT(*) FROM project) AS p, (SELECT COUNT(*) FROM milestone) AS m, (SELECT COUNT(*) FROM progress_report) AS r, (SELECT COUNT(*) FROM audit_log WHERE entity <> 'alert_scan') AS a`,
    );
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)])) as Record<
      'p' | 'm' | 'r' | 'a',
      number
    >;
  };

  const decimal = fc.oneof(
    fc
      .tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 99 }))
      .map(([w, f]) => `${w}.${String(f).padStart(2, '0')}`),
    fc.nat({ max: 100_000 }),
    fc.constantFrom(
      '1e3',
      '12,34',
      '-1',
      'NaN',
      '',
      ' ',
      '0.0000001',
      '1.234567',
      '０.５',
      '99999999999999999999',
    ),
    fc.double(),
    fc.constant(null),
    fc.anything(),
  );
  const planned = fc.oneof(
    fc.constantFrom(
      '2021-08',
      '2024-02-29',
      '2023-02-29',
      '2021-13',
      '2021-00',
      '2021年8月',
      '2021.8',
      '',
      null,
    ),
    fc
      .date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    fc.string(),
  );
  const count = fc.oneof(
    fc.nat({ max: 5000 }),
    fc.constantFrom(-1, 1.5, '5', null, 1e20),
    fc.anything(),
  );
  const text = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.constantFrom('', '   ', 'x'.repeat(300), null, 0),
    fc.anything(),
  );
  const seats = fc.oneof(
    fc.record(
      {
        kindergarten: count,
        primary: count,
        juniorMiddle: count,
        seniorSecondary: count,
        specialEducation: count,
      },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );
  const milestone = fc.record(
    {
      key: fc.oneof(fc.constantFrom('approval', 'groundbreaking', 'fire_check'), fc.string()),
      name: text,
      plannedDate: planned,
      owner: text,
    },
    { requiredKeys: [] },
  );
  const fields = {
    name: text,
    regionId: fc.oneof(
      fc.constant(liannanRef()),
      fc.constant(cityRef()),
      fc.constantFrom(99999, 'x', null, -1, 0),
    ),
    seats,
    budgetWan: decimal,
    floorAreaM2: decimal,
    landMu: decimal,
    plannedCompletion: planned,
    plannedStart: planned,
    planYear: fc.oneof(fc.integer({ min: 1980, max: 2110 }), fc.anything()),
    kind: fc.oneof(
      fc.constantFrom('new_build', 'expansion', 'relocation', 'renovation', 'castle', null),
      fc.anything(),
    ),
    code: text,
    town: text,
    transitionalSeats: fc.oneof(fc.boolean(), fc.anything()),
    boardingBeds: count,
    milestones: fc.oneof(fc.array(milestone, { maxLength: 4 }), fc.anything()),
    unknownField: fc.anything(),
  };
  const validDecimal = fc
    .tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 99 }))
    .map(([w, f]) => `${w}.${String(f).padStart(2, '0')}`);
  const validFields = {
    name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
    regionId: fc.constant(-1000),
    seats: fc.record(
      { kindergarten: fc.nat({ max: 900 }), primary: fc.nat({ max: 2000 }) },
      { requiredKeys: [] },
    ),
    budgetWan: validDecimal,
    floorAreaM2: validDecimal,
    landMu: fc.oneof(validDecimal, fc.constant(null)),
    plannedCompletion: fc.constantFrom('2026-08', '2027-12-31', null),
    planYear: fc.integer({ min: 2021, max: 2030 }),
    kind: fc.constantFrom('new_build', 'expansion', 'relocation', 'renovation'),
    boardingBeds: fc.nat({ max: 500 }),
    milestones: fc.array(
      fc.record({
        key: fc.constantFrom('approval', 'groundbreaking', 'fire_check'),
        plannedDate: fc.constantFrom('2026-03', '2026-05-01'),
      }),
      { maxLength: 3 },
    ),
  };
  // region ids are only known after beforeAll; resolve them lazily
  function liannanRef(): number {
    return -1000;
  }
  function cityRef(): number {
    return -2000;
  }
  const fixRegion = (b: Record<string, unknown>) => {
    if (b.regionId === -1000) b.regionId = liannan;
    if (b.regionId === -2000) b.regionId = city;
    return b;
  };

  it('create: 600 bodies, no 5xx, no partial write', async () => {
    const outcomes: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record(validFields, { requiredKeys: ['name', 'regionId'] }),
          fc.record(fields, { requiredKeys: [] }),
          fc.record(fields, { requiredKeys: [] }),
        ),
        async (raw) => {
          const body = fixRegion({ ...raw });
          const before = await counts();
          const r = await t.http().post('/api/projects').send(body);
          outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
          expect(r.status).toBeLessThan(500);
          const after = await counts();
          if (r.status === 201) {
            expect(after.p).toBe(before.p + 1);
            expect(after.a).toBe(before.a + 1);
            expect(after.m - before.m).toBeGreaterThanOrEqual(8);
            const got = (await t.http().get(`/api/projects/${r.body.id}`).expect(200)).body;
            expect(got).toEqual(r.body);
          } else {
            expect(r.body.errors.length + (r.body.code === 'DUPLICATE' ? 1 : 0)).toBeGreaterThan(0);
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 600, seed: 20261123 },
    );
    // both paths were exercised
    expect(outcomes[201]).toBeGreaterThan(5);
    expect(outcomes[400]).toBeGreaterThan(100);
  });

  it('patch: 500 bodies, no 5xx, no partial write, version moves by exactly one on success', async () => {
    const target = (
      await t
        .http()
        .post('/api/projects')
        .send({ name: '随机修改目标', regionId: liannan })
        .expect(201)
    ).body;
    const outcomes: Record<number, number> = {};
    const { milestones: _m, regionId: _r, ...patchFields } = fields;
    const { milestones: _vm, regionId: _vr, ...validPatch } = validFields;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record(validPatch, { requiredKeys: [] }),
          fc.record(
            {
              ...patchFields,
              status: fc.oneof(
                fc.constantFrom('preparing', 'planned', 'completed', 'cancelled'),
                fc.anything(),
              ),
              actualCompletion: planned,
            },
            { requiredKeys: [] },
          ),
        ),
        fc.oneof(
          fc.constant('current'),
          fc.constant('current'),
          fc.constant('stale'),
          fc.anything(),
        ),
        async (raw, versionKind) => {
          const current = (await t.http().get(`/api/projects/${target.id}`).expect(200)).body;
          const version =
            versionKind === 'current'
              ? current.version
              : versionKind === 'stale'
                ? current.version - 1
                : versionKind;
          const body = { ...raw, version };
          const before = await counts();
          const r = await t.http().patch(`/api/projects/${target.id}`).send(body);
          outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
          expect(r.status).toBeLessThan(500);
          const after = (await t.http().get(`/api/projects/${target.id}`).expect(200)).body;
          if (r.status === 200) {
            expect(after.version).toBe(current.version + 1);
            expect(after).toEqual(r.body);
          } else {
            expect(after).toEqual(current);
            expect(await counts()).toEqual(before);
          }
        },
      ),
      { numRuns: 500, seed: 20261124 },
    );
    expect(outcomes[200]).toBeGreaterThan(5);
    expect(outcomes[400]).toBeGreaterThan(100);
  });
});
