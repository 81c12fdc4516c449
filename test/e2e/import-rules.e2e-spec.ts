import { Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import * as path from 'node:path';
import { Project } from '../../src/projects/project.entity';
import { RegionsService } from '../../src/regions/regions.service';
import { Agent, createTestApp, TestApp } from '../support/app';

const reference = path.join(__dirname, '..', 'fixtures', 'import', 'ok', 'liannan-reference.xlsx');

/**
 * Issue "Sessions, scope gaps and the answers staff get", item 7: the import follows the API's
 * rules; a dry run tells the truth.
 */
describe('import follows the same rules as the API', () => {
  let t: TestApp;
  let liannan: number;
  let lechang: number;
  let yuancheng: number;
  let province: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = (await t.http().get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
      level: string;
    }[];
    province = regions.find((r) => r.level === 'province')!.id;
    liannan = regions.find((r) => r.name === '连南瑶族自治县')!.id;
    lechang = regions.find((r) => r.name === '乐昌市')!.id;
    yuancheng = regions.find((r) => r.name === '源城区')!.id;
  });
  afterAll(() => t.close());

  const upload = (a: Agent, file: string | Buffer, regionId: number | null, dryRun: boolean) => {
    const req = a
      .post('/api/imports/projects')
      .attach('file', file, 'plan.xlsx')
      .field('dryRun', String(dryRun));
    return regionId === null ? req : req.field('regionId', String(regionId));
  };
  const count = () => t.db.read.getRepository(Project).count();

  /** The verdict of a run: its errors by cell and code (a dry run lists them, a real run answers 400 with them). */
  const verdict = (r: {
    status: number;
    body: { errors?: { sheet: string; row: number; code: string }[] };
  }) => ({
    ok: r.status < 300 && !(r.body.errors ?? []).length,
    errors: (r.body.errors ?? []).map((e) => `${e.sheet}!${e.row} ${e.code}`),
  });

  it.each(['admin', 'infrastructure'] as const)(
    'a dry run gives the real run’s verdict, as %s',
    async (role) => {
      const a = await t.as(role, province);
      const table = async (withBudget: boolean, name: string) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('规划表');
        ws.addRow(['年度', '学校名称', '小学', ...(withBudget ? ['资金测算（万元）'] : [])]);
        ws.addRow([2026, name, 540, ...(withBudget ? [1200] : [])]);
        return Buffer.from(await wb.xlsx.writeBuffer());
      };
      for (const withBudget of [true, false]) {
        const file = await table(withBudget, `${role}的学校${withBudget ? '甲' : '乙'}`);
        const before = await count();
        const dry = await upload(a, file, yuancheng, true);
        expect(await count()).toBe(before);
        const real = await upload(a, file, yuancheng, false);
        expect(verdict(dry)).toEqual(verdict(real));
        const refused = role === 'infrastructure' && withBudget;
        expect(verdict(real).ok).toBe(!refused);
        expect(await count()).toBe(before + (refused ? 0 : 1));
        if (refused) {
          expect(real.body.errors[0].message).toBe(
            `工作表“规划表”第2行（资金测算）：新项目带资金测算1,200.00万元，须由管理员导入（基建股可删去资金测算列后导入，由计财股填写）`,
          );
        }
      }
      // a changed budget of an existing project: the same verdict again
      const changed = await (async () => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('规划表');
        ws.addRow(['年度', '学校名称', '小学', '资金测算（万元）']);
        ws.addRow([2026, `${role}的学校乙`, 540, 999]);
        return Buffer.from(await wb.xlsx.writeBuffer());
      })();
      const dry = await upload(a, changed, yuancheng, true);
      const real = await upload(a, changed, yuancheng, false);
      expect(verdict(dry)).toEqual(verdict(real));
      expect(verdict(real).ok).toBe(role === 'admin');
    },
  );

  it('re-importing the plan table never undoes a later approved budget revision; it says so', async () => {
    const a = t.http();
    await upload(a, reference, lechang, false).expect(201);
    const p = (
      await a.get(`/api/projects?regionId=${lechang}&q=寨岗中学&pageSize=5`).expect(200)
    ).body.items.find((x: { name: string }) => x.name === '寨岗中学（初中）');
    expect(p.budgetWan).toBe('20240.00');
    await a
      .post(`/api/projects/${p.id}/budget-revisions`)
      .send({ effectiveOn: '2025-03-01', budgetWan: '20500', reason: '概算调整批复' })
      .expect(201);
    for (const dryRun of [true, false]) {
      const r = await upload(a, reference, lechang, dryRun).expect(dryRun ? 200 : 201);
      expect(r.body).toMatchObject({ created: 0, updated: 0, unchanged: 14, invalid: 0 });
      expect(
        r.body.warnings
          .filter((w: { code: string }) => w.code === 'BUDGET_REVISED')
          .map((w: { message: string }) => w.message),
      ).toEqual([
        expect.stringMatching(
          /^工作表“学位建设规划表”第\d+行（资金测算）：现行概算20,500\.00万元（2025-03-01调整）与规划表20,240\.00万元不同，未覆盖$/,
        ),
      ]);
    }
    expect((await a.get(`/api/projects/${p.id}`).expect(200)).body.budgetWan).toBe('20500.00');
    expect(
      (await a.get(`/api/projects/${p.id}/budget-revisions`).expect(200)).body.items,
    ).toHaveLength(2);
  });

  it('a database failing while the region is looked up is a 500, not "region not found"', async () => {
    const regions = t.app.get(RegionsService);
    const spy = jest
      .spyOn(regions, 'findInScope')
      .mockRejectedValueOnce(new Error('SQLITE_BUSY: database is locked'));
    // a 500 is logged with its stack: expected here, so asserted and kept off the test output
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let calls: string[];
    try {
      const r = await upload(t.http(), reference, lechang, true).expect(500);
      expect(r.body.code).toBe('INTERNAL_ERROR');
    } finally {
      calls = logged.mock.calls.map(([m]) => String(m).split('\n')[0]);
      logged.mockRestore();
      spy.mockRestore();
    }
    expect(calls).toEqual(['Error: SQLITE_BUSY: database is locked']);
    await upload(t.http(), reference, 999_999, true).expect(400);
  });

  it('a county user’s import needs no regionId; anyone above a county must name it', async () => {
    const county = await t.as('infrastructure', liannan);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow(['年度', '学校名称', '小学']);
    ws.addRow([2026, '连南新学校', 540]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await upload(county, file, null, false).expect(201);
    expect(r.body).toMatchObject({ regionId: liannan, created: 1 });
    const top = await upload(t.http(), file, null, true).expect(400);
    expect(top.body.errors).toEqual([
      { path: 'regionId', code: 'FIELD_REQUIRED', message: '此项必填' },
    ]);
  });
});
