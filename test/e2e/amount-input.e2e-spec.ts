import { createTestApp, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

/**
 * Issue 30 points 1–2 on the API: amounts typed as people type them ("1,200.50", full-width
 * "１２００.５０") are read in the one shared place (src/common/money.ts), and every message a
 * form shows under a field is plain Chinese that names the field's own rule.
 */
describe(`typed amounts and the messages under the fields (${DIALECT})`, () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    const items = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      planYear: number;
    }[];
    ids = Object.fromEntries(items.map((p) => [`${p.name}/${p.planYear}`, p.id]));
  });
  afterAll(() => t.close());

  const errorsOf = (body: { errors: { path: string; code: string; message: string }[] }) =>
    body.errors.map((e) => [e.path, e.code, e.message]);

  it.each([
    ['1,200.50', '1200.50'],
    ['１２００.５０', '1200.50'],
    ['１，２００．５０', '1200.50'],
    [' 12,345,678.125 ', '12345678.125'],
    ['1200', '1200.00'],
  ])('a funding line takes committedWan %p as %s', async (typed, stored) => {
    const id = ids['三江镇中心幼儿园/2022'];
    const r = await t
      .http()
      .post(`/api/projects/${id}/funding`)
      .send({ source: 'county_budget', committedWan: typed, committedOn: '2025-01-01' })
      .expect(201);
    expect(r.body.committedWan).toBe(stored);
    const back = (await t.http().get(`/api/projects/${id}/funding`).expect(200)).body.items as {
      id: number;
      committedWan: string;
    }[];
    expect(back.find((l) => l.id === r.body.id)!.committedWan).toBe(stored);
  });

  it('a payment and a progress report take thousands separators and full-width digits', async () => {
    const id = ids['三江镇中心幼儿园/2022'];
    const pay = await t
      .http()
      .post(`/api/projects/${id}/payments`)
      .send({ paidOn: '2025-03-01', payee: '某建设工程有限公司', amountWan: '１，２００.５０' })
      .expect(201);
    expect(pay.body.amountWan).toBe('1200.50');
    const report = await t
      .http()
      .post(`/api/projects/${ids['民族小学/2022']}/progress`)
      .send({
        reportedOn: '2026-11-30',
        status: 'preparing',
        progressPercent: 5,
        investmentCompletedWan: '2,000.5',
      })
      .expect(201);
    expect(report.body.investmentCompletedWan).toBe('2000.50');
  });

  it.each([['12,34'], ['1,2000.00'], [',120'], ['1e3'], ['1 200']])(
    'refuses %p with a message that says what to type (no scientific notation talk)',
    async (typed) => {
      const id = ids['三江镇中心幼儿园/2022'];
      const before = (await t.http().get(`/api/projects/${id}/funding`).expect(200)).body.total;
      const r = await t
        .http()
        .post(`/api/projects/${id}/funding`)
        .send({ source: 'county_budget', committedWan: typed, committedOn: '2025-01-01' })
        .expect(400);
      expect(errorsOf(r.body)).toEqual([
        ['committedWan', 'NOT_A_DECIMAL', '须为非负数字，如 1200.50 或 1,200.50'],
      ]);
      expect((await t.http().get(`/api/projects/${id}/funding`).expect(200)).body.total).toBe(
        before,
      );
    },
  );

  it.each([[130], [-5], [35.5], ['35']])(
    '形象进度 %p is refused in words and no report is filed',
    async (percent: number | string) => {
      const id = ids['民族小学/2022'];
      const before = (await t.http().get(`/api/projects/${id}/progress`).expect(200)).body.total;
      const r = await t
        .http()
        .post(`/api/projects/${id}/progress`)
        .send({ reportedOn: '2026-12-01', status: 'preparing', progressPercent: percent })
        .expect(400);
      expect(errorsOf(r.body)).toEqual([
        ['progressPercent', 'PROGRESS_PERCENT_INVALID', '形象进度须为0到100之间的整数'],
      ]);
      expect((await t.http().get(`/api/projects/${id}/progress`).expect(200)).body.total).toBe(
        before,
      );
    },
  );

  it.each([[''], [null], [undefined]])(
    'an empty 项目状态 (%p) says 请选择项目状态, without codes or a list',
    async (status) => {
      const r = await t
        .http()
        .post(`/api/projects/${ids['民族小学/2022']}/progress`)
        .send({ reportedOn: '2026-12-01', status, progressPercent: 10 })
        .expect(400);
      expect(errorsOf(r.body)).toEqual([['status', 'STATUS_REQUIRED', '请选择项目状态']]);
    },
  );

  it('a milestone finished in the future names 实际完成日期', async () => {
    const id = ids['三江镇中心幼儿园/2022'];
    const ms = (await t.http().get(`/api/projects/${id}/milestones`).expect(200)).body.items as {
      id: number;
      key: string;
      version: number;
    }[];
    const gb = ms.find((m) => m.key === 'groundbreaking')!;
    const r = await t
      .http()
      .patch(`/api/projects/${id}/milestones/${gb.id}`)
      .send({ version: gb.version, actualDate: '2027-01-05' })
      .expect(400);
    expect(errorsOf(r.body)).toEqual([
      ['actualDate', 'MILESTONE_ACTUAL_IN_FUTURE', '实际完成日期不能晚于今天'],
    ]);
  });

  it('a username like 张科员 gets the rule in words', async () => {
    const r = await t
      .http()
      .post('/api/users')
      .send({ username: '张科员', password: 'Good-Pass-1', role: 'viewer', regionId: null })
      .expect(400);
    expect(errorsOf(r.body)).toEqual([
      [
        'username',
        'USERNAME_INVALID',
        '用户名只能由字母、数字、下划线、点或减号组成，长度3到50位（中文姓名请填在“姓名”中）',
      ],
    ]);
  });
});
