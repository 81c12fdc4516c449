import type { Browser, Page } from 'playwright-core';
import { TestApp } from '../support/app';
import { screenshot, signedInPage, startApp, stopApp } from './browser';

/**
 * Issue 30 points 3 and 4 in the browser (Chromium, zh-CN, 1366×768): a double click on 确定 in
 * 新增支付 records one payment; a 凭证号 already used on the project asks before saving; of two
 * tabs on one project, the stale one is refused, keeps what was typed and shows the newer report.
 */
describe('one write per click; a stale form cannot overwrite newer work', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let county: number;
  let projectId: number;

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    county = (await t.http().get('/api/regions').expect(200)).body.find(
      (r: { level: string; name: string }) => r.level === 'county' && r.name === '连南瑶族自治县',
    ).id;
    projectId = (
      await t
        .http()
        .post('/api/projects')
        .send({ name: '一次写入测试小学', regionId: county, planYear: 2026, budgetWan: '800.00' })
        .expect(201)
    ).body.id;
    await t
      .http()
      .post(`/api/projects/${projectId}/progress`)
      .send({ reportedOn: '2026-11-10', status: 'preparing', progressPercent: 0 })
      .expect(201);
    await t.as('finance', county, 'fin_once');
    await t.as('infrastructure', county, 'infra_once');
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  const payments = async () =>
    (await t.http().get(`/api/projects/${projectId}/payments`).expect(200)).body.items as {
      amountWan: string;
      reference: string | null;
    }[];

  async function openPayment(page: Page, amount: string, reference: string) {
    await page.getByRole('button', { name: '新增支付' }).click();
    const dlg = page.locator('.el-dialog').filter({ hasText: '新增支付记录' });
    await dlg.waitFor();
    const date = dlg.getByLabel('支付日期');
    await date.fill('2026-11-30');
    await date.press('Enter');
    await dlg
      .locator('.el-form-item')
      .filter({ hasText: '金额（万元）' })
      .locator('input')
      .fill(amount);
    await dlg
      .locator('.el-form-item')
      .filter({ hasText: '收款单位' })
      .locator('input')
      .fill('连南县建筑工程公司');
    await dlg
      .locator('.el-form-item')
      .filter({ hasText: '凭证号' })
      .locator('input')
      .fill(reference);
    return dlg;
  }

  it('double-clicking 确定 in 新增支付 records one payment; a used 凭证号 asks first', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'fin_once', 'User-Pass-123');
    await page.goto(`/projects/${projectId}`);
    await page.getByRole('tab', { name: '资金' }).click();
    let dlg = await openPayment(page, '120.50', '记-2026-118');
    await dlg.getByRole('button', { name: '确定' }).dblclick();
    await page.locator('.el-message--success').filter({ hasText: '已保存' }).waitFor();
    await dlg.waitFor({ state: 'hidden' });
    expect((await payments()).map((p) => `${p.amountWan} ${p.reference}`)).toEqual([
      '120.50 记-2026-118',
    ]);
    await page.locator('[data-sum="paid"]').filter({ hasText: '120.50' }).waitFor();

    // the same 凭证号 again: a warning before anything is saved
    dlg = await openPayment(page, '30', '记-2026-118');
    await dlg.getByRole('button', { name: '确定' }).click();
    const box = page.locator('.el-message-box').filter({ hasText: '凭证号重复' });
    await box.waitFor();
    expect(await box.innerText()).toContain(
      '该凭证号已用于本项目的其他支付记录：2026-11-30 连南县建筑工程公司 120.50万元。确定仍要保存吗？',
    );
    await screenshot(page, 'one-write-reference-used');
    await box.getByRole('button', { name: '返回修改' }).click();
    await box.waitFor({ state: 'hidden' });
    // nothing saved, the dialog still holds what was typed
    expect(await payments()).toHaveLength(1);
    expect(
      await dlg
        .locator('.el-form-item')
        .filter({ hasText: '金额（万元）' })
        .locator('input')
        .inputValue(),
    ).toBe('30');
    await ctx.close();
  });

  async function fillReport(page: Page, day: string, percent: string, note: string) {
    await page.getByRole('tab', { name: '进度填报' }).click();
    const form = page.locator('.report-form');
    // the status first: point 1 (another part of issue 30) owns the reset that opening it does
    await form
      .locator('.el-form-item')
      .filter({ hasText: '项目状态' })
      .locator('.el-select__wrapper')
      .click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '在建' }).click();
    const date = form.getByLabel('填报日期');
    await date.fill(day);
    await date.press('Enter');
    const pct = form.getByLabel('形象进度（%）');
    await pct.fill(percent);
    await pct.blur();
    await form.getByLabel('备注').fill(note);
    return form;
  }

  it('two tabs on one project: the stale one is refused, keeps its entries and shows the newer report', async () => {
    const { ctx, page: a } = await signedInPage(browser, base, 'infra_once', 'User-Pass-123');
    const b = await ctx.newPage();
    await b.clock.setFixedTime(new Date(Date.parse('2026-12-02T04:00:00.000Z')));
    await a.goto(`/projects/${projectId}`);
    await b.goto(`/projects/${projectId}`);
    await a.getByRole('tab', { name: '进度填报' }).waitFor();
    await b.getByRole('tab', { name: '进度填报' }).waitFor();

    const formA = await fillReport(a, '2026-11-20', '20', '主体结构封顶');
    await formA.getByRole('button', { name: '提交' }).click();
    await a.locator('.el-message--success').filter({ hasText: '进度已提交' }).waitFor();

    const formB = await fillReport(b, '2026-11-25', '10', '外墙施工中');
    await formB.getByRole('button', { name: '提交' }).click();
    const stale = b.locator('[data-test="stale-report"]');
    await stale.waitFor();
    expect(await stale.innerText()).toContain(
      '该项目已有更新的填报（2026-11-20 在建 20%），请刷新后再填',
    );
    expect(await stale.innerText()).toContain('更新的填报：2026-11-20 在建 20%，主体结构封顶');
    // what tab B typed is all still there
    expect(await formB.getByLabel('填报日期').inputValue()).toBe('2026-11-25');
    expect(await formB.getByLabel('形象进度（%）').inputValue()).toBe('10');
    expect(await formB.getByLabel('备注').inputValue()).toBe('外墙施工中');
    // and its 填报记录 shows the newer report
    await b.locator('.el-table__row:visible').filter({ hasText: '主体结构封顶' }).waitFor();
    await screenshot(b, 'one-write-stale-progress');
    const reports = (await t.http().get(`/api/projects/${projectId}/progress`).expect(200)).body
      .items as { reportedOn: string; progressPercent: number }[];
    expect(reports.map((r) => `${r.reportedOn} ${r.progressPercent}`)).toEqual([
      '2026-11-20 20',
      '2026-11-10 0',
    ]);

    // having seen it, tab B files on top of the newer report
    await formB.getByRole('button', { name: '提交' }).click();
    await b.locator('.el-message--success').filter({ hasText: '进度已提交' }).waitFor();
    const after = (await t.http().get(`/api/projects/${projectId}/progress`).expect(200)).body
      .items as { reportedOn: string; progressPercent: number }[];
    expect(after.map((r) => `${r.reportedOn} ${r.progressPercent}`)).toEqual([
      '2026-11-25 10',
      '2026-11-20 20',
      '2026-11-10 0',
    ]);
    await ctx.close();
  });
});
