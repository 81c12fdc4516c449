import type { Browser } from 'playwright-core';
import { TestApp } from '../support/app';
import { expectClean, screenshot, signedInPage, startApp, stopApp } from './browser';

/**
 * 更正 (issue 30, point 5) through the screens: a 基建股 officer withdraws a mistaken progress report
 * from 项目详情's 填报记录 (a reason is required), the row stays greyed and marked 已撤回 with who,
 * when and why, and the project is back to its previous report; 计财股 does the same for a budget
 * revision in 资金.
 */
describe('corrections: withdrawing through the screen', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let projectId: number;
  let slipId: number;
  let revisionId: number;

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    const admin = t.http();
    const regions = (await admin.get('/api/regions').expect(200)).body as {
      id: number;
      level: string;
    }[];
    const county = regions.find((r) => r.level === 'county')!;
    projectId = (
      await admin
        .post('/api/projects')
        .send({ name: '更正演示小学', regionId: county.id, planYear: 2026, budgetWan: '3000' })
        .expect(201)
    ).body.id;
    await admin
      .post(`/api/projects/${projectId}/progress`)
      .send({ reportedOn: '2026-09-15', status: 'under_construction', progressPercent: 40 })
      .expect(201);
    const officer = await t.as('infrastructure', county.id, 'jijian_wd');
    slipId = (
      await officer
        .post(`/api/projects/${projectId}/progress`)
        .send({ reportedOn: '2026-12-01', status: 'under_construction', progressPercent: 0 })
        .expect(201)
    ).body.id;
    const finance = await t.as('finance', county.id, 'caiwu_wd');
    revisionId = (
      await finance
        .post(`/api/projects/${projectId}/budget-revisions`)
        .send({ effectiveOn: '2026-12-01', budgetWan: '30000', reason: '多录了一个零' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  it('基建股 withdraws a report from 填报记录: reason required, the row stays marked 已撤回', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'jijian_wd', 'User-Pass-123');
    try {
      await page.goto(`/projects/${projectId}`);
      await page.getByRole('tab', { name: '进度填报' }).click();
      const rows = page.locator('.el-tab-pane:visible .el-table__body tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      // the newest first: the slip, 0 %
      const slip = rows.first();
      expect(await slip.locator('td').nth(2).innerText()).toBe('0');
      await slip.getByRole('button', { name: '撤回' }).click();
      const dialog = page.getByRole('dialog', { name: '撤回进度填报' });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('2026-12-01 在建，形象进度 0%');
      // no reason: a message under the field, nothing sent
      await dialog.getByRole('button', { name: '确定撤回' }).click();
      await dialog.getByText('请填写撤回原因').waitFor();
      await screenshot(page, 'corrections-withdraw-report-dialog');
      await page.evaluate(() => document.documentElement.classList.add('large-text'));
      await screenshot(page, 'corrections-withdraw-report-dialog-large');
      await page.evaluate(() => document.documentElement.classList.remove('large-text'));
      const still = (await t.http().get(`/api/projects/${projectId}`).expect(200)).body;
      expect([still.progressPercent, still.lastReportedOn]).toEqual([0, '2026-12-01']);

      await dialog.getByLabel('撤回原因').fill('误选了项目状态，形象进度被清零');
      await dialog.getByRole('button', { name: '确定撤回' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText('已撤回：jijian_wd').waitFor();
      const first = rows.first();
      expect(await first.getAttribute('class')).toContain('withdrawn-row');
      expect(await first.innerText()).toContain('撤回原因：误选了项目状态，形象进度被清零');
      expect(await first.getByRole('button', { name: '撤回' }).count()).toBe(0);
      // the other report is the project's state again
      expect(await rows.nth(1).getAttribute('class')).not.toContain('withdrawn-row');
      const back = (await t.http().get(`/api/projects/${projectId}`).expect(200)).body;
      expect([back.progressPercent, back.lastReportedOn]).toEqual([40, '2026-09-15']);
      await screenshot(page, 'corrections-report-withdrawn');
      await expectClean(page, '填报记录 with a withdrawn report', ['jijian_wd', 'admin']);
      const history = (await t.http().get(`/api/projects/${projectId}/progress`).expect(200)).body
        .items;
      expect(history[0]).toMatchObject({ id: slipId, withdrawn: true, withdrawnBy: 'jijian_wd' });
    } finally {
      await ctx.close();
    }
  });

  it('计财股 withdraws a budget revision in 资金: the budget in force is the one before', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'caiwu_wd', 'User-Pass-123');
    try {
      await page.goto(`/projects/${projectId}`);
      await page.getByRole('tab', { name: '资金' }).click();
      await page.locator('[data-sum="budget"]').getByText('30,000.00').waitFor();
      const row = page.locator('.funding .el-table__body tr', { hasText: '多录了一个零' });
      await row.getByRole('button', { name: '撤回' }).click();
      const dialog = page.getByRole('dialog', { name: '撤回概算调整' });
      await dialog.waitFor();
      await dialog.getByLabel('撤回原因').fill('金额多录了一个零');
      await screenshot(page, 'corrections-withdraw-revision-dialog');
      await dialog.getByRole('button', { name: '确定撤回' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('[data-sum="budget"]').getByText('3,000.00').waitFor();
      expect(await row.getAttribute('class')).toContain('withdrawn-row');
      expect(await row.innerText()).toContain('撤回原因：金额多录了一个零');
      await screenshot(page, 'corrections-revision-withdrawn');
      const revs = (await t.http().get(`/api/projects/${projectId}/budget-revisions`).expect(200))
        .body.items as { id: number; withdrawn: boolean }[];
      expect(revs.find((r) => r.id === revisionId)?.withdrawn).toBe(true);
      expect((await t.http().get(`/api/projects/${projectId}`).expect(200)).body.budgetWan).toBe(
        '3000.00',
      );
    } finally {
      await ctx.close();
    }
  });
});
