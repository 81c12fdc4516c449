import ExcelJS from 'exceljs';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Agent, createTestApp, TestApp, workbookAt } from '../support/app';

const text = (v: ExcelJS.CellValue): string =>
  v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '');

/** A project's row of a sheet, by header: { 状态: '在建', … }. */
function rowOf(ws: ExcelJS.Worksheet, name: string): Record<string, string> | null {
  let headers: string[] | null = null;
  let found: Record<string, string> | null = null;
  ws.eachRow((r) => {
    const cells = Array.from(r.values as ExcelJS.CellValue[], text);
    if (!headers && cells.includes('状态') && cells.includes('学校名称')) headers = cells;
    else if (headers && !found && cells.includes(name))
      found = Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
  });
  return found;
}

/** 本月变动's business rows as "项目|事项|内容". */
function changeTexts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((r) => out.push([2, 4, 5].map((c) => text(r.getCell(c).value)).join('|')));
  return out;
}

interface ProjectBody {
  id: number;
  name: string;
  regionId: number;
  status: string;
  progressPercent: number | null;
  investmentCompletedWan: string | null;
  lastReportedOn: string | null;
  budgetWan: string | null;
  nextStatuses: string[];
}

/**
 * 更正 (issue 30, point 5): a withdrawn progress report or budget revision stays in the history,
 * marked 已撤回, and counts nowhere from then on.
 */
describe('withdrawing a progress report or a budget revision', () => {
  let t: TestApp;
  let admin: Agent;
  let p0: ProjectBody;
  let author: Agent & { userId: number };
  let colleague: Agent & { userId: number };
  let finance: Agent & { userId: number };
  let stranger: Agent & { userId: number };
  let viewer: Agent & { userId: number };
  let reportId: number;
  const today = '2026-12-02';
  const filedOn = '2026-12-01';

  const project = async () =>
    (await admin.get(`/api/projects/${p0.id}`).expect(200)).body as ProjectBody;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.http();
    const regions = (await admin.get('/api/regions').expect(200)).body as {
      id: number;
      level: string;
    }[];
    const [county, other] = regions.filter((r) => r.level === 'county');
    // a project under construction whose latest report is late (进度未按时填报) by today
    const created = (
      await admin
        .post('/api/projects')
        .send({
          name: '更正测试学校',
          regionId: county.id,
          planYear: 2026,
          budgetWan: '5000.5',
          plannedCompletion: '2027-08',
        })
        .expect(201)
    ).body;
    await admin
      .post(`/api/projects/${created.id}/progress`)
      .send({
        reportedOn: '2026-09-15',
        status: 'under_construction',
        progressPercent: 40,
        investmentCompletedWan: '1200.5',
      })
      .expect(201);
    p0 = (await admin.get(`/api/projects/${created.id}`).expect(200)).body;
    author = await t.as('infrastructure', p0.regionId, 'wd.author');
    colleague = await t.as('infrastructure', p0.regionId, 'wd.colleague');
    finance = await t.as('finance', p0.regionId, 'wd.finance');
    viewer = await t.as('viewer', p0.regionId, 'wd.viewer');
    stranger = await t.as('infrastructure', other.id, 'wd.stranger');
  });
  afterAll(() => t.close());

  // one narrative: the monthly report, who may withdraw and the audit read what the earlier steps
  // wrote, so that the file passes in any test order
  it('a filed report moves the figures and blocks an earlier date; withdrawn, it counts nowhere: the monthly report reads without it, who may withdraw, audited as 撤回', async () => {
    {
      expect([p0.status, p0.progressPercent, p0.lastReportedOn]).toEqual([
        'under_construction',
        40,
        '2026-09-15',
      ]);
      const before = (await admin.get(`/api/projects/${p0.id}/funding`).expect(200)).body;
      const dashBefore = (await admin.get(`/api/dashboard?asOf=${today}`).expect(200)).body;
      const lateBefore = (
        await admin.get(`/api/alerts?asOf=${today}&kind=stale_report&pageSize=200`).expect(200)
      ).body.items as { projectId: number }[];
      expect(lateBefore.map((a) => a.projectId)).toContain(p0.id);
      const due = (d: { dueReports: { items: { projectId: number; lastReportedOn: string }[] } }) =>
        d.dueReports.items.find((x) => x.projectId === p0.id);

      const filed = await author
        .post(`/api/projects/${p0.id}/progress`)
        .send({
          reportedOn: filedOn,
          status: 'suspended',
          progressPercent: 77,
          investmentCompletedWan: '98765.4321',
          note: '填错的一次',
        })
        .expect(201);
      reportId = filed.body.id;
      const after = await project();
      expect([after.status, after.progressPercent, after.lastReportedOn]).toEqual([
        'suspended',
        77,
        filedOn,
      ]);
      expect(after.investmentCompletedWan).toBe('98765.4321');
      // the slip blocks back-dating
      const blocked = await author
        .post(`/api/projects/${p0.id}/progress`)
        .send({ reportedOn: '2026-11-25', status: 'under_construction', progressPercent: 50 })
        .expect(400);
      expect(JSON.stringify(blocked.body)).toContain('REPORT_BEFORE_LATEST');
      const lateFiled = (
        await admin.get(`/api/alerts?asOf=${today}&kind=stale_report&pageSize=200`).expect(200)
      ).body.items as { projectId: number }[];
      expect(lateFiled.map((a) => a.projectId)).not.toContain(p0.id);

      // withdrawn by an officer of the author's role and region
      const w = await colleague
        .post(`/api/projects/${p0.id}/progress/${reportId}/withdraw`)
        .send({ reason: '填报日期与进度填错' })
        .expect(200);
      expect(w.body).toMatchObject({ id: reportId, reportedOn: filedOn, progressPercent: 77 });

      // GET project: back to the state before the slip, exactly
      const back = await project();
      expect([
        back.status,
        back.progressPercent,
        back.lastReportedOn,
        back.investmentCompletedWan,
      ]).toEqual([p0.status, p0.progressPercent, p0.lastReportedOn, p0.investmentCompletedWan]);
      // the funding summary's status as of today
      const fundingAfter = (await admin.get(`/api/projects/${p0.id}/funding`).expect(200)).body;
      expect(fundingAfter.summary).toEqual(before.summary);
      expect(fundingAfter.summary.status).toBe('under_construction');
      // the dashboard
      const dashAfter = (await admin.get(`/api/dashboard?asOf=${today}`).expect(200)).body;
      expect(dashAfter.seats).toEqual(dashBefore.seats);
      expect(due(dashAfter)).toEqual(due(dashBefore));
      expect(due(dashAfter)?.lastReportedOn).toBe(p0.lastReportedOn);
      // the alerts: as of today, and the stored ones after a scan
      const lateAfter = (
        await admin.get(`/api/alerts?asOf=${today}&kind=stale_report&pageSize=200`).expect(200)
      ).body.items as { projectId: number }[];
      expect(lateAfter.map((a) => a.projectId)).toContain(p0.id);
      await admin.post(`/api/alerts/scan?asOf=${today}`).expect(200);
      const stored = (
        await admin.get(`/api/alerts?kind=stale_report&state=open&pageSize=200`).expect(200)
      ).body.items as { projectId: number }[];
      expect(stored.map((a) => a.projectId)).toContain(p0.id);
      // the history keeps it, marked
      const history = (await admin.get(`/api/projects/${p0.id}/progress`).expect(200)).body.items;
      expect(history[0]).toMatchObject({
        id: reportId,
        withdrawn: true,
        withdrawnBy: 'wd.colleague',
        withdrawReason: '填报日期与进度填错',
      });
      expect(history[0].withdrawnAt.slice(0, 10)).toBe(t.now().toISOString().slice(0, 10));
      expect(history.slice(1).every((r: { withdrawn: boolean }) => !r.withdrawn)).toBe(true);
      // no longer blocks an earlier date
      const earlier = await author
        .post(`/api/projects/${p0.id}/progress`)
        .send({ reportedOn: '2026-11-25', status: 'under_construction', progressPercent: 50 })
        .expect(201);
      expect((await project()).lastReportedOn).toBe('2026-11-25');
      expect(earlier.body.reportedOn).toBe('2026-11-25');
    }
    // the monthly report reads without it: 进度与资金 as before, 本月变动 says 更正
    {
      const wb = await workbookAt(admin, '/api/reports/monthly?month=2026-12');
      const row = rowOf(wb.getWorksheet('进度与资金')!, p0.name)!;
      expect(row['状态']).toBe('在建');
      expect(row['形象进度']).toBe('0.5');
      expect(row['最近填报']).toBe('2026-11-25');
      const changes = changeTexts(wb.getWorksheet('本月变动')!);
      expect(changes).toContain(
        `${p0.name}|更正|撤回 ${filedOn} 进度填报（暂停，形象进度 77%），原因：填报日期与进度填错`,
      );
      // the withdrawn report itself is no business of the month (录入更正 below still lists what was typed)
      const business = changes.slice(0, changes.indexOf('项目名称|操作|变更内容（原值 → 新值）'));
      expect(business.filter((c) => c.includes('77%'))).toHaveLength(1);
      expect(business.some((c) => c.startsWith(`${p0.name}|状态变更|在建 → 暂停`))).toBe(false);
      const typed = changes.slice(business.length);
      expect(typed.find((c) => c.startsWith(`${p0.name}|撤回进度填报|`))).toMatch(
        /撤回人：（空） → wd\.colleague；撤回原因：（空） → 填报日期与进度填错；状态：暂停 → 在建；形象进度：77% → 40%；累计完成投资：98,765.43万元 → 1,200.50万元；最近填报日期：2026-12-01 → 2026-09-15$/,
      );
    }
    // who may withdraw: the author, the same role and region, admin; 403 in scope, 404 out
    {
      const file = async (percent: number) =>
        (
          await author
            .post(`/api/projects/${p0.id}/progress`)
            .send({ reportedOn: today, status: 'under_construction', progressPercent: percent })
            .expect(201)
        ).body.id as number;
      const id = await file(60);
      const url = `/api/projects/${p0.id}/progress/${id}/withdraw`;
      const no = await finance.post(url).send({ reason: '不是我的' }).expect(403);
      expect(no.body.code).toBe('FORBIDDEN');
      await viewer.post(url).send({ reason: '不是我的' }).expect(403);
      await stranger.post(url).send({ reason: '不是我的' }).expect(404);
      // the reason is required, and not blank
      await author.post(url).send({}).expect(400);
      await author.post(url).send({ reason: '   ' }).expect(400);
      await author
        .post(`/api/projects/${p0.id}/progress/999999/withdraw`)
        .send({ reason: '无' })
        .expect(404);
      // the author
      await author.post(url).send({ reason: '重复填报' }).expect(200);
      const again = await author.post(url).send({ reason: '重复填报' }).expect(400);
      expect(JSON.stringify(again.body)).toContain('ALREADY_WITHDRAWN');
      // admin
      const id2 = await file(61);
      await admin
        .post(`/api/projects/${p0.id}/progress/${id2}/withdraw`)
        .send({ reason: '管理员更正' })
        .expect(200);
      expect((await project()).progressPercent).toBe(50);
      // a report filed by admin: another officer of the county is not of its author's role
      const byAdmin = (
        await admin
          .post(`/api/projects/${p0.id}/progress`)
          .send({ reportedOn: today, status: 'under_construction', progressPercent: 62 })
          .expect(201)
      ).body.id;
      const refused = await colleague
        .post(`/api/projects/${p0.id}/progress/${byAdmin}/withdraw`)
        .send({ reason: '试试' })
        .expect(403);
      expect(refused.body.code).toBe('FORBIDDEN_WITHDRAW');
      expect(refused.body.message).toBe('只有填报人本人、本地区同角色人员或管理员可以撤回这次填报');
    }
    // audited as 撤回
    const rows = await t.db.read
      .getRepository(AuditLog)
      .find({ where: { action: 'withdraw', entity: 'progress_report' }, order: { id: 'ASC' } });
    const report = rows.find((r) => r.entityId === reportId)!;
    expect(report.actorName).toBe('wd.colleague');
    expect(report.projectId).toBe(p0.id);
    expect(report.changes.withdrawReason).toEqual({ old: null, new: '填报日期与进度填错' });
    expect(report.changes.status).toEqual({ old: 'suspended', new: 'under_construction' });
    expect(report.changes.lastReportedOn).toEqual({ old: '2026-12-01', new: '2026-09-15' });
    expect(rows).toHaveLength(3);
    const trail = (
      await admin
        .get(`/api/audit?entity=progress_report&entityId=${reportId}&pageSize=50`)
        .expect(200)
    ).body.items as { action: string; actionLabel?: string }[];
    expect(trail.map((e) => e.action)).toContain('withdraw');
  });

  it('a budget revision withdrawn: the budget in force is the latest one left, exactly', async () => {
    const base = (await project()).budgetWan;
    const summaryBudget = async () =>
      (await admin.get(`/api/projects/${p0.id}/funding`).expect(200)).body.summary.budgetWan;
    const budgetBefore = await summaryBudget();
    const first = (
      await finance
        .post(`/api/projects/${p0.id}/budget-revisions`)
        .send({ effectiveOn: '2026-11-20', budgetWan: '12345.678901', reason: '初设批复' })
        .expect(201)
    ).body;
    const second = (
      await finance
        .post(`/api/projects/${p0.id}/budget-revisions`)
        .send({ effectiveOn: '2026-12-01', budgetWan: '99999.99', reason: '录错的调整' })
        .expect(201)
    ).body;
    expect((await project()).budgetWan).toBe('99999.99');
    const url = `/api/projects/${p0.id}/budget-revisions/${second.id}/withdraw`;
    await author.post(url).send({ reason: '不是计财股' }).expect(403);
    await finance.post(url).send({ reason: '' }).expect(400);
    const w = await finance.post(url).send({ reason: '金额录错' }).expect(200);
    expect(w.body).toMatchObject({
      id: second.id,
      withdrawn: true,
      withdrawnBy: 'wd.finance',
      withdrawReason: '金额录错',
      projectBudgetWan: '12345.678901',
    });
    expect((await project()).budgetWan).toBe('12345.678901');
    expect(await summaryBudget()).toBe('12345.678901');
    await finance.post(url).send({ reason: '金额录错' }).expect(400);
    await finance
      .post(`/api/projects/${p0.id}/budget-revisions/${first.id}/withdraw`)
      .send({ reason: '批复撤销' })
      .expect(200);
    expect((await project()).budgetWan).toBe(base);
    expect(await summaryBudget()).toBe(budgetBefore);
    const list = (await admin.get(`/api/projects/${p0.id}/budget-revisions`).expect(200)).body
      .items as { id: number; withdrawn: boolean; withdrawnBy: string | null }[];
    expect(list.filter((r) => r.withdrawn).map((r) => r.id)).toEqual([first.id, second.id]);
    // the original estimate stays
    const original = list.find((r) => !r.withdrawn)!;
    const refused = await finance
      .post(`/api/projects/${p0.id}/budget-revisions/${original.id}/withdraw`)
      .send({ reason: '试试' })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('BASE_BUDGET_NOT_WITHDRAWABLE');
    // 本月变动: 更正
    const wb = await workbookAt(admin, '/api/reports/monthly?month=2026-12');
    const changes = changeTexts(wb.getWorksheet('本月变动')!);
    expect(changes).toContain(
      `${p0.name}|更正|撤回 2026-12-01 概算调整（资金测算 99,999.99 万元），原因：金额录错`,
    );
    expect(changes.some((c) => c.includes('资金测算调整为 99,999.99'))).toBe(false);
    // both withdrawals audited as 撤回
    expect(
      (
        await t.db.read
          .getRepository(AuditLog)
          .find({ where: { action: 'withdraw', entity: 'budget_revision' }, order: { id: 'ASC' } })
      ).map((r) => [r.entityId, r.actorName]),
    ).toEqual([
      [second.id, 'wd.finance'],
      [first.id, 'wd.finance'],
    ]);
  });
});
