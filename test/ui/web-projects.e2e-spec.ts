import * as path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, TEST_NOW, TestApp } from '../support/app';
import {
  expectClean,
  officerContext,
  projectIdOf,
  screenshot,
  SCREENSHOTS,
  signedInPage,
  signIn,
  startApp,
  stopApp,
  unavailable,
} from './browser';

/**
 * The web front end in Debian's Chromium, as a county officer uses it (issue "Web front end, part 1"):
 * zh-CN, Asia/Shanghai, 1366×768, the reference data. Screenshots go to test/ui/screenshots/.
 */
/** Waits until the list shows exactly `n` rows (fails on timeout with the count it saw). */
async function rowsAre(page: Page, n: number): Promise<void> {
  const rows = page.locator('.el-table__body-wrapper .el-table__row');
  await page
    .waitForFunction(
      (want) => document.querySelectorAll('.el-table__body-wrapper .el-table__row').length === want,
      n,
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  await expect(rows.count()).resolves.toBe(n);
}

describe('sign-in, the project list and a project, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let shiquan: number;
  const PASSWORD = 'User-Pass-123';

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    shiquan = await idOf('石泉中学');
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });
  /** Undone after the test that queued it, pass or fail. */
  const afterThis: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const undo of afterThis.splice(0)) await undo();
  });

  const signedIn = (username: string, password: string) =>
    signedInPage(browser, base, username, password);
  const idOf = (name: string) => projectIdOf(t, name);

  it('opens on the sign-in page, in Chinese, and keeps no token where a script can read it', async () => {
    const ctx = await officerContext(browser, base);
    const page = await ctx.newPage();
    await page.goto('/projects');
    await page.waitForURL(/\/login/);
    await expect(page.getByRole('button', { name: '登录' }).isVisible()).resolves.toBe(true);
    await screenshot(page, '01-login');
    await expectClean(page, 'login');
    // a wrong password says so
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或密码错误').waitFor();
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/projects/); // back to where the sign-in was asked for
    const storage = await page.evaluate(() => ({
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
      cookie: document.cookie,
    }));
    expect(storage.local).not.toMatch(/eyJ/);
    expect(storage.session).not.toMatch(/eyJ/);
    expect(storage.cookie).toBe(''); // HttpOnly
    await ctx.close();
  });

  it('finds 石泉中学 by name, keeps the query in the URL, opens it; files a progress report seen in the history and the list', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    await page.getByText('共 14 条').waitFor();
    await screenshot(page, '02-projects');
    await expectClean(page, 'projects', ['admin']);

    await page.getByPlaceholder('请输入项目名称').fill('石泉中学');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=%E7%9F%B3%E6%B3%89%E4%B8%AD%E5%AD%A6/);
    await page.getByText('共 1 条').waitFor();
    const row = page.locator('.el-table__body-wrapper .el-table__row');
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.first().locator('td').allInnerTexts();
    expect(cells.map((c) => c.trim())).toEqual(
      expect.arrayContaining([
        '2025',
        '石泉中学（完全中学）',
        '连南瑶族自治县',
        '2,400',
        '44,196.00',
        '106.38',
        '21,120.00',
        '2025年12月',
        '谋划储备',
        '未填报',
      ]),
    );
    // a reload shows the same query
    await page.reload();
    await page.getByText('共 1 条').waitFor();
    await expect(page.getByPlaceholder('请输入项目名称').inputValue()).resolves.toBe('石泉中学');

    await page.getByRole('link', { name: '石泉中学（完全中学）' }).click();
    await page.waitForURL(new RegExp(`/projects/${shiquan}$`));
    await page.getByRole('tab', { name: '基本信息' }).waitFor();
    await screenshot(page, '03-project-detail');
    await expectClean(page, 'project-detail', ['admin']);

    await page.getByRole('tab', { name: '进度填报' }).click();
    const form = page.locator('.report-form');
    await form
      .locator('.el-form-item', { hasText: '项目状态' })
      .locator('.el-select__wrapper')
      .click();
    // only the statuses a 谋划储备 project may move to
    await page.locator('.el-select-dropdown__item:visible').first().waitFor();
    const options = await page.locator('.el-select-dropdown__item:visible').allInnerTexts();
    expect(options).toEqual(['谋划储备', '前期工作', '在建', '暂停', '取消']);
    await page.locator('.el-select-dropdown__item:visible', { hasText: '在建' }).click();
    await form.getByLabel('形象进度（%）').fill('35');
    await form.getByLabel('累计完成投资（万元）').fill('1200.5');
    await form.getByLabel('备注').fill('主体结构施工');
    await screenshot(page, '04-progress-form');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByText('进度已提交').waitFor();
    const history = page.locator('#pane-progress .el-table__body-wrapper .el-table__row').first();
    // the toast shows before the history has re-rendered: wait for the new row
    await history.getByText('主体结构施工').waitFor();
    await expect(history.locator('td').allInnerTexts()).resolves.toEqual([
      '2026-12-02',
      '在建',
      '35',
      '1,200.50',
      '',
      '主体结构施工',
      'admin',
      '撤回', // a report just filed can be withdrawn (issue 30, point 5)
    ]);
    await expectClean(page, 'progress', ['admin']);

    await page.getByRole('tab', { name: '变更记录' }).click();
    await page.getByText('形象进度：（空） → 35%').first().waitFor();
    await screenshot(page, '05-history');
    await expectClean(page, 'audit trail', ['admin']);
    await page.getByRole('tab', { name: '里程碑' }).click();
    await page.locator('#pane-milestones .el-table__row').first().waitFor();
    await screenshot(page, '06-milestones');
    await expectClean(page, 'milestones', ['admin']);

    await page.goBack(); // to the list, its query in the URL
    await page.waitForURL(/\/projects\?q=/);
    await page.getByText('共 1 条').waitFor();
    await page.locator('.el-table__body-wrapper .el-table__row', { hasText: '35%' }).waitFor();
    const after = await page.locator('.el-table__body-wrapper .el-table__row').first().innerText();
    expect(after).toContain('在建');
    expect(after).toContain('35%');
    await ctx.close();
  });

  it('shows 数据已被他人修改 and the saved values beside the kept entries when another session saved first', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    const id = await idOf('民族小学');
    await page.goto(`/projects/${id}`);
    await page.getByRole('button', { name: '编辑' }).click();
    const dialog = page.getByRole('dialog', { name: '编辑项目' });
    await dialog.waitFor();
    await screenshot(page, '12-edit-dialog');
    await expectClean(page, 'edit dialog', ['admin']);
    // another session renames the project meanwhile
    const now = (await t.http().get(`/api/projects/${id}`).expect(200)).body as { version: number };
    await t
      .http()
      .patch(`/api/projects/${id}`)
      .send({ version: now.version, town: '三江镇' })
      .expect(200);
    await dialog.getByLabel('镇（街道）').fill('寨岗镇');
    await dialog.getByRole('button', { name: '确定' }).click();
    // issue 30 point 4: the dialog stays, keeps what was typed, and shows the saved value beside it
    await dialog.locator('[data-test="edit-conflict"]').getByText('数据已被他人修改').waitFor();
    expect(await dialog.getByLabel('镇（街道）').inputValue()).toBe('寨岗镇');
    await dialog.getByText('当前：三江镇').waitFor();
    await page.locator('.el-descriptions').getByText('三江镇').waitFor();
    await screenshot(page, '12-edit-conflict');
    await expectClean(page, 'conflict', ['admin']);
    // 确定 again saves what was typed over the current version
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.el-descriptions').getByText('寨岗镇').waitFor();
    // a path that is no page of the app
    await page.goto('/no-such-screen');
    await page.getByText('返回项目台账').waitFor();
    await expectClean(page, 'not found', ['admin']);
    await ctx.close();
  });

  it('shows a field error under its field, in Chinese', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    const id = await idOf('顺德希望小学');
    await page.goto(`/projects/${id}`);
    await page.getByRole('tab', { name: '进度填报' }).click();
    const form = page.locator('.report-form');
    await form
      .locator('.el-form-item', { hasText: '项目状态' })
      .locator('.el-select__wrapper')
      .click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '前期工作' }).click();
    await form.getByLabel('累计完成投资（万元）').fill('一千万');
    await form.getByRole('button', { name: '提交' }).click();
    const item = form.locator('.el-form-item', { hasText: '累计完成投资（万元）' });
    await expect(item.locator('.el-form-item__error').innerText()).resolves.toMatch(
      /^须为非负数字，如 1200.50 或 1,200.50$/,
    );
    await screenshot(page, '07-field-error');
    await expectClean(page, 'field error', ['admin']);
    await ctx.close();
  });

  it('shows a viewer no edit buttons, with the reason', async () => {
    await t.as('viewer', 3, 'viewer_liannan');
    const { ctx, page } = await signedIn('viewer_liannan', PASSWORD);
    await page.goto(`/projects/${shiquan}`);
    await page.getByText('只读用户不能修改项目信息').waitFor();
    await expect(page.getByRole('button', { name: '编辑' }).count()).resolves.toBe(0);
    await page.getByRole('tab', { name: '进度填报' }).click();
    await page.locator('#pane-progress').getByText('仅基建股可填报进展').waitFor();
    await expect(page.getByRole('button', { name: '提交' }).count()).resolves.toBe(0);
    await ctx.close();
  });

  it('marks each project’s 预警 in words, filters by 预警等级, and sums the filtered set in the 合计 row', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    const footer = page.locator('.el-table__footer-wrapper tr').first();
    const footerCells = async () =>
      (await footer.locator('td').allInnerTexts()).map((c) => c.trim());
    const all = (await t.http().get('/api/projects/totals').expect(200)).body as {
      count: number;
      budgetWan: string;
    };
    await expect(footerCells()).resolves.toEqual(
      expect.arrayContaining([
        '合计',
        `共 ${all.count} 个项目`,
        '62,271.00',
        '127,754.00',
        '197.15',
        '1,796',
        '4,000',
      ]),
    );
    // the scan of an earlier day leaves a mix of levels standing
    await t.http().post('/api/alerts/scan?asOf=2023-02-15').expect(200);
    const red = (await t.http().get('/api/projects?alertLevel=red&pageSize=100').expect(200)).body
      .items as { name: string; budgetWan: string }[];
    const redTotals = (await t.http().get('/api/projects/totals?alertLevel=red').expect(200))
      .body as {
      count: number;
      budgetWan: string;
    };
    expect(red.length).toBeGreaterThan(0);
    expect(red.length).toBeLessThan(all.count);
    await page.reload();
    await page.locator('.el-table__body-wrapper .el-tag', { hasText: '红色' }).first().waitFor();
    await page
      .locator('.search .el-form-item', { hasText: '预警等级' })
      .locator('.el-select__wrapper')
      .click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '红色预警' }).click();
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/alertLevel=red/);
    await page.getByText(`共 ${red.length} 条`).waitFor();
    const rows = page.locator('.el-table__body-wrapper .el-table__row');
    const names = await rows.locator('td:nth-child(3)').allInnerTexts();
    expect(names.map((n) => n.trim()).sort()).toEqual(red.map((p) => p.name).sort());
    for (const text of await rows.allInnerTexts()) expect(text).toContain('红色');
    const money = (v: string) => v.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    await expect(footerCells()).resolves.toEqual(
      expect.arrayContaining(['合计', `共 ${redTotals.count} 个项目`, money(redTotals.budgetWan)]),
    );
    await screenshot(page, '09-alert-filter');
    await expectClean(page, 'projects by alert level', ['admin']);
    await ctx.close();
  });

  it('renews the session while the officer works and signs out an idle one with a message', async () => {
    const ctx = await officerContext(browser, base);
    const page = await ctx.newPage();
    await page.clock.install({ time: new Date(TEST_NOW) });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    // working: a click, then the token's lifetime (30 minutes) goes by — it is renewed
    await page.getByPlaceholder('请输入项目名称').click();
    const renewed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
    await page.clock.fastForward('29:30');
    expect((await renewed).status()).toBe(200);
    // the page takes in the new lifetime before the clock jumps again
    await page.waitForTimeout(200);
    expect(page.url()).toMatch(/\/projects/);
    // idle for the next 30 minutes: signed out, told why
    await page.clock.fastForward('31:00');
    await page.waitForURL(/\/login/);
    await page.getByText('您已长时间未操作，系统已自动退出，请重新登录').waitFor();
    await screenshot(page, '10-idle-signed-out');
    await expectClean(page, 'idle sign-out');
    await ctx.close();
  });

  it('says so when a page load cannot check the session (503), with 重新加载, and signs no one out', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    try {
      await page.route(/\/api\/auth\/me$/, unavailable, { times: 1 });
      await page.goto('/?asOf=2026-05-31');
      const failed = page.locator('[data-load-failed]');
      await failed.waitFor();
      expect(await failed.innerText()).toContain('无法确认登录状态：服务暂时不可用');
      // not sent to 登录: the page asked for stays, nothing else on it
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/?asOf=2026-05-31');
      expect(await page.getByRole('button', { name: '登录' }).count()).toBe(0);
      await screenshot(page, '10b-session-check-failed');
      await expectClean(page, 'session check failed');
      await failed.getByRole('button', { name: '重新加载' }).click();
      await page.locator('.scope', { hasText: '截至 2026-05-31' }).waitFor();
      await page.locator('[data-card="gap"]').waitFor();
      expect(await failed.count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it('changes the user’s own password: the old one no longer signs in, the new one does', async () => {
    await t.as('infrastructure', 3, 'jijian_liannan');
    const { ctx, page } = await signedIn('jijian_liannan', PASSWORD);
    await page.getByRole('button', { name: /jijian_liannan/ }).click();
    await page.getByRole('menuitem', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog', { name: '修改密码' });
    await dialog.getByLabel('原密码').fill(PASSWORD);
    await dialog.getByLabel('新密码', { exact: true }).fill('New-Pass-456');
    await dialog.getByLabel('确认新密码').fill('New-Pass-457');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.getByText('两次输入的新密码不一致').waitFor();
    await screenshot(page, '11-change-password');
    await expectClean(page, 'change password', ['jijian_liannan']);
    await dialog.getByLabel('确认新密码').fill('New-Pass-456');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText('密码已修改').waitFor();
    await t
      .anon()
      .post('/api/auth/login')
      .send({ username: 'jijian_liannan', password: PASSWORD })
      .expect(401);
    await page.getByRole('button', { name: /jijian_liannan/ }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    await signIn(page, 'jijian_liannan', 'New-Pass-456');
    await ctx.close();
  });

  it('remembers column choices per user, pages by 条/页, and exports the filtered list', async () => {
    const { ctx, page } = await signedIn('admin', ADMIN_PASSWORD);
    const header = page.locator('.el-table__header-wrapper');
    await header.getByText('用地（亩）').waitFor();
    await page.getByRole('button', { name: '列设置' }).click();
    await page.locator('.el-popover .el-checkbox:visible', { hasText: '用地（亩）' }).click();
    await expect(header.getByText('用地（亩）').count()).resolves.toBe(0);
    await page.reload();
    await page.locator('.el-table__row').first().waitFor();
    await expect(header.getByText('用地（亩）').count()).resolves.toBe(0);
    // another user in the same browser has their own columns
    const signOutAndIn = async (from: string, user: string, password: string) => {
      await page.getByRole('button', { name: new RegExp(from) }).click();
      await page.getByRole('menuitem', { name: '退出登录' }).click();
      await page.waitForURL(/\/login/);
      await signIn(page, user, password);
    };
    await t.as('viewer', 3, 'viewer_columns');
    await signOutAndIn('admin', 'viewer_columns', PASSWORD);
    await header.getByText('用地（亩）').waitFor();
    await signOutAndIn('viewer_columns', 'admin', ADMIN_PASSWORD);
    await expect(header.getByText('用地（亩）').count()).resolves.toBe(0);

    // 10 条/页, then the second page
    const total = (await t.http().get('/api/projects').expect(200)).body.total as number;
    await page.locator('.el-pagination__sizes .el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '10条/页' }).click();
    await page.waitForURL(/pageSize=10/);
    // the URL changes before the list's answer arrives: wait for the rows, then count
    await rowsAre(page, 10);
    // the list settled (its answer in, the size menu closed) before the pager is clicked: a click
    // while the pager re-renders for the new page count once went nowhere (CI, 2026-12-05)
    await page.locator('.el-loading-mask').waitFor({ state: 'detached' });
    await page.locator('.el-select-dropdown:visible').waitFor({ state: 'detached' });
    await page.locator('.el-pager li.number').nth(1).waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    await page.locator('.el-pager li.number', { hasText: /^2$/ }).click();
    await page.waitForURL(/page=2/);
    await page
      .locator('.el-table__body-wrapper td', { hasText: `${11}` })
      .first()
      .waitFor();
    await rowsAre(page, total - 10);

    // 导出 the current filters: the workbook holds exactly the listed projects
    await page.getByPlaceholder('请输入项目名称').fill('幼儿园');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    const listed = (
      (await t.http().get('/api/projects?q=幼儿园&pageSize=100').expect(200)).body.items as {
        name: string;
      }[]
    ).map((p) => p.name);
    await page.getByText(`共 ${listed.length} 条`).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^项目台账-[^-]+-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(SCREENSHOTS, 'export.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const cells = new Set<string>();
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => cells.add(String(c.value))));
    const all = (
      (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
        name: string;
      }[]
    ).map((p) => p.name);
    expect(all.filter((n) => cells.has(n)).sort()).toEqual([...listed].sort());
    await ctx.close();
  });

  it('shows a city user its two counties’ projects and a county user its own; signs out', async () => {
    const created: { id: number; version: number }[] = [];
    for (const [name, regionId] of [
      ['源城区第一小学', 7],
      ['龙川县城南幼儿园', 8],
    ] as const)
      created.push(
        (
          await t
            .http()
            .post('/api/projects')
            .send({
              name,
              regionId,
              planYear: 2025,
              seats: { primary: 900 },
              plannedCompletion: '2027-08',
            })
            .expect(201)
        ).body as { id: number; version: number },
      );
    // the other tests of this file count the reference data's 14 projects, in any order
    afterThis.push(async () => {
      for (const p of created)
        await t
          .http()
          .post(`/api/projects/${p.id}/archive`)
          .send({ version: p.version, reason: '测试结束归档' })
          .expect(201);
    });
    await t.as('viewer', 6, 'viewer_heyuan');
    await t.as('viewer', 8, 'viewer_longchuan');

    const city = await signedIn('viewer_heyuan', PASSWORD);
    await city.page.getByText('共 2 条').waitFor();
    const regions = await city.page
      .locator('.el-table__body-wrapper .el-table__row')
      .allInnerTexts();
    expect(regions.join('\n')).toContain('源城区');
    expect(regions.join('\n')).toContain('龙川县');
    // a city user chooses a county
    await expect(
      city.page.locator('.search .el-form-item', { hasText: '区县' }).count(),
    ).resolves.toBe(1);
    await screenshot(city.page, '08-city-projects');
    await expectClean(city.page, 'city projects', ['viewer_heyuan']);
    // a link with every filter: each shown by its name, before any list is opened (the lists are
    // drawn only when opened)
    await city.page.goto(
      '/projects?regionId=8&planYear=2025&stage=primary&kind=new_build&status=planned,under_construction&alertLevel=none',
    );
    await city.page.getByText('共 0 条').waitFor();
    const chosen = async (label: string) =>
      (
        await city.page
          .locator('.search .el-form-item', { hasText: label })
          .locator('.el-select__wrapper')
          .innerText()
      )
        .split('\n')
        .map((w) => w.trim())
        .filter(Boolean);
    expect({
      county: await chosen('区县'),
      year: await chosen('年度'),
      stage: await chosen('学段'),
      kind: await chosen('项目类型'),
      status: await chosen('状态'),
      alert: await chosen('预警等级'),
    }).toEqual({
      county: ['龙川县'],
      year: ['2025年'],
      stage: ['小学'],
      kind: ['新建'],
      status: ['谋划储备', '+ 1'],
      alert: ['无预警'],
    });
    // of the screen's lists only the pager's (条/页, Element Plus's own) is drawn before it is opened
    expect(await city.page.locator('.el-select-dropdown__item').allTextContents()).toEqual([
      '10条/页',
      '20条/页',
      '50条/页',
      '100条/页',
    ]);
    await city.ctx.close();

    const county = await signedIn('viewer_longchuan', PASSWORD);
    await county.page.getByText('共 1 条').waitFor();
    await expect(
      county.page.locator('.el-table__body-wrapper .el-table__row').innerText(),
    ).resolves.toContain('龙川县城南幼儿园');
    await expect(
      county.page.locator('.search .el-form-item', { hasText: '区县' }).count(),
    ).resolves.toBe(0);

    // sign out: back to the sign-in page, and the session is over
    await county.page.getByRole('button', { name: /viewer_longchuan/ }).click();
    await county.page.getByRole('menuitem', { name: '退出登录' }).click();
    await county.page.waitForURL(/\/login/);
    await county.page.goto('/projects');
    await county.page.waitForURL(/\/login/);
    await county.ctx.close();
  });
});
