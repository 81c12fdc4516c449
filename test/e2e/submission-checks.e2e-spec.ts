import { createTestApp, regionIds, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

/**
 * The checks before submitting (OVERDUE_WITHOUT_NOTE): a project past its planned completion that
 * was never reported says 尚未填报进度, not "最近一次进度填报未写明情况说明" (there is no such report).
 */
describe(`submission checks: an overdue project never reported (${DIALECT})`, () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    ids = await regionIds(t);
  });
  afterAll(() => t.close());

  it('says 尚未填报进度 for a project without reports, and the latest report for one with a report without 说明', async () => {
    const admin = t.http();
    const project = async (name: string) =>
      (
        await admin
          .post('/api/projects')
          .send({ name, regionId: ids['乐昌市'], planYear: 2025, plannedCompletion: '2026-06' })
          .expect(201)
      ).body.id as number;
    const never = await project('乐昌市从未填报小学');
    const reported = await project('乐昌市已填报无说明中学');
    await admin
      .post(`/api/projects/${reported}/progress`)
      .send({ reportedOn: '2026-11-20', status: 'preparing', progressPercent: 0 })
      .expect(201);
    const infra = await t.as('infrastructure', ids['乐昌市']);
    const res = await infra.get('/api/submissions/checks?month=2026-11').expect(200);
    const overdue = (res.body.items as { code: string; projectId: number; message: string }[])
      .filter((c) => c.code === 'OVERDUE_WITHOUT_NOTE')
      .map((c) => [c.projectId, c.message]);
    expect(overdue).toEqual(
      expect.arrayContaining([
        [
          never,
          '乐昌市从未填报小学：计划竣工已逾期153天，尚未填报进度（请填报进度并写明情况说明）',
        ],
        [reported, '乐昌市已填报无说明中学：计划竣工已逾期153天，最近一次进度填报未写明情况说明'],
      ]),
    );
    expect(overdue.filter(([id]) => id === never || id === reported)).toHaveLength(2);
  });
});
