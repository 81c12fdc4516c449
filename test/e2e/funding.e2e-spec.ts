import { FundingLine } from '../../src/funding/funding.entities';
import { Agent, createTestApp, regionIds, sumDecimals, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

/**
 * The plans' own words: 已竣工及在建项目缺口13104.53万元（其中，已竣工项目缺口资金4166.53万元、
 * 在建项目缺口资金8938万元）. Funding lines whose amounts defeat binary floats must give exactly that.
 */
describe(`money: budgets, funding, payments, gap (${DIALECT})`, () => {
  let t: TestApp;
  let fin: Agent;
  let infra: Agent;
  let ids: Record<string, number>;
  let liannan: number;

  beforeEach(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    fin = await t.as('finance', liannan);
    infra = await t.as('infrastructure', liannan);
    const items = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      planYear: number;
    }[];
    ids = Object.fromEntries(items.map((p) => [`${p.name}/${p.planYear}`, p.id]));

    const report = (name: string, body: object) =>
      infra.post(`/api/projects/${ids[name]}/progress`).send(body).expect(201);
    const complete = async (name: string, on: string) => {
      await report(name, {
        reportedOn: '2021-03-01',
        status: 'under_construction',
        progressPercent: 10,
      });
      await report(name, {
        reportedOn: on,
        status: 'completed',
        progressPercent: 100,
        actualCompletion: on,
      });
    };
    for (const n of ['三排镇横坑幼儿园/2021', '大坪镇中心幼儿园/2021'])
      await complete(n, '2021-09-20');
    for (const n of [
      '大麦山中心幼儿园/2022',
      '淳溪小学/2022',
      '民族小学/2022',
      '三江镇中心幼儿园/2022',
    ])
      await complete(n, '2023-01-15');
    for (const n of ['寨岗中学（初中）/2023', '顺德希望小学/2023'])
      await report(n, {
        reportedOn: '2024-03-01',
        status: 'under_construction',
        progressPercent: 30,
      });

    const line = (
      name: string,
      source: string,
      committedWan: string | number,
      committedOn = '2024-06-01',
    ) =>
      fin
        .post(`/api/projects/${ids[name]}/funding`)
        .send({ source, committedWan, committedOn })
        .expect(201);
    // completed: gaps 95.13 + 0 + 2500 + 503.36 + 0 (surplus 66) + 1068.04 = 4166.53
    await line('三排镇横坑幼儿园/2021', 'county_budget', '1234.57');
    await line('三排镇横坑幼儿园/2021', 'provincial_subsidy', 0.1);
    await line('三排镇横坑幼儿园/2021', 'provincial_subsidy', '0.2');
    await line('大坪镇中心幼儿园/2021', 'county_budget', 330);
    await line('淳溪小学/2022', 'special_bond', '1000');
    await line('淳溪小学/2022', 'county_budget', 1.5);
    await line('淳溪小学/2022', 'donation', '0.14');
    await line('民族小学/2022', 'city_budget', '500');
    await line('三江镇中心幼儿园/2022', 'special_bond', '2931.96');
    // under construction: gaps 7937.99 + 1000.01 = 8938.00
    await line('寨岗中学（初中）/2023', 'special_bond', '12000', '2023-05-01');
    await line('寨岗中学（初中）/2023', 'central_budget', '302.01', '2025-03-01');
    await line('顺德希望小学/2023', 'provincial_subsidy', '1211.89');
    await line('顺德希望小学/2023', 'county_budget', 0.1);
  });
  afterEach(() => t.close());

  it('sums gaps by status to exactly 13104.53 = 4166.53 completed + 8938.00 under construction', async () => {
    const s = (await fin.get('/api/funding/summary?groupBy=status&asOf=2026-11-23').expect(200))
      .body;
    const by = Object.fromEntries(s.groups.map((g: { key: string }) => [g.key, g]));
    expect(by.completed).toEqual({
      key: 'completed',
      label: '已竣工',
      projects: 6,
      projectsWithoutBudget: 0,
      budgetWan: '10099.00',
      committedWan: '5998.47',
      receivedWan: '0.00',
      paidWan: '0.00',
      gapWan: '4166.53',
      surplusWan: '66.00',
    });
    expect(by.under_construction).toMatchObject({
      projects: 2,
      budgetWan: '22452.00',
      committedWan: '13514.00',
      gapWan: '8938.00',
      surplusWan: '0.00',
    });
    expect(by.planned).toMatchObject({
      projects: 6,
      budgetWan: '29720.00',
      committedWan: '0.00',
      gapWan: '29720.00',
    });
    expect(sumDecimals([by.completed.gapWan, by.under_construction.gapWan])).toBe('13104.53');
    expect(s.total).toEqual({
      projects: 14,
      projectsWithoutBudget: 0,
      budgetWan: '62271.00',
      committedWan: '19512.47',
      receivedWan: '0.00',
      paidWan: '0.00',
      gapWan: '42824.53',
      surplusWan: '66.00',
    });
    // the plan's stated shortfall beside what the data explains
    expect(s.reportedGaps).toEqual([
      expect.objectContaining({
        regionId: liannan,
        quote:
          '解决全县中小学和幼儿园已竣工及在建项目缺口13104.53万元（其中，已竣工项目缺口资金4166.53万元、在建项目缺口资金8938万元）',
        reported: {
          totalWan: '13104.53',
          completedWan: '4166.53',
          underConstructionWan: '8938.00',
        },
        tracked: { totalWan: '13104.53', completedWan: '4166.53', underConstructionWan: '8938.00' },
        difference: { totalWan: '0.00', completedWan: '0.00', underConstructionWan: '0.00' },
      }),
    ]);
  });

  it('shows each project’s money and gap on the project and in its funding', async () => {
    const p = (await fin.get(`/api/projects/${ids['三排镇横坑幼儿园/2021']}`).expect(200)).body;
    expect(p).toMatchObject({
      budgetWan: '1330.00',
      committedWan: '1234.87',
      receivedWan: '0.00',
      paidWan: '0.00',
      gapWan: '95.13',
      surplusWan: '0.00',
    });
    const f = (await fin.get(`/api/projects/${ids['民族小学/2022']}/funding`).expect(200)).body;
    expect(f.summary).toEqual({
      status: 'completed',
      budgetWan: '434.00',
      committedWan: '500.00',
      receivedWan: '0.00',
      paidWan: '0.00',
      gapWan: '0.00',
      surplusWan: '66.00',
    });
    expect(f.items).toEqual([
      expect.objectContaining({
        source: 'city_budget',
        sourceLabel: '市级财政',
        committedWan: '500.00',
        committedOn: '2024-06-01',
        receivedWan: '0.00',
        receivedOn: null,
        version: 1,
      }),
    ]);
    const list = (await fin.get('/api/projects?pageSize=100').expect(200)).body.items as {
      gapWan: string;
    }[];
    expect(sumDecimals(list.map((x) => x.gapWan))).toBe('42824.53');
  });

  it('groups by region, source and plan year with the same total', async () => {
    const region = (
      await fin.get('/api/funding/summary?groupBy=region&asOf=2026-11-23').expect(200)
    ).body;
    expect(region.groups).toEqual([
      expect.objectContaining({
        key: liannan,
        label: '连南瑶族自治县',
        projects: 14,
        gapWan: '42824.53',
      }),
    ]);
    const source = (
      await fin.get('/api/funding/summary?groupBy=source&asOf=2026-11-23').expect(200)
    ).body;
    const bySource = Object.fromEntries(
      source.groups.map((g: { key: string; committedWan: string }) => [g.key, g.committedWan]),
    );
    expect(bySource).toEqual({
      central_budget: '302.01',
      city_budget: '500.00',
      county_budget: '1566.17',
      donation: '0.14',
      provincial_subsidy: '1212.19',
      special_bond: '15931.96',
    });
    expect(sumDecimals(Object.values(bySource) as string[])).toBe(source.total.committedWan);
    expect(source.groups[0]).toMatchObject({ budgetWan: null, paidWan: null, gapWan: null });
    const years = (
      await fin.get('/api/funding/summary?groupBy=planYear&asOf=2026-11-23').expect(200)
    ).body;
    expect(
      years.groups.map((g: { key: number; gapWan: string }) => `${g.key}:${g.gapWan}`),
    ).toEqual(['2021:95.13', '2022:4071.40', '2023:8938.00', '2024:6950.00', '2025:22770.00']);
  });

  it('gives the figures as they stood on a past day', async () => {
    // 2022-06-30: the 2021 kindergartens were completed, the 2022 group under construction, no money yet
    const s = (await fin.get('/api/funding/summary?groupBy=status&asOf=2022-06-30').expect(200))
      .body;
    const by = Object.fromEntries(s.groups.map((g: { key: string }) => [g.key, g]));
    expect(by.completed).toMatchObject({
      projects: 2,
      budgetWan: '1660.00',
      committedWan: '0.00',
      gapWan: '1660.00',
    });
    expect(by.under_construction).toMatchObject({
      projects: 4,
      budgetWan: '8439.00',
      committedWan: '0.00',
      gapWan: '8439.00',
    });
    expect(by.planned).toMatchObject({ projects: 8 });
    // 2024-05-01: all six completed; 寨岗 had only the 12000 of 2023-05-01 (the rest is dated later)
    const s2 = (await fin.get('/api/funding/summary?groupBy=status&asOf=2024-05-01').expect(200))
      .body;
    const by2 = Object.fromEntries(s2.groups.map((g: { key: string }) => [g.key, g]));
    expect(by2.completed).toMatchObject({ projects: 6, committedWan: '0.00', gapWan: '10099.00' });
    expect(by2.under_construction).toMatchObject({
      projects: 2,
      committedWan: '12000.00',
      gapWan: '10452.00',
    });
    const old = (
      await fin
        .get(`/api/projects/${ids['寨岗中学（初中）/2023']}/funding?asOf=2025-02-28`)
        .expect(200)
    ).body;
    expect(old.summary).toMatchObject({
      status: 'under_construction',
      committedWan: '12000.00',
      gapWan: '8240.00',
    });
    const before = (await fin.get('/api/funding/summary?asOf=2020-12-31').expect(200)).body;
    expect(before.groups.map((g: { key: string }) => g.key)).toEqual(['planned']);
    expect(before.total).toMatchObject({ committedWan: '0.00', gapWan: '62271.00' });
  });

  it('revises budgets from a day on, keeping earlier days as they were', async () => {
    const id = ids['石泉中学（完全中学）/2025'];
    const r = await fin
      .post(`/api/projects/${id}/budget-revisions`)
      .send({ effectiveOn: '2025-06-01', budgetWan: '21500.5', reason: '初步设计批复调整概算' })
      .expect(201);
    expect(r.body).toMatchObject({
      effectiveOn: '2025-06-01',
      budgetWan: '21500.50',
      reason: '初步设计批复调整概算',
      projectBudgetWan: '21500.50',
      warnings: [],
    });
    await fin
      .post(`/api/projects/${id}/budget-revisions`)
      .send({ effectiveOn: '2025-01-01', budgetWan: '21000', reason: '可研批复' })
      .expect(201);
    expect((await fin.get(`/api/projects/${id}`).expect(200)).body.budgetWan).toBe('21500.50');
    const at = async (d: string) =>
      (await fin.get(`/api/projects/${id}/funding?asOf=${d}`).expect(200)).body.summary.budgetWan;
    expect([
      await at('2024-12-31'),
      await at('2025-01-01'),
      await at('2025-05-31'),
      await at('2025-06-01'),
    ]).toEqual(['21120.00', '21000.00', '21000.00', '21500.50']);
    const revs = (await fin.get(`/api/projects/${id}/budget-revisions`).expect(200)).body.items;
    expect(
      revs.map(
        (x: { effectiveOn: string | null; budgetWan: string }) => `${x.effectiveOn}:${x.budgetWan}`,
      ),
    ).toEqual(['null:21120.00', '2025-01-01:21000.00', '2025-06-01:21500.50']);
    const future = await fin
      .post(`/api/projects/${id}/budget-revisions`)
      .send({ effectiveOn: '2099-01-01', budgetWan: '1', reason: 'x' })
      .expect(400);
    expect(future.body.errors[0]).toMatchObject({ path: 'effectiveOn', code: 'DATE_IN_FUTURE' });
  });

  it('warns about received above committed, paid above received, and a budget cut below payments', async () => {
    const id = ids['寨岗镇中心幼儿园/2024'];
    const l = (
      await fin
        .post(`/api/projects/${id}/funding`)
        .send({
          source: 'county_budget',
          committedWan: '100',
          committedOn: '2025-01-10',
          receivedWan: '150',
          receivedOn: '2025-02-10',
        })
        .expect(201)
    ).body;
    expect(l.warnings).toEqual([
      {
        code: 'RECEIVED_ABOVE_COMMITTED',
        message: '已到位资金超过已落实资金：已到位150.00万元，已落实100.00万元',
      },
    ]);
    const pay = (
      await fin
        .post(`/api/projects/${id}/payments`)
        .send({
          paidOn: '2025-03-01',
          payee: '某建设工程有限公司',
          amountWan: '200.25',
          reference: '付款凭证001',
        })
        .expect(201)
    ).body;
    expect(pay).toMatchObject({
      paidOn: '2025-03-01',
      payee: '某建设工程有限公司',
      amountWan: '200.25',
      reference: '付款凭证001',
      version: 1,
    });
    expect(pay.warnings.map((w: { code: string }) => w.code)).toEqual([
      'RECEIVED_ABOVE_COMMITTED',
      'PAID_ABOVE_RECEIVED',
    ]);
    const cut = (
      await fin
        .post(`/api/projects/${id}/budget-revisions`)
        .send({ effectiveOn: '2025-04-01', budgetWan: '200', reason: '压减' })
        .expect(201)
    ).body;
    expect(cut.warnings).toContainEqual({
      code: 'BUDGET_BELOW_PAID',
      message: '资金测算（概算）低于已支付金额：资金测算200.00万元，已支付200.25万元',
    });
    const p = (await fin.get(`/api/projects/${id}`).expect(200)).body;
    expect(p.warnings.map((w: { code: string }) => w.code)).toEqual([
      'RECEIVED_ABOVE_COMMITTED',
      'PAID_ABOVE_RECEIVED',
      'BUDGET_BELOW_PAID',
    ]);
    // edit and remove with versions
    await fin
      .patch(`/api/projects/${id}/funding/${l.id}`)
      .send({ version: 1, committedWan: '150' })
      .expect(200);
    await fin
      .patch(`/api/projects/${id}/funding/${l.id}`)
      .send({ version: 1, committedWan: '999' })
      .expect(409);
    await fin
      .patch(`/api/projects/${id}/payments/${pay.id}`)
      .send({ version: 1, amountWan: '120' })
      .expect(200);
    const after = (await fin.get(`/api/projects/${id}/funding`).expect(200)).body;
    expect(after.summary).toMatchObject({
      committedWan: '150.00',
      receivedWan: '150.00',
      paidWan: '120.00',
      budgetWan: '200.00',
      gapWan: '50.00',
    });
    expect(after.warnings).toEqual([]);
    await fin.delete(`/api/projects/${id}/payments/${pay.id}`).send({ version: 1 }).expect(409);
    await fin.delete(`/api/projects/${id}/payments/${pay.id}`).send({ version: 2 }).expect(200);
    expect((await fin.get(`/api/projects/${id}/payments`).expect(200)).body.total).toBe(0);
  });

  it.each([
    ['0.0000001', 'TOO_PRECISE_WAN'],
    [1e-7, 'NOT_A_DECIMAL'],
    ['-5', 'NEGATIVE_AMOUNT'],
    [-5, 'NEGATIVE_AMOUNT'],
    ['1e3', 'NOT_A_DECIMAL'],
    ['12,34', 'NOT_A_DECIMAL'],
    ['NaN', 'NOT_A_DECIMAL'],
    [null, 'NOT_A_DECIMAL'],
  ])('rejects committedWan %p with a 400 naming the field (%s)', async (committedWan, code) => {
    const id = ids['三江镇中心幼儿园/2022'];
    const before = (await fin.get(`/api/projects/${id}/funding`).expect(200)).body.total;
    const r = await fin
      .post(`/api/projects/${id}/funding`)
      .send({ source: 'county_budget', committedWan, committedOn: '2024-01-01' })
      .expect(400);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: 'committedWan', code })]);
    expect((await fin.get(`/api/projects/${id}/funding`).expect(200)).body.total).toBe(before);
  });

  it('rejects a line with an amount but no date, a future receipt, an unknown source and a zero payment', async () => {
    const id = ids['三江镇中心幼儿园/2022'];
    const a = await fin
      .post(`/api/projects/${id}/funding`)
      .send({
        source: 'county_budget',
        committedWan: '5',
        receivedWan: '5',
        receivedOn: '2099-01-01',
      })
      .expect(400);
    expect(a.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual(
      ['committedOn:DATE_REQUIRED_FOR_AMOUNT', 'receivedOn:DATE_IN_FUTURE'],
    );
    const b = await fin
      .post(`/api/projects/${id}/funding`)
      .send({ source: 'lottery', committedWan: '5', committedOn: '2024-01-01' })
      .expect(400);
    expect(b.body.errors[0]).toMatchObject({ path: 'source', code: 'NOT_IN_LIST' });
    const c = await fin
      .post(`/api/projects/${id}/payments`)
      .send({ paidOn: '2024-01-01', payee: 'x', amountWan: '0' })
      .expect(400);
    expect(c.body.errors[0]).toMatchObject({ path: 'amountWan', code: 'AMOUNT_MUST_BE_POSITIVE' });
    await infra
      .post(`/api/projects/${id}/funding`)
      .send({ source: 'county_budget', committedWan: '5', committedOn: '2024-01-01' })
      .expect(403);
  });

  it('sums 10,000 lines of 0.01–0.07 万元 to the exact decimal', async () => {
    const p = (
      await t
        .http()
        .post('/api/projects')
        .send({ name: '万笔资金测试', regionId: liannan, budgetWan: '1000' })
        .expect(201)
    ).body;
    let expectedFen = 0n;
    const now = new Date().toISOString();
    const rows: Partial<FundingLine>[] = [];
    for (let i = 0; i < 10_000; i++) {
      const cents = (i % 7) + 1; // 0.01 … 0.07 万元
      expectedFen += BigInt(cents * 10_000);
      rows.push({
        projectId: p.id,
        source: 'donation',
        committedFen: cents * 10_000,
        committedOn: '2025-01-01',
        receivedFen: cents * 10_000,
        receivedOn: '2025-01-02',
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
    await t.db.transaction(async (em) => {
      for (let i = 0; i < rows.length; i += 500)
        await em.insert(FundingLine, rows.slice(i, i + 500));
    });
    const expected = `${expectedFen / 1_000_000n}.${String(expectedFen % 1_000_000n)
      .padStart(6, '0')
      .slice(0, 2)}`;
    expect(expected).toBe('399.94');
    let floatSum = 0;
    for (let i = 0; i < 10_000; i++) floatSum += ((i % 7) + 1) / 100;
    expect(String(floatSum)).not.toBe('399.94'); // what a float would have said
    const f = (await fin.get(`/api/projects/${p.id}/funding?asOf=2025-12-31`).expect(200)).body;
    expect(f.summary).toMatchObject({
      committedWan: '399.94',
      receivedWan: '399.94',
      gapWan: '600.06',
    });
    const s = (await fin.get('/api/funding/summary?groupBy=source&asOf=2025-12-31').expect(200))
      .body;
    expect(s.groups.find((g: { key: string }) => g.key === 'donation').committedWan).toBe(
      sumDecimals(['399.94', '0.14']),
    );
  });
});
