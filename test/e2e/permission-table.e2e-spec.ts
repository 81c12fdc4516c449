import ExcelJS from 'exceljs';
import { PERMISSIONS, PermissionTable } from '../../src/common/permissions';
import { createTestApp, regionIds, TestApp } from '../support/app';

/**
 * Moving one rule of the permission table moves the server, the import and the web with it: the same
 * scenario on the table as shipped and on a copy where 资金测算 (`project.edit.budget`) moved from
 * 计财股 to 基建股 — one line changed.
 */
const MOVED: PermissionTable = {
  ...PERMISSIONS,
  'project.edit.budget': {
    ...PERMISSIONS['project.edit.budget'],
    roles: ['admin', 'infrastructure'],
  },
};

async function planTable(name: string, budgetWan: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('规划表');
  ws.addRow(['年度', '学校名称', '幼儿园', '计划完成时间', '资金测算（万元）']);
  ws.addRow([2026, name, 90, '2026年12月', budgetWan]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface Seen {
  /** `GET /api/auth/me`'s `can` holds project.edit.budget, for 计财股 and 基建股 */
  meFinance: boolean;
  meInfrastructure: boolean;
  /** PATCH budgetWan: status and code, then the budget read back */
  patchFinance: string;
  patchInfrastructure: string;
  budgetAfter: string | null;
  /** 基建股 imports a row changing an existing project's 资金测算 (dry run) */
  importRow: string;
}

async function observe(t: TestApp): Promise<Seen> {
  const regions = await regionIds(t);
  const liannan = regions['连南瑶族自治县'];
  const finance = await t.as('finance', liannan);
  const infra = await t.as('infrastructure', liannan);
  const meCan = async (a: typeof finance) =>
    ((await a.get('/api/auth/me').expect(200)).body.can as string[]).includes(
      'project.edit.budget',
    );
  const name = '权限表测试幼儿园';
  const p = (
    await t
      .http()
      .post('/api/projects')
      .send({
        name,
        regionId: liannan,
        planYear: 2026,
        budgetWan: '100',
        plannedCompletion: '2026-12',
      })
      .expect(201)
  ).body as { id: number; version: number };
  const patch = async (a: typeof finance, budgetWan: string) => {
    const { version } = (await t.http().get(`/api/projects/${p.id}`).expect(200)).body;
    const r = await a.patch(`/api/projects/${p.id}`).send({ version, budgetWan });
    return `${r.status} ${r.status === 200 ? r.body.budgetWan : r.body.code}`;
  };
  const patchFinance = await patch(finance, '120.5');
  const patchInfrastructure = await patch(infra, '130.25');
  const budgetAfter = (await t.http().get(`/api/projects/${p.id}`).expect(200)).body.budgetWan;
  // a fresh project for the import, its 资金测算 still the plan's (no revision)
  const q = (
    await t
      .http()
      .post('/api/projects')
      .send({
        name: `${name}二`,
        regionId: liannan,
        planYear: 2026,
        budgetWan: '100',
        plannedCompletion: '2026-12',
      })
      .expect(201)
  ).body as { name: string };
  const r = await infra
    .post('/api/imports/projects')
    .attach('file', await planTable(q.name, 150), '规划表.xlsx')
    .field('regionId', String(liannan))
    .field('dryRun', 'true');
  const importRow = JSON.stringify({
    status: r.status,
    rows: (r.body.rows ?? []).map((x: { action: string; changes: { budgetWan?: unknown } }) => [
      x.action,
      x.changes.budgetWan ?? null,
    ]),
    errors: (r.body.errors ?? []).map((e: { code: string; message: string }) => [
      e.code,
      e.message,
    ]),
  });
  return {
    meFinance: await meCan(finance),
    meInfrastructure: await meCan(infra),
    patchFinance,
    patchInfrastructure,
    budgetAfter,
    importRow,
  };
}

describe('one permission table: a rule moved in a copy moves the API, the import and the web', () => {
  it('as shipped: 计财股 edits 资金测算, 基建股 may not (API, import, me)', async () => {
    const t = await createTestApp();
    try {
      expect(await observe(t)).toEqual({
        meFinance: true,
        meInfrastructure: false,
        patchFinance: '200 120.50',
        patchInfrastructure: '403 FORBIDDEN_BUDGET',
        budgetAfter: '120.50',
        importRow: JSON.stringify({
          status: 200,
          rows: [['invalid', null]],
          errors: [
            [
              'FORBIDDEN_BUDGET',
              '工作表“规划表”第2行（资金测算）：已有项目的资金测算100.00万元改为150.00万元，须由计财股或管理员导入',
            ],
          ],
        }),
      });
    } finally {
      await t.close();
    }
  });

  it('with project.edit.budget moved to 基建股 in a copy: the same calls answer the other way', async () => {
    expect(PERMISSIONS['project.edit.budget'].roles).toEqual(['admin', 'finance']);
    const t = await createTestApp({ permissions: MOVED });
    try {
      expect(await observe(t)).toEqual({
        meFinance: false,
        meInfrastructure: true,
        // neither of PATCH's actions is finance's now: the guard refuses
        patchFinance: '403 FORBIDDEN',
        patchInfrastructure: '200 130.25',
        budgetAfter: '130.25',
        importRow: JSON.stringify({
          status: 200,
          rows: [['update', { old: '100.00', new: '150.00' }]],
          errors: [],
        }),
      });
      // the rest of the table is as shipped: 基建股 still may not write funding lines
      const regions = await regionIds(t);
      const infra = await t.as('infrastructure', regions['连南瑶族自治县']);
      const me = (await infra.get('/api/auth/me').expect(200)).body;
      expect(me.can).toEqual([
        'project.create',
        'project.edit.data',
        'project.edit.budget',
        'project.archive',
        'progress.file',
        'progress.withdraw',
        'milestone.edit',
        'import.run',
        'alert.scan',
        'alert.ack',
        'submission.submit',
        'submission.review',
        'submission.remind',
        'attachment.upload',
      ]);
    } finally {
      await t.close();
    }
  });
});
