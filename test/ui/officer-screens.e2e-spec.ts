import type { Browser, Locator, Page } from 'playwright-core';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { displayWan } from '../../src/common/money-display';
import { ADMIN_PASSWORD, regionIds, TEST_NOW, TestApp } from '../support/app';
import {
  expectClean,
  officerContext,
  screenshot,
  signedInPage,
  startApp,
  stopApp,
} from './browser';

/** The labels of a form that are clipped or wrapped: wider than their box, or taller than a line. */
async function badLabels(scope: Locator): Promise<string[]> {
  return scope.locator('.el-form-item__label').evaluateAll((els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null && e.textContent?.trim())
      .filter((e) => {
        const el = e as HTMLElement;
        const line = Number(getComputedStyle(el).fontSize.replace('px', '')) * 1.9;
        const textRange = document.createRange();
        textRange.selectNodeContents(el);
        const lines = new Set([...textRange.getClientRects()].map((r) => Math.round(r.top)));
        return (
          el.scrollWidth > el.clientWidth + 1 || lines.size > 1 || el.offsetHeight > line * 1.6
        );
      })
      .map((e) => e.textContent!.trim()),
  );
}

const errorOf = (dlg: Locator, label: string) =>
  dlg
    .locator('.el-form-item', { has: dlg.page().locator(`label:text-is("${label}")`) })
    .locator('.el-form-item__error');

/**
 * Issue 30, point 6: the screens an officer expects — 新增项目, 新增里程碑, 归档 / 取消归档 with a
 * reason, 新增用户 without a default region — at 1366×768 in Chinese, and in 大字模式.
 */
describe('officer screens, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let county: number;
  const PASSWORD = 'User-Pass-123';

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    const regions = await regionIds(t);
    county = regions['连南瑶族自治县'];
    const officer = await t
      .http()
      .post('/api/users')
      .send({
        username: 'ln.jijian',
        displayName: '陈建国',
        password: PASSWORD,
        role: 'infrastructure',
        regionId: county,
      })
      .expect(201);
    // an officer who already chose their own password: no 修改密码 first
    await t.passwordChosen(officer.body.id as number);
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  async function large(page: Page, username: string) {
    await page.evaluate((u) => localStorage.setItem(`tracker.largeText.${u}`, '1'), username);
    await page.reload();
    await page.locator('.el-table__row').first().waitFor();
    expect(
      await page.evaluate(() => document.documentElement.classList.contains('large-text')),
    ).toBe(true);
  }

  it('新增项目 → 项目详情 → 新增里程碑 → 归档 / 取消归档, end to end as a 基建股 officer', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
    await page.getByRole('button', { name: '新增项目' }).click();
    const dlg = page.locator('.el-dialog:visible');
    await dlg.getByText('新增后由计财股在项目详情中填写资金测算').waitFor();
    await screenshot(page, 'screens-01-new-project');
    expect(await badLabels(dlg)).toEqual([]);
    // nothing typed: the required name is said under its field, nothing is saved
    await dlg.getByRole('button', { name: '确定' }).click();
    await expect(errorOf(dlg, '项目名称').innerText()).resolves.toBe('请填写项目名称');
    await dlg.getByLabel('项目名称').fill('寨岗镇第二小学');
    await dlg.getByLabel('小学学位').fill('540');
    await dlg.getByLabel('建筑面积').fill('6800.50');
    await dlg.getByLabel('计划开工').fill('2027-03');
    await dlg.getByLabel('计划完成').fill('2028-08');
    await dlg.getByLabel('建设单位').fill('连南瑶族自治县教育局');
    await dlg.getByLabel('施工单位').fill('清远市第一建筑工程公司');
    await dlg.getByLabel('项目负责人').fill('李明');
    await dlg.getByLabel('联系电话').fill('0763-66A');
    await dlg.getByRole('button', { name: '确定' }).click();
    await expect(errorOf(dlg, '联系电话').innerText()).resolves.toBe(
      '电话号码只能包含数字、“-”和空格，共7–20位',
    );
    // the message sits inside its own field's box, not behind the next field
    // Element Plus zooms the message in (scaleY 0 → 1): measure it once its box has settled
    await page.waitForFunction(
      (e) => !/-enter-/.test(e!.className) && e!.getBoundingClientRect().height > 0,
      await errorOf(dlg, '联系电话').elementHandle(),
    );
    const msg = (await errorOf(dlg, '联系电话').boundingBox())!;
    const item = (await dlg
      .locator('.el-form-item', { has: page.locator('label:text-is("联系电话")') })
      .boundingBox())!;
    expect(msg.height).toBeGreaterThan(0);
    expect(msg.y + msg.height).toBeLessThanOrEqual(item.y + item.height + 0.5);
    await screenshot(page, 'screens-02-new-project-error');
    expect((await t.http().get('/api/projects?q=寨岗镇第二小学').expect(200)).body.total).toBe(0);
    await dlg.getByLabel('联系电话').fill('0763-6621234');
    await dlg.getByRole('button', { name: '确定' }).click();
    await page.waitForURL(/\/projects\/\d+$/);
    const id = Number(/\/projects\/(\d+)$/.exec(page.url())![1]);
    // the cell of 基本信息 (the 变更记录 kept for printing names the same value)
    await page.getByRole('cell', { name: '清远市第一建筑工程公司' }).waitFor();
    const basic = await page.locator('.el-descriptions').first().innerText();
    expect(basic).toMatch(/计划开工\s+2027年3月/);
    expect(basic).toMatch(/建设单位\s+连南瑶族自治县教育局/);
    expect(basic).toMatch(/项目负责人\s+李明/);
    expect(basic).toMatch(/联系电话\s+0763-6621234/);
    const p = (await t.http().get(`/api/projects/${id}`).expect(200)).body;
    expect(p).toMatchObject({
      name: '寨岗镇第二小学',
      regionId: county,
      seats: { primary: 540, total: 540 },
      floorAreaM2: '6800.50',
      plannedStart: '2027-03',
      plannedCompletion: '2028-08',
      budgetWan: null,
      phone: '0763-6621234',
    });

    // 新增里程碑
    await page.getByRole('tab', { name: '里程碑' }).click();
    await page.getByRole('button', { name: '新增里程碑' }).click();
    const ms = page.locator('.el-dialog:visible');
    await ms.getByLabel('里程碑名称').waitFor();
    await screenshot(page, 'screens-03-new-milestone');
    expect(await badLabels(ms)).toEqual([]);
    await ms.getByLabel('里程碑名称').fill('消防验收');
    await ms.getByLabel('计划时间').fill('2028-06');
    await ms.getByLabel('责任人').fill('王工');
    await ms.getByRole('button', { name: '确定' }).click();
    await page.getByRole('row', { name: /消防验收 2028-06/ }).waitFor();
    const milestones = (await t.http().get(`/api/projects/${id}/milestones`).expect(200)).body;
    const list = Array.isArray(milestones) ? milestones : milestones.items;
    expect(
      list
        .filter((m: { name: string }) => m.name === '消防验收')
        .map((m: { plannedDate: string; owner: string }) => [m.plannedDate, m.owner]),
    ).toEqual([['2028-06', '王工']]);
    // 变更记录 names the milestone on its line, and the person by 姓名（用户名）
    await page.getByRole('tab', { name: '变更记录' }).click();
    const line = page.locator('.el-table__row', { hasText: '里程碑「消防验收」：计划时间' });
    await line.waitFor();
    expect(await line.innerText()).toContain('陈建国（ln.jijian）');

    // 归档 with a reason, then 取消归档
    await page.getByRole('tab', { name: '基本信息' }).click();
    await page.getByRole('button', { name: '归档', exact: true }).click();
    const arch = page.locator('.el-dialog:visible');
    await arch.getByRole('button', { name: '确定归档' }).click();
    await expect(arch.locator('.el-form-item__error').innerText()).resolves.toBe('请填写归档原因');
    await screenshot(page, 'screens-04-archive');
    expect(await badLabels(arch)).toEqual([]);
    await arch.getByLabel('归档原因').fill('与寨岗镇中心小学合并建设');
    await arch.getByRole('button', { name: '确定归档' }).click();
    await page.getByText(/已于 .* 归档，只能查看/).waitFor();
    expect((await t.http().get(`/api/projects/${id}`).expect(200)).body.archived).toBe(true);
    await page.getByRole('button', { name: '取消归档', exact: true }).click();
    const un = page.locator('.el-dialog:visible');
    await un.getByLabel('取消归档原因').fill('合并方案撤销，单独建设');
    await screenshot(page, 'screens-05-unarchive');
    await un.getByRole('button', { name: '确定取消归档' }).click();
    await page.getByRole('button', { name: '编辑' }).waitFor();
    expect((await t.http().get(`/api/projects/${id}`).expect(200)).body.archived).toBe(false);
    const audit = await t.db.read.getRepository(AuditLog).find({
      where: { entity: 'project', entityId: id },
      order: { id: 'ASC' },
    });
    expect(
      audit
        .filter((a) => a.action.includes('archive'))
        .map((a) => [a.action, a.actorName, a.changes?.reason?.new]),
    ).toEqual([
      ['archive', 'ln.jijian', '与寨岗镇中心小学合并建设'],
      ['unarchive', 'ln.jijian', '合并方案撤销，单独建设'],
    ]);
    await expectClean(page, 'project detail', ['ln.jijian']);
    await ctx.close();
  });

  it('大字模式: the new dialogs and the list lay their labels out without clipping', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
    await large(page, 'ln.jijian');
    expect(await badLabels(page.locator('form.search'))).toEqual([]);
    await page.getByRole('button', { name: '新增项目' }).click();
    const dlg = page.locator('.el-dialog:visible');
    await dlg.getByLabel('项目名称').waitFor();
    await screenshot(page, 'screens-06-new-project-large');
    expect(await badLabels(dlg)).toEqual([]);
    await dlg.getByRole('button', { name: '取消' }).click();
    // any project of the officer's county: this test does not lean on the one the test before adds
    const id = (await t.http().get(`/api/projects?regionId=${county}`).expect(200)).body.items[0]
      .id;
    await page.goto(`/projects/${id}`);
    await page.getByRole('tab', { name: '里程碑' }).click();
    await page.getByRole('button', { name: '新增里程碑' }).click();
    const ms = page.locator('.el-dialog:visible');
    await ms.getByLabel('里程碑名称').waitFor();
    await screenshot(page, 'screens-07-new-milestone-large');
    expect(await badLabels(ms)).toEqual([]);
    await ms.getByRole('button', { name: '取消' }).click();
    await page.getByRole('tab', { name: '基本信息' }).click();
    await page.getByRole('button', { name: '归档', exact: true }).click();
    const arch = page.locator('.el-dialog:visible');
    await arch.getByLabel('归档原因').waitFor();
    await screenshot(page, 'screens-08-archive-large');
    expect(await badLabels(arch)).toEqual([]);
    await arch.getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: '编辑' }).click();
    const edit = page.locator('.el-dialog:visible');
    await edit.getByText('编辑项目').waitFor();
    await screenshot(page, 'screens-09-edit-project-large');
    expect(await badLabels(edit)).toEqual([]);
    await ctx.close();
  });

  it('新增用户 has no default region: without one it is refused on the screen; 姓名 shows in the list', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    await page.goto('/admin');
    await page.locator('[data-table="users"] .el-table__row').first().waitFor();
    await page.getByRole('button', { name: '新增用户' }).click();
    const dlg = page.locator('.el-dialog:visible');
    await dlg.getByLabel('用户名').fill('ln.caiwu');
    await dlg.getByLabel('姓名').fill('黄丽');
    await dlg.getByLabel('手机号').fill('138 2222 3333');
    await dlg.getByLabel('初始密码').fill('Caiwu-2026');
    await dlg.getByRole('button', { name: '确定' }).click();
    await expect(errorOf(dlg, '所属地区').innerText()).resolves.toBe('请选择所属地区');
    await screenshot(page, 'screens-10-new-user-no-region');
    const names = () =>
      t
        .http()
        .get('/api/users')
        .expect(200)
        .then((r) => r.body.items.map((u: { username: string }) => u.username) as string[]);
    expect(await names()).not.toContain('ln.caiwu');
    // a Chinese username: the message says usernames are Latin letters and where the name goes
    await dlg.getByLabel('用户名').fill('黄科员');
    await dlg.locator('.el-form-item:has-text("所属地区") .el-select__wrapper').click();
    await page.locator('.el-tree-node__content:visible', { hasText: '连南瑶族自治县' }).click();
    await dlg.getByRole('button', { name: '确定' }).click();
    await expect(errorOf(dlg, '用户名').innerText()).resolves.toBe(
      '用户名只能由字母、数字、下划线、点或减号组成，长度3到50位（中文姓名请填在“姓名”中）',
    );
    await dlg.getByLabel('用户名').fill('ln.caiwu');
    await dlg.getByRole('button', { name: '确定' }).click();
    const row = page.locator('[data-table="users"] .el-table__row', { hasText: 'ln.caiwu' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      /ln\.caiwu\s+黄丽\s+138 2222 3333\s+\S+\s+连南瑶族自治县/,
    );

    // the admin's own 停用 is refused with the reason, on the screen
    await page
      .locator('[data-table="users"] .el-table__row', { hasText: /^\s*admin\b/ })
      .getByRole('button', { name: '停用' })
      .click();
    await page.locator('.el-message-box:visible').getByRole('button', { name: '确定' }).click();
    const box = page.locator('.el-message-box:visible', { hasText: '不能停用' });
    await box.waitFor();
    expect(await box.innerText()).toContain('不能停用自己的账号');
    await screenshot(page, 'screens-11-self-disable');
    await box.getByRole('button', { name: '知道了' }).click();

    // 审计日志 shows what was just done when its tab is opened, without 查询
    await page.getByRole('tab', { name: '审计日志' }).click();
    await page
      .locator('[data-table="audit"] .el-table__row', { hasText: '用户名：（空） → ln.caiwu' })
      .waitFor();
    await ctx.close();
  });

  it('项目详情 prints its 资金 tab without it being opened', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
    const id = (
      await t
        .http()
        .get(`/api/projects?q=${encodeURIComponent('石泉中学')}`)
        .expect(200)
    ).body.items[0].id as number;
    const budget = (await t.http().get(`/api/projects/${id}`).expect(200)).body.budgetWan as string;
    await page.goto(`/projects/${id}`);
    await page.getByRole('tab', { name: '基本信息' }).waitFor();
    // the 资金 pane's figures are read with the screen, so paper has them
    await page.locator('[data-sum="budget"]').waitFor({ state: 'attached' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    const shown = await page.locator('[data-sum="budget"]').evaluate((e) => ({
      visible: (e as HTMLElement).offsetParent !== null,
      text: e.textContent?.trim(),
    }));
    expect(shown).toEqual({ visible: true, text: displayWan(budget) });
    expect(await page.locator('h3.print-only', { hasText: '资金' }).isVisible()).toBe(true);
    await ctx.close();
  });

  it('首页 on a page load asks for its figures beside the session check, once; signed out, nothing of it shows', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
    const events: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) events.push(`> ${u.pathname}${u.search}`);
    });
    // the session check's answer held back until the figures are asked for (3 s at most)
    let askedDuringCheck: boolean | null = null;
    await page.route('**/api/auth/me', async (route) => {
      const t0 = Date.now();
      const asked = () => events.some((e) => e.startsWith('> /api/dashboard'));
      while (!asked() && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      askedDuringCheck ??= asked();
      await route.continue();
    });
    await page.goto('/?asOf=2026-11-20');
    await page.locator('.scope', { hasText: '截至 2026-11-20' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.unroute('**/api/auth/me');
    // one request for the figures (the screen took the early answer), sent while the session was
    // being checked: it did not wait for the check and the screen's code
    expect(events.filter((e) => e.startsWith('> /api/dashboard'))).toEqual([
      '> /api/dashboard?asOf=2026-11-20',
    ]);
    expect(askedDuringCheck).toBe(true);
    // the figures are the county's own, as the API gives them
    const api = (
      await (
        await t.as('infrastructure', county, 'ln.early')
      )
        .get('/api/dashboard?asOf=2026-11-20')
        .expect(200)
    ).body as { funds: { gapWan: string } };
    expect(await page.locator('.scope').textContent()).toContain('连南瑶族自治县');
    expect(await page.locator('[data-card="gap"] .value').textContent()).toBe(
      displayWan(api.funds.gapWan),
    );
    // 首页 reached by the menu (no page load) asks the ordinary way, once
    events.length = 0;
    await page.goto('/projects');
    await page.locator('.el-table__row').first().waitFor();
    events.length = 0;
    await page.getByRole('menuitem', { name: '首页' }).click();
    await page.locator('.scope', { hasText: '截至 2026-12-02' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(events.filter((e) => e.startsWith('> /api/dashboard'))).toEqual([
      '> /api/dashboard?asOf=2026-12-02',
    ]);
    // 查询 with the form as it was loaded asks again (the URL does not change: the router alone
    // would do nothing)
    events.length = 0;
    const again = page.waitForResponse((r) => r.url().includes('/api/dashboard?asOf=2026-12-02'));
    await page.getByRole('button', { name: '查询' }).click();
    await again;
    expect(events.filter((e) => e.startsWith('> /api/dashboard'))).toEqual([
      '> /api/dashboard?asOf=2026-12-02',
    ]);
    // signed out: the early request is refused, and the page goes to 登录 without a word of it;
    // signed in again, 首页 of that day is asked for again and shown
    await ctx.clearCookies();
    events.length = 0;
    await page.goto('/?asOf=2026-11-21');
    await page.getByLabel('用户名').waitFor();
    expect(events.filter((e) => e.startsWith('> /api/dashboard'))).toEqual([
      '> /api/dashboard?asOf=2026-11-21',
    ]);
    expect(await page.locator('.el-message').count()).toBe(0);
    await page.getByLabel('用户名').fill('ln.jijian');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.scope', { hasText: '截至 2026-11-21' }).waitFor();
    expect(await page.locator('[data-card="gap"] .value').count()).toBe(1);
    expect(events.filter((e) => e.startsWith('> /api/dashboard'))).toEqual([
      '> /api/dashboard?asOf=2026-11-21',
      '> /api/dashboard?asOf=2026-11-21',
    ]);
    await ctx.close();
  });

  it('the next user at the browser sees their own 首页: after a 修改密码 page, after 退出登录, after a lapsed session', async () => {
    const regions = await regionIds(t);
    // a city viewer whose password an admin set: 修改密码 comes first
    const reset = await t
      .http()
      .post('/api/users')
      .send({
        username: 'qy.reset',
        password: 'Initial-Pass-2026',
        role: 'viewer',
        regionId: regions['清远市'],
      })
      .expect(201);
    const ctx = await officerContext(browser, base);
    const page = await ctx.newPage();
    await page.clock.setFixedTime(new Date(TEST_NOW));
    const signIn = async (username: string, password: string) => {
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录' }).click();
    };
    await page.goto('/login');
    await signIn('qy.reset', 'Initial-Pass-2026');
    await page.waitForURL((u) => u.pathname === '/change-password');
    // a page load of 首页 with the city's session asks for the city's figures early
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/dashboard')) asked.push(new URL(r.url()).search);
    });
    await page.goto('/');
    await page.waitForURL((u) => u.pathname === '/change-password');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').waitFor();
    // the county officer, at once: the county's figures, asked for again (not the city's)
    await signIn('ln.jijian', PASSWORD);
    await page.locator('.scope', { hasText: '截至 2026-12-02' }).waitFor();
    expect(await page.locator('.scope').textContent()).toContain('连南瑶族自治县');
    expect(asked).toEqual(['?asOf=2026-12-02', '?asOf=2026-12-02']);

    // 退出登录 from a region and day: the sign-in page keeps no way back to them
    await page.goto(`/?asOf=2026-11-24&regionId=${county}`);
    await page.locator('.scope', { hasText: '截至 2026-11-24' }).waitFor();
    await page.locator('[data-account]').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    expect(new URL(page.url()).search).toBe('');

    // a lapsed session keeps the way back, for the same user only
    await signIn('ln.jijian', PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(`/?asOf=2026-11-25&regionId=${county}`);
    await page.locator('.scope', { hasText: '截至 2026-11-25' }).waitFor();
    await ctx.clearCookies();
    await page.getByRole('menuitem', { name: '项目台账' }).click();
    await page.getByText('登录已失效，请重新登录').waitFor();
    expect(new URL(page.url()).searchParams.get('redirect')).not.toBeNull();
    // another user: their own 首页, not the county's page they could not see
    await t.passwordChosen(reset.body.id as number);
    await signIn('qy.reset', 'Initial-Pass-2026');
    await page.waitForURL((u) => u.pathname === '/' && u.search === '');
    await page.locator('.scope', { hasText: '截至 2026-12-02' }).waitFor();
    expect(await page.locator('.scope').textContent()).toContain('清远市');
    expect(await page.locator('[data-load-failed]').count()).toBe(0);
    await ctx.close();
  });
});
