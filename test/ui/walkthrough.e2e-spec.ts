import type { Browser, Page } from 'playwright-core';
import { regionIds, TEST_NOW, TestApp } from '../support/app';
import {
  expectClean,
  projectIdOf,
  screenshot,
  signedInPage,
  startApp,
  stopApp,
  settled,
} from './browser';

/** The page's URL query, as an object. */
const queryOf = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

/**
 * The page on paper: each table printed with the column headers paper shows, and its rows as their
 * cells' words. `prepared`: Ctrl+P as Chromium does it (beforeprint: each table gets its one-table
 * copy, web/src/print.ts); otherwise print media alone — the screen's own tables as paper lays them
 * out, as when the copies are missing (a browser that printed without beforeprint, a table drawn again
 * after it): the print styles alone must leave the buttons' columns off.
 */
async function onPaper(
  page: Page,
  prepared = true,
): Promise<{ heads: string[]; rows: string[][] }[]> {
  if (prepared) await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  return page.evaluate(() => {
    const shown = (e: Element) => e.getClientRects().length > 0;
    const cells = (tr: Element) =>
      [...tr.children].filter(shown).map((c) => (c as HTMLElement).innerText.trim());
    return [...document.querySelectorAll('table.print-copy, .el-table')].filter(shown).map((t) => ({
      heads: [...t.querySelectorAll('thead tr:last-child')].flatMap(cells),
      rows: [...t.querySelectorAll('tbody tr')].filter(shown).map(cells),
    }));
  });
}
async function offPaper(page: Page) {
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
}

/**
 * What a new officer's walk-through of the screens found: 预警中心 on a past day says its 处理状态 does
 * not apply (and the URL stops naming it), 首页's due-reports card no longer reads as a second 截至, and
 * 审核 and 资金管理 print no column that holds only buttons. Debian's Chromium, zh-CN, 1366×768.
 */
describe('a new officer’s walk-through', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let county: number;
  let city: number;
  const PASSWORD = 'User-Pass-123';

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    const regions = await regionIds(t);
    county = regions['连南瑶族自治县'];
    city = regions['清远市'];
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  const signedIn = (username: string) => signedInPage(browser, base, username, PASSWORD);

  it('预警中心: a past 截至日期 leaves 处理状态 out of the URL and says it does not apply; today has the default again', async () => {
    await t.http().post('/api/alerts/scan').expect(200);
    await t.as('infrastructure', county, 'ln.yujing.guoqu');
    const { ctx, page } = await signedIn('ln.yujing.guoqu');
    await page.goto('/alerts');
    await settled(page);
    const states = page.getByRole('radiogroup', { name: '处理状态' });
    const banner = page.locator('[data-past]');
    const pastTitle = '显示 2026-11-20 当日的预警情况（按当日数据计算，仅供查看）';
    const pastWords =
      '处理状态不适用于过去的日期：当日的预警情况按当日数据计算，没有确认、解除之分，按处理状态筛选不起作用。清空截至日期并查询，可按处理状态查看当前预警。';
    const says = async () => [
      await banner.locator('.el-alert__title').innerText(),
      await banner.locator('.el-alert__description').innerText(),
    ];
    // 已解除 chosen, then a past day applied by 查询
    await states.getByRole('radio', { name: '已解除' }).click({ force: true });
    await page.waitForURL(/state=resolved/);
    await settled(page);
    const day = page.getByLabel('截至日期');
    await day.fill('2026-11-20');
    await day.press('Enter');
    await page.keyboard.press('Escape');
    const asked = page.waitForRequest(/\/api\/alerts\?/);
    await page.locator('.search').getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/asOf=2026-11-20/);
    const sent = new URL((await asked).url()).searchParams;
    expect([sent.get('asOf'), sent.get('state')]).toEqual(['2026-11-20', null]);
    await settled(page);
    // the URL says what is shown: the day, no 处理状态; the banner says why there is none
    expect(queryOf(page)).toEqual({ asOf: '2026-11-20', severity: 'red' });
    expect(await says()).toEqual([pastTitle, pastWords]);
    expect(await states.count()).toBe(0);
    await expectClean(page, '预警中心（过去的日期）', ['ln.yujing.guoqu']);
    await screenshot(page, 'walk-01-alerts-past-day-no-state');
    // on paper too: the header names no 处理状态, the banner says it does not apply
    await onPaper(page);
    const paper = await page.evaluate(() => ({
      facts: document.querySelector<HTMLElement>('[data-print="header"] .facts')!.innerText,
      banner: document.querySelector<HTMLElement>('[data-past]')!.innerText,
    }));
    expect(paper.facts).toMatch(
      /^地区：连南瑶族自治县 截至：2026-11-20 预警等级：红色预警 打印时间：/,
    );
    expect(paper.banner.split(/\n+/)).toEqual([pastTitle, pastWords]);
    await offPaper(page);

    // an older link naming both (a bookmark): put right before it loads, the same banner
    await page.goto('/alerts?asOf=2026-11-20&severity=red&state=resolved');
    await page.waitForURL((u) => !u.searchParams.has('state'));
    await banner.waitFor();
    await settled(page);
    expect(queryOf(page)).toEqual({ asOf: '2026-11-20', severity: 'red' });
    expect(await says()).toEqual([pastTitle, pastWords]);

    // back to today (重置): the default 处理状态 未解除, the banner gone
    await page.locator('.search').getByRole('button', { name: '重置' }).click();
    await page.waitForURL((u) => !u.searchParams.has('asOf'));
    await settled(page);
    expect(queryOf(page)).toEqual({ severity: 'red' });
    await states.waitFor();
    expect(await states.getByRole('radio', { name: '未解除' }).isChecked()).toBe(true);
    expect(await banner.count()).toBe(0);
    // 后退: the past day's URL, still without a 处理状态
    await page.goBack();
    await page.waitForURL(/asOf=2026-11-20/);
    await banner.waitFor();
    expect(queryOf(page)).toEqual({ asOf: '2026-11-20', severity: 'red' });
    await ctx.close();
  });

  it('首页 for a past day: one 截至 (the day); the due-reports card says when reports fall due — on screen, on paper, in 大字模式', async () => {
    await t.as('viewer', county, 'ln.shouye.daoqi');
    const due = (
      await t.http().get(`/api/dashboard?asOf=2026-11-20&regionId=${county}`).expect(200)
    ).body.dueReports as { total: number; monthEnd: string };
    expect(due.monthEnd).toBe('2026-11-30');
    const want = `本月应填报进展（${due.total} 个项目，应于 2026-11-30 前填报）`;
    const { ctx, page } = await signedIn('ln.shouye.daoqi');
    await page.goto('/?asOf=2026-11-20');
    await page.locator('.scope', { hasText: '连南瑶族自治县 · 截至 2026-11-20' }).waitFor();
    const heading = page.locator('h3', { hasText: '本月应填报进展' });
    expect(await heading.innerText()).toBe(want);
    await screenshot(page, 'walk-02-dashboard-past-day-due');
    // paper: the header's 截至 is the day, the card says the same as on screen
    await onPaper(page);
    const paper = await page.evaluate(() => ({
      facts: document.querySelector<HTMLElement>('[data-print="header"] .facts')!.innerText,
      due: [...document.querySelectorAll<HTMLElement>('h3')]
        .filter((h) => h.getClientRects().length > 0)
        .map((h) => h.innerText)
        .filter((h) => h.startsWith('本月应填报进展')),
    }));
    expect(paper.facts).toMatch(/^地区：连南瑶族自治县 截至：2026-11-20 打印时间：/);
    expect(paper.due).toEqual([want]);
    await offPaper(page);
    // 大字模式
    await page.evaluate(() => localStorage.setItem('tracker.largeText.ln.shouye.daoqi', '1'));
    await page.reload();
    await page.locator('.scope', { hasText: '截至 2026-11-20' }).waitFor();
    expect(
      await page.evaluate(() => document.documentElement.classList.contains('large-text')),
    ).toBe(true);
    expect(await heading.innerText()).toBe(want);
    await heading.scrollIntoViewIfNeeded();
    await screenshot(page, 'walk-03-dashboard-past-day-due-large');
    await ctx.close();
  });

  it('审核 printed: no 操作 column of buttons (审核 / 催报); the 催报 column with its count stays', async () => {
    const qy = await t.as('infrastructure', city, 'qy.shenhe.dayin');
    await qy
      .post('/api/submissions/remind')
      .send({ month: '2026-11', regionId: county })
      .expect(202);
    const { ctx, page } = await signedIn('qy.shenhe.dayin');
    await page.goto('/review?month=2026-11');
    const rows = page.locator('[data-table="review"] .el-table__row');
    await rows.first().waitFor();
    await settled(page);
    const ln = rows.filter({ hasText: '连南瑶族自治县' });
    // on screen: 审核/查看 and 催报 under 操作
    expect(await page.locator('[data-table="review"] thead th').allInnerTexts()).toEqual([
      '地区',
      '状态',
      '截止日期',
      '报送时间',
      '逾期天数',
      '退回次数',
      '催报',
      '操作',
    ]);
    expect(await ln.getByRole('button', { name: '催报' }).count()).toBe(1);
    for (const prepared of [false, true]) {
      const paper = await onPaper(page, prepared);
      expect({ prepared, heads: paper.map((p) => p.heads) }).toEqual({
        prepared,
        heads: [['地区', '状态', '截止日期', '报送时间', '逾期天数', '退回次数', '催报']],
      });
      const printedLn = paper[0].rows.find((r) => r[0] === '连南瑶族自治县')!;
      expect(printedLn).toHaveLength(7);
      expect(printedLn[6]).toMatch(/^1 次（12-02 \d{2}:\d{2}）/);
      await screenshot(page, `walk-04-review-print${prepared ? '' : '-unprepared'}`);
      await offPaper(page);
    }
    await ctx.close();
  });

  it('资金管理 printed: no 操作 column (资金明细, 编辑 / 删除, 撤回); the figures’ columns stay', async () => {
    await t.as('finance', county, 'ln.zijin.dayin.lie');
    const project = await projectIdOf(t, '大坪镇中心幼儿园');
    const { ctx, page } = await signedIn('ln.zijin.dayin.lie');
    await page.goto(`/funding?projectId=${project}`);
    const panel = page.locator('[data-panel="project-funding"]');
    await panel.locator('[data-sum="gap"]').waitFor();
    await settled(page);
    const screenHeads = await page.evaluate(() =>
      [...document.querySelectorAll('.el-table')].map((t) =>
        [...t.querySelectorAll('thead tr:last-child th')].map((th) => th.textContent!.trim()),
      ),
    );
    // on screen: the list's 资金明细 and the project's 撤回 / 编辑 / 删除 under 操作
    expect(screenHeads.filter((h) => h.includes('操作'))).toHaveLength(4);
    for (const prepared of [false, true]) {
      const paper = await onPaper(page, prepared);
      expect({ prepared, heads: paper.map((p) => p.heads) }).toEqual({
        prepared,
        heads: [
          [
            '项目状态',
            '项目数',
            '资金测算',
            '已落实',
            '已到位',
            '已支付',
            '资金缺口',
            '未测算项目',
          ],
          ['项目名称', '区县', '状态', '资金测算（万元）'],
          ['生效日期', '资金测算（万元）', '调整原因', '录入人'],
          ['资金来源', '已落实（万元）', '落实日期', '已到位（万元）', '到位日期', '备注'],
          ['支付日期', '收款单位', '金额（万元）', '凭证号'],
        ],
      });
      // each printed row has a cell per printed header
      for (const p of paper)
        for (const r of p.rows.filter((row) => row.length > 1))
          expect(r).toHaveLength(p.heads.length);
      await screenshot(page, `walk-05-funding-print${prepared ? '' : '-unprepared'}`);
      await offPaper(page);
    }
    await ctx.close();
  });

  it('资金管理 and 审核 have 重置 (the form’s defaults, applied); a double click on 资金明细 reads no summary or list again', async () => {
    await t.as('finance', city, 'qy.zijin.chongzhi');
    const { ctx, page } = await signedIn('qy.zijin.chongzhi');
    const asked: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/funding/summary' || u.pathname === '/api/projects')
        asked.push(u.pathname);
    });
    await page.goto(
      `/funding?asOf=2026-06-30&regionId=${county}&q=${encodeURIComponent('幼儿园')}`,
    );
    const listed = page.locator('.el-table__row', {
      has: page.getByRole('button', { name: '资金明细' }),
    });
    await page.locator('[data-table="summary"]').waitFor();
    await settled(page);
    expect(await page.getByLabel('截至日期').inputValue()).toBe('2026-06-30');
    expect(await page.getByPlaceholder('请输入项目名称').inputValue()).toBe('幼儿园');

    // 资金明细, clicked twice quickly: the panel opens; the summary and the list are not read again
    asked.length = 0;
    await page.getByRole('button', { name: '资金明细' }).first().dblclick();
    await page.locator('[data-panel="project-funding"] [data-sum="gap"]').waitFor();
    await settled(page);
    expect(queryOf(page).projectId).toMatch(/^\d+$/);
    expect(asked).toEqual([]);

    // 重置: today, every region, no name — applied (the URL names none of them) and read once
    await page.getByRole('button', { name: '重置' }).click();
    await page.waitForURL((u) => !u.searchParams.has('asOf'));
    await settled(page);
    // the open 资金明细 closed: its project may not be among those listed now
    expect(queryOf(page)).toEqual({});
    expect(await page.locator('[data-panel="project-funding"]').count()).toBe(0);
    expect(await page.getByLabel('截至日期').inputValue()).toBe(TEST_NOW.slice(0, 10));
    expect(await page.getByPlaceholder('请输入项目名称').inputValue()).toBe('');
    expect(asked.sort()).toEqual(['/api/funding/summary', '/api/projects']);
    expect(await page.locator('h3', { hasText: '资金汇总' }).innerText()).toBe(
      `资金汇总（截至 ${TEST_NOW.slice(0, 10)}，单位：万元）`,
    );
    // every region's projects now: more than the county's kindergartens listed before
    expect(await listed.count()).toBe(10);
    // 重置 clicked twice at the defaults: read once
    asked.length = 0;
    await page.getByRole('button', { name: '重置' }).dblclick();
    await settled(page);
    expect(asked.sort()).toEqual(['/api/funding/summary', '/api/projects']);

    // 审核: a month and a status picked and applied, then 重置: the month before this one, every status
    await t.as('infrastructure', city, 'qy.shenhe.chongzhi');
    const review = await signedIn('qy.shenhe.chongzhi');
    const statusShown = () =>
      review.page
        .locator('.panel.search .el-form-item', { hasText: '状态' })
        .locator('.el-select')
        .innerText();
    await review.page.goto('/review?month=2026-09&status=submitted');
    await settled(review.page);
    expect(await statusShown()).toBe('已报送（待审核）');
    expect(await review.page.getByLabel('报送月份').inputValue()).toBe('2026年9月');
    await review.page.getByRole('button', { name: '重置' }).click();
    await review.page.waitForURL((u) => u.search === '');
    await review.page.locator('[data-table="review"] .el-table__row').first().waitFor();
    await settled(review.page);
    expect(await statusShown()).toBe('全部');
    expect(await review.page.getByLabel('报送月份').inputValue()).toBe('2026年11月');
    expect(
      await review.page.locator('[data-table="review"] .el-table__row').count(),
    ).toBeGreaterThan(0);
    await review.ctx.close();
    await ctx.close();
  });

  it('资金管理 names the open project when it is not listed; 审核 says when a status filter leaves no region, and what a region that has not reported lacks', async () => {
    await t.as('finance', city, 'qy.zijin.mingcheng');
    const project = await projectIdOf(t, '大坪镇中心幼儿园');
    const { ctx, page } = await signedIn('qy.zijin.mingcheng');
    await page.goto(`/funding?q=${encodeURIComponent('没有这个名字')}&projectId=${project}`);
    const panel = page.locator('[data-panel="project-funding"]');
    await panel.locator('[data-sum="gap"]').waitFor();
    await settled(page);
    await page.locator('h3', { hasText: '大坪镇中心幼儿园 · 资金明细' }).waitFor();
    expect(await panel.locator('h3').innerText()).toBe('大坪镇中心幼儿园 · 资金明细');
    await ctx.close();

    await t.as('infrastructure', city, 'qy.shenhe.kong');
    const review = await signedIn('qy.shenhe.kong');
    await review.page.goto('/review?month=2026-09&status=submitted');
    await settled(review.page);
    expect(
      await review.page.locator('[data-table="review"] .el-table__empty-text').innerText(),
    ).toBe('无符合所选状态的地区');
    await review.page.goto('/review?month=2026-09');
    const ln = review.page
      .locator('[data-table="review"] .el-table__row')
      .filter({ hasText: '连南瑶族自治县' });
    await ln.waitFor();
    await settled(review.page);
    expect(await ln.innerText()).toContain('未报送');
    await ln.getByRole('button', { name: '查看' }).click();
    const facts = review.page.locator('.el-drawer .el-descriptions');
    await facts.waitFor();
    const cell = (label: string) =>
      facts
        .locator('.el-descriptions__cell.is-bordered-label', { hasText: label })
        .locator('xpath=following-sibling::*[1]');
    expect(await cell('报送次数').innerText()).toBe('尚未报送');
    expect(await cell('强制报送').innerText()).toBe('—');
    await review.ctx.close();
  });

  it('首页 of a city without located projects says so in place of the map’s empty axes; 红色预警’s legend starts at 0; printed, three figure cards to a row', async () => {
    await t.as('viewer', city, 'qy.shouye.ditu');
    const { ctx, page } = await signedIn('qy.shouye.ditu');
    await page.goto('/');
    const card = page.locator('[data-card="map"]');
    await card.locator('[data-map="tiles"] .tile').first().waitFor();
    await settled(page);
    expect(await card.locator('.note').innerText()).toMatch(/^已定位 0 个，未定位 \d+ 个$/);
    expect(await card.locator('[data-map="no-points"]').innerText()).toBe(
      '暂无已定位的项目：在项目详情的基本信息中填写经纬度后，项目显示在图上',
    );
    expect(await card.locator('[data-map="points"]').count()).toBe(0);
    await card
      .locator('.el-select__wrapper', { has: page.getByRole('combobox', { name: '区县着色指标' }) })
      .click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '红色预警' }).click();
    expect(await card.locator('.legend .swatch').allInnerTexts()).toEqual([
      '0',
      '1–2',
      '3–5',
      '≥6',
    ]);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'walk-06-dashboard-map-no-points');
    await onPaper(page);
    const columns = await page.evaluate(
      () =>
        getComputedStyle(document.querySelector('.cards')!).gridTemplateColumns.split(' ').length,
    );
    expect(columns).toBe(3);
    await offPaper(page);
    await ctx.close();
  });
});
