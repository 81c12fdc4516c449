import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, regionIds, TEST_NOW, TestApp } from '../support/app';
import {
  projectIdOf,
  screenshot,
  signedInPage,
  startApp,
  stopApp,
  unavailable,
  settled,
} from './browser';

/**
 * Every request matching `url` answers 503 服务暂时不可用 until the function returned is called (a
 * screen may ask more than once: 首页's early ask of a page load, the regions each load).
 */
async function failing(page: Page, url: RegExp): Promise<() => Promise<void>> {
  await page.route(url, unavailable);
  return () => page.unroute(url, unavailable);
}

/** What the printed page says: its header's title and facts (打印时间 left off), and the bar's words. */
async function onPaper(page: Page) {
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  const paper = await page.evaluate(() => {
    const head = document.querySelector<HTMLElement>('[data-print="header"]');
    const bar = document.querySelector<HTMLElement>('[data-load-failed]');
    const shown = !!head && head.getClientRects().length > 0;
    return {
      title: shown ? head.querySelector<HTMLElement>('.print-title')!.innerText : null,
      facts: shown ? head.querySelector<HTMLElement>('.facts')!.innerText : null,
      headFirst:
        !!head && !!bar && !!(head.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING),
      bar: bar && bar.getClientRects().length > 0 ? bar.innerText : null,
    };
  });
  const stamp = / 打印时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
  expect(paper.facts).toMatch(stamp);
  return { ...paper, facts: paper.facts?.replace(stamp, '') ?? null };
}

/** The words beside 查询 saying the form holds a pick not applied (null: no such place). */
const hinted = (page: Page) =>
  page.evaluate(() => document.querySelector('[data-not-applied]')?.textContent ?? null);

/**
 * A printed page after a failed load still says what was asked for (资金管理, 预警中心, and 首页 when the
 * regions cannot be read either); a value picked in a search form and not applied by 查询 stays in
 * the form through a tab, a page or a project, said beside 查询, while the screen keeps showing what
 * it loaded. Debian's Chromium, zh-CN, 1366×768.
 */
describe('print headers after a failed load, and picks not yet applied', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let county: number;
  const PASSWORD = 'User-Pass-123';
  const today = TEST_NOW.slice(0, 10);
  const FAILED = '服务暂时不可用，当前页面未显示数据。';

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    county = (await regionIds(t))['连南瑶族自治县'];
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  const signedIn = (username: string, password = PASSWORD) =>
    signedInPage(browser, base, username, password);

  it('资金管理 printed after a failed load: 资金管理, the day and the region asked for, above the failure', async () => {
    await t.as('finance', county, 'ln.zijin.dayin');
    const { ctx, page } = await signedIn('ln.zijin.dayin');
    await failing(page, /\/api\/funding\/summary\?/);
    await page.goto('/funding?asOf=2026-11-18');
    await page.locator('[data-load-failed]').waitFor();
    await settled(page);
    expect(await onPaper(page)).toEqual({
      title: '资金管理',
      facts: '地区：连南瑶族自治县 截至：2026-11-18',
      headFirst: true,
      bar: FAILED,
    });
    await screenshot(page, '40-funding-load-failed-print');
    await ctx.close();

    // an officer over several regions who asked for one, by name and day, while the network fails
    const admin = await signedIn('admin', ADMIN_PASSWORD);
    await admin.page.route(/\/api\/funding\/summary\?/, (r) => r.abort('internetdisconnected'));
    await admin.page.goto(`/funding?regionId=${county}&q=中学`);
    await admin.page.locator('[data-load-failed]').waitFor();
    await settled(admin.page);
    const paper = await onPaper(admin.page);
    expect([paper.title, paper.facts, paper.headFirst]).toEqual([
      '资金管理',
      `地区：连南瑶族自治县 截至：${today} 项目名称：中学`,
      true,
    ]);
    await admin.ctx.close();
  });

  it('预警中心 printed after a failed load: 预警中心, the region, the day, the tab and 处理状态 asked for, above the failure', async () => {
    await t.as('infrastructure', county, 'ln.yujing.dayin');
    const { ctx, page } = await signedIn('ln.yujing.dayin');
    await failing(page, /\/api\/alerts\?/);
    await page.goto('/alerts?severity=yellow&state=open');
    await page.locator('[data-load-failed]').waitFor();
    await settled(page);
    expect(await onPaper(page)).toEqual({
      title: '预警中心',
      facts: `地区：连南瑶族自治县 截至：${today} 预警等级：黄色预警 处理状态：未确认`,
      headFirst: true,
      bar: FAILED,
    });
    await screenshot(page, '40-alerts-load-failed-print');
    await page.emulateMedia({ media: 'screen' });
    // a past day: that day (no 处理状态: the conditions as they were then)
    await page.goto('/alerts?asOf=2026-11-18&kind=stale_report');
    await page.locator('[data-load-failed]').waitFor();
    await settled(page);
    const past = await onPaper(page);
    expect([past.title, past.facts, past.bar]).toEqual([
      '预警中心',
      '地区：连南瑶族自治县 截至：2026-11-18 预警等级：红色预警 预警类型：进度未按时填报',
      FAILED,
    ]);
    await ctx.close();
  });

  it('首页 printed when its figures and the regions both fail: the region asked for in words, never 地区：—', async () => {
    await t.as('viewer', county, 'ln.shouye.dayin');
    const { ctx, page } = await signedIn('ln.shouye.dayin');
    await failing(page, /\/api\/dashboard\?/);
    const regionsBack = await failing(page, /\/api\/regions(\?|$)/);
    await page.goto('/?asOf=2026-11-18');
    await page.locator('[data-load-failed]').waitFor();
    await settled(page);
    expect(await onPaper(page)).toEqual({
      title: '学校建设项目概况',
      facts: '地区：本账号所属地区（地区名称未能读取） 截至：2026-11-18',
      headFirst: true,
      bar: FAILED,
    });
    await screenshot(page, '41-dashboard-regions-failed-print');
    await page.emulateMedia({ media: 'screen' });
    // the regions read again (地区's 重试): the header names the region
    await regionsBack();
    await page.locator('[data-regions-failed]').getByRole('button', { name: '重试' }).click();
    await page.locator('[data-regions-failed]').waitFor({ state: 'detached' });
    const named = await onPaper(page);
    expect([named.title, named.facts]).toEqual([
      '连南瑶族自治县学校建设项目概况',
      '地区：连南瑶族自治县 截至：2026-11-18',
    ]);
    await ctx.close();

    // a province officer who asked for a county in the URL: that it was a chosen region
    await t.as('viewer', 1, 'sheng.shouye.dayin');
    const province = await signedIn('sheng.shouye.dayin');
    await failing(province.page, /\/api\/dashboard\?/);
    await failing(province.page, /\/api\/regions(\?|$)/);
    await province.page.goto(`/?asOf=2026-11-17&regionId=${county}`);
    await province.page.locator('[data-load-failed]').waitFor();
    await settled(province.page);
    const chosen = await onPaper(province.page);
    expect([chosen.title, chosen.facts]).toEqual([
      '学校建设项目概况',
      '地区：所选地区（地区名称未能读取） 截至：2026-11-17',
    ]);
    await province.ctx.close();
  });

  it('预警中心: a day picked without 查询 stays in the picker through a tab, said beside 查询; the rows stay today’s', async () => {
    await t.http().post('/api/alerts/scan').expect(200);
    await t.as('infrastructure', county, 'ln.yujing.weicx');
    const { ctx, page } = await signedIn('ln.yujing.weicx');
    await page.goto('/alerts');
    await settled(page);
    const day = page.getByLabel('截至日期');
    await day.fill('2026-03-31');
    await day.press('Enter');
    await page.keyboard.press('Escape');
    // a tab: the URL's filters (no day), the pick kept in the picker and still said unapplied
    await page.locator('[data-tab="yellow"]').click();
    await page.waitForURL(/severity=yellow/);
    await settled(page);
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(null);
    expect(await page.getByText('显示 2026-03-31 当日的预警情况').count()).toBe(0);
    expect(await day.inputValue()).toBe('2026-03-31');
    expect(await hinted(page)).toBe('已选条件尚未查询');
    await screenshot(page, '42-alerts-pick-kept-through-tab');
    // 处理状态 too
    await page.getByRole('radio', { name: '已解除' }).click({ force: true });
    await page.waitForURL(/state=resolved/);
    await settled(page);
    expect(await day.inputValue()).toBe('2026-03-31');
    // 查询 applies it: the hint goes
    await page.locator('.search').getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/asOf=2026-03-31/);
    await page.getByText('显示 2026-03-31 当日的预警情况').waitFor();
    expect(await hinted(page)).toBe('');
    await ctx.close();
  });

  it('资金管理: a day and a name typed without 查询 stay through another project’s 资金明细 and a page; the list stays the loaded one', async () => {
    await t.as('finance', county, 'ln.zijin.weicx');
    const { ctx, page } = await signedIn('ln.zijin.weicx');
    const project = await projectIdOf(t, '大坪镇中心幼儿园');
    await page.goto(`/funding?projectId=${project}`);
    const list = page.locator('.panel', { has: page.locator('h3', { hasText: '项目资金明细' }) });
    await list.locator('.el-table__row').first().waitFor();
    await settled(page);
    const day = page.getByLabel('截至日期');
    const name = page.getByPlaceholder('请输入项目名称');
    await day.fill('2026-11-20');
    await day.press('Enter');
    await page.keyboard.press('Escape');
    await name.fill('小学');
    const rowsBefore = await list.locator('.el-table__row').count();
    await list
      .locator('.el-table__row')
      .filter({ hasNotText: '大坪镇中心幼儿园' })
      .first()
      .getByRole('button', { name: '资金明细' })
      .click();
    await page.waitForURL((u) => u.searchParams.get('projectId') !== String(project));
    await settled(page);
    const url = new URL(page.url()).searchParams;
    expect([url.get('asOf'), url.get('q')]).toEqual([null, null]);
    expect([await day.inputValue(), await name.inputValue()]).toEqual(['2026-11-20', '小学']);
    expect(await hinted(page)).toBe('已选条件尚未查询');
    expect(await page.locator('h3', { hasText: '资金汇总' }).innerText()).toBe(
      `资金汇总（截至 ${today}，单位：万元）`,
    );
    expect(await list.locator('.el-table__row').count()).toBe(rowsBefore);
    // a page, where there is one
    const next = list.locator('.el-pagination .btn-next');
    if (await next.isEnabled()) {
      await next.click();
      await page.waitForURL((u) => u.searchParams.get('page') === '2');
      await settled(page);
      expect([await day.inputValue(), await name.inputValue()]).toEqual(['2026-11-20', '小学']);
      expect(new URL(page.url()).searchParams.get('q')).toBe(null);
    }
    await screenshot(page, '42-funding-pick-kept-through-project');
    await ctx.close();
  });

  it('项目台账: a 学段 picked without 查询 is not applied by a page and stays in its select', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    await page.goto('/projects?pageSize=10');
    await page.locator('.el-table__row').first().waitFor();
    await settled(page);
    const total = () => page.locator('.el-pagination__total').innerText();
    const all = await total();
    const stage = page.locator('.search .el-form-item', { hasText: '学段' });
    await stage.locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '幼儿园' }).click();
    const picked = () => stage.locator('.el-select__selected-item:not(.is-hidden)').innerText();
    expect(await picked()).toBe('幼儿园');
    await page.locator('.el-pagination .btn-next').click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await settled(page);
    // the page of the list shown (not filtered by the pick), the pick still in its select
    expect(new URL(page.url()).searchParams.get('stage') ?? '').toBe('');
    expect(await total()).toBe(all);
    expect(await picked()).toBe('幼儿园');
    expect(await hinted(page)).toBe('已选条件尚未查询');
    await screenshot(page, '42-projects-pick-kept-through-page');
    // 查询 applies it
    await page.locator('.search').getByRole('button', { name: '查询' }).click();
    await page.waitForURL((u) => u.searchParams.get('stage') === 'kindergarten');
    await settled(page);
    expect(await total()).not.toBe(all);
    expect(await hinted(page)).toBe('');
    await ctx.close();
  });
});
