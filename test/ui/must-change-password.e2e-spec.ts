import type { Browser } from 'playwright-core';
import { regionIds, TestApp } from '../support/app';
import { officerContext, screenshot, startApp, stopApp } from './browser';

/** Issue 31, item 8: a password an admin set is changed at the next web sign-in, before anything else. */
describe('修改密码 first after an admin set the password, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  it('lands on 修改密码, cannot leave it until the password is changed, then reaches 首页', async () => {
    const regions = await regionIds(t);
    const county = regions['连南瑶族自治县'];
    await t
      .http()
      .post('/api/users')
      .send({
        username: 'ln.xinren',
        password: 'Initial-Pass-2026',
        role: 'infrastructure',
        regionId: county,
      })
      .expect(201);

    const ctx = await officerContext(browser, base);
    const page = await ctx.newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill('ln.xinren');
    await page.getByLabel('密码').fill('Initial-Pass-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((u) => u.pathname === '/change-password');
    await page.getByRole('heading', { name: '修改密码' }).waitFor();
    await page
      .getByText('您的密码由管理员设置（或由系统生成），请先修改密码，再使用系统')
      .waitFor();
    expect(await page.title()).toBe('修改密码 - 学校建设项目管理');
    await screenshot(page, '31-must-change-password');

    // nowhere else: every screen, typed in the address bar, comes back to 修改密码
    for (const to of ['/', '/projects', '/funding', '/admin', '/reports?month=2026-10']) {
      await page.goto(to);
      await page.waitForURL((u) => u.pathname === '/change-password');
      await page.getByRole('heading', { name: '修改密码' }).waitFor();
      expect([to, await page.locator('.el-menu').count()]).toEqual([to, 0]);
      // the page asked for is kept for after (none for 首页 itself)
      expect(new URL(page.url()).searchParams.get('redirect')).toBe(to === '/' ? null : to);
    }
    // a link to a past day of 首页: after the change, that day is shown, not today's
    await page.goto('/?asOf=2026-11-20');
    await page.waitForURL((u) => u.pathname === '/change-password');

    // a weak new password is refused with the server's words, and the page stays
    const fill = async (oldPassword: string, newPassword: string) => {
      await page.getByLabel('原密码').fill(oldPassword);
      await page.getByLabel('新密码', { exact: true }).fill(newPassword);
      await page.getByLabel('确认新密码').fill(newPassword);
      await page.getByRole('button', { name: '确定' }).click();
    };
    await fill('Initial-Pass-2026', 'password123');
    await page.getByText('密码过于常见，请换一个').waitFor();
    expect(new URL(page.url()).pathname).toBe('/change-password');

    await fill('Initial-Pass-2026', 'Abc1234567');
    await page
      .getByText('密码过于简单：不能主要由重复或连续的字母、数字组成（如 1111、1234）')
      .waitFor();

    // 大字模式 from this page too: the field's message grows with its label
    await page.getByRole('button', { name: '大字模式' }).click();
    expect(
      await page.evaluate(() => document.documentElement.classList.contains('large-text')),
    ).toBe(true);
    const sizes = await page.evaluate(() => ({
      label: getComputedStyle(document.querySelector('.el-form-item__label')!).fontSize,
      error: getComputedStyle(document.querySelector('.el-form-item__error')!).fontSize,
      rule: getComputedStyle(document.querySelector('.rule')!).fontSize,
    }));
    expect(sizes).toEqual({ label: '16px', error: '15px', rule: '16px' });
    await screenshot(page, '31-must-change-password-large');
    await page.getByRole('button', { name: '标准字号' }).click();

    await fill('Initial-Pass-2026', 'Xinren-Own-Choice-9');
    await page.waitForURL((u) => u.pathname === '/' && u.search === '?asOf=2026-11-20');
    await page.locator('.scope', { hasText: '截至 2026-11-20' }).waitFor();
    await page.locator('[data-card="gap"]').waitFor();
    expect(await page.title()).toBe('首页 - 学校建设项目管理');
    await page.getByRole('menuitem', { name: '项目台账' }).click();
    await page.waitForURL((u) => u.pathname === '/projects');
    await page.locator('.el-table__row').first().waitFor();

    // the server agrees: the flag is cleared, the new password signs in
    const login = await t
      .anon()
      .post('/api/auth/login')
      .send({ username: 'ln.xinren', password: 'Xinren-Own-Choice-9' })
      .expect(200);
    expect(login.body.mustChangePassword).toBe(false);
    await ctx.close();
  });
});
