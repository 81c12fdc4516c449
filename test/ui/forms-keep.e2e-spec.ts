import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, TestApp } from '../support/app';
import { expectClean, projectIdOf, screenshot, signedInPage, startApp, stopApp } from './browser';

/**
 * Issue 30 points 1 and 2 in Chromium (zh-CN, 1366×768): a form keeps what was typed (choosing
 * 项目状态 resets nothing; a half-filled form asks before it is left; the open tab is in the URL),
 * and nothing typed is changed silently (130, −5 and 35.5 stay as typed with a Chinese message
 * under 形象进度, no browser bubble, nothing filed; amounts as people type them are taken).
 */
describe('forms keep what was typed, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let id: number;
  /** 进度填报 with an empty 项目状态 files a report of its own on another project (any order). */
  let other: number;
  const LEAVE = '有未提交的内容，确定离开吗？';
  const PERCENT = '形象进度须为0到100之间的整数';

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    id = await projectIdOf(t, '石泉中学');
    other = await projectIdOf(t, '顺德希望小学');
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  const reportsFiled = async (project = id): Promise<number> =>
    (await t.http().get(`/api/projects/${project}/progress`).expect(200)).body.total as number;
  const item = (form: Locator, label: string) =>
    form.locator('.el-form-item', { has: form.page().getByText(label, { exact: true }) });
  const errorUnder = (form: Locator, label: string) =>
    item(form, label).locator('.el-form-item__error');
  async function pickStatus(page: Page, form: Locator, label: string): Promise<void> {
    await item(form, '项目状态').locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click();
  }
  async function openProgress(page: Page, project = id): Promise<Locator> {
    await page.goto(`/projects/${project}`);
    await page.getByRole('tab', { name: '进度填报' }).click();
    const form = page.locator('.report-form');
    await form.waitFor();
    return form;
  }
  /** No field's message lies over another field: each sits inside its own form item. */
  async function messagesInTheirRoom(form: Locator): Promise<void> {
    const boxes = await form.locator('.el-form-item').evaluateAll((items) =>
      items.map((el) => {
        const r = el.getBoundingClientRect();
        const e = el.querySelector(':scope > .el-form-item__content > .el-form-item__error');
        const m = e?.getBoundingClientRect();
        return {
          top: r.top,
          bottom: r.bottom,
          left: r.left,
          right: r.right,
          error: m ? { top: m.top, bottom: m.bottom, left: m.left, right: m.right } : null,
        };
      }),
    );
    for (const [i, b] of boxes.entries()) {
      if (!b.error) continue;
      expect(b.error.bottom).toBeLessThanOrEqual(b.bottom + 0.5);
      for (const [j, o] of boxes.entries()) {
        if (i === j) continue;
        const overlaps =
          b.error.left < o.right &&
          o.left < b.error.right &&
          b.error.top < o.bottom &&
          o.top < b.error.bottom;
        expect({ field: i, over: j, overlaps }).toEqual({ field: i, over: j, overlaps: false });
      }
    }
  }

  it('choosing 项目状态 keeps 填报日期, 形象进度 and 备注 as typed, and files them', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    const form = await openProgress(page);
    const date = form.getByLabel('填报日期');
    await date.fill('2026-11-20');
    await date.press('Enter');
    await form.getByLabel('形象进度（%）').fill('35');
    await form.getByLabel('备注').fill('主体结构施工');
    await pickStatus(page, form, '在建');
    await expect(date.inputValue()).resolves.toBe('2026-11-20');
    await expect(form.getByLabel('形象进度（%）').inputValue()).resolves.toBe('35');
    await expect(form.getByLabel('备注').inputValue()).resolves.toBe('主体结构施工');
    await screenshot(page, 'forms-01-status-keeps');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByText('进度已提交').waitFor();
    const filed = (await t.http().get(`/api/projects/${id}/progress`).expect(200)).body.items[0];
    expect(filed).toMatchObject({
      reportedOn: '2026-11-20',
      status: 'under_construction',
      progressPercent: 35,
      note: '主体结构施工',
    });
    await ctx.close();
  });

  it.each([
    ['130', 'forms-02-percent-130'],
    ['-5', 'forms-03-percent-minus-5'],
    ['35.5', 'forms-04-percent-35-5'],
  ])(
    '形象进度 %s stays as typed with a Chinese message under it, and nothing is filed',
    async (typed, shot) => {
      const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
      const form = await openProgress(page);
      const before = await reportsFiled();
      const percent = form.getByLabel('形象进度（%）');
      await percent.fill(typed);
      await form.getByLabel('备注').click(); // leaving the field: no clamping, a message
      await expect(percent.inputValue()).resolves.toBe(typed);
      await expect(errorUnder(form, '形象进度（%）').innerText()).resolves.toBe(PERCENT);
      // no browser bubble: the box is a text box with nothing for the browser to check
      await expect(
        percent.evaluate((el) => [
          (el as HTMLInputElement).type,
          (el as HTMLInputElement).validationMessage,
        ]),
      ).resolves.toEqual(['text', '']);
      await form.getByRole('button', { name: '提交' }).click();
      await expect(percent.inputValue()).resolves.toBe(typed);
      await expect(errorUnder(form, '形象进度（%）').innerText()).resolves.toBe(PERCENT);
      expect(await reportsFiled()).toBe(before);
      await messagesInTheirRoom(form);
      await screenshot(page, shot);
      await expectClean(page, `形象进度 ${typed}`, ['admin']);
      await ctx.close();
    },
  );

  it('an empty 项目状态 says 请选择项目状态 (no codes, no list); an amount with separators is filed', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    const form = await openProgress(page, other);
    const before = await reportsFiled(other);
    const status = item(form, '项目状态');
    await status.locator('.el-select__wrapper').hover();
    await status.locator('.el-select__clear').click();
    await form.getByLabel('形象进度（%）').fill('40');
    await form.getByLabel('累计完成投资（万元）').fill('１，２００.５０');
    await form.getByRole('button', { name: '提交' }).click();
    await expect(errorUnder(form, '项目状态').innerText()).resolves.toBe('请选择项目状态');
    expect(await reportsFiled(other)).toBe(before);
    await screenshot(page, 'forms-05-status-empty');
    await expectClean(page, 'empty status', ['admin']);
    // only the statuses the project may move to are offered
    await status.locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible').first().waitFor();
    const project = (await t.http().get(`/api/projects/${other}`).expect(200)).body as {
      nextStatuses: string[];
    };
    await expect(page.locator('.el-select-dropdown__item:visible').count()).resolves.toBe(
      project.nextStatuses.length,
    );
    await page.locator('.el-select-dropdown__item:visible', { hasText: '在建' }).click();
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByText('进度已提交').waitFor();
    expect(await reportsFiled(other)).toBe(before + 1);
    const filed = (await t.http().get(`/api/projects/${other}/progress`).expect(200)).body.items[0];
    expect(filed).toMatchObject({ progressPercent: 40, investmentCompletedWan: '1200.50' });
    await ctx.close();
  });

  it('a half-filled form asks before a route change or a reload; a tab switch keeps it', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    const form = await openProgress(page);
    const note = form.getByLabel('备注');
    await note.click();
    await page.keyboard.type('半截的填报');
    // a tab switch inside 项目详情 keeps it, without a question
    await page.getByRole('tab', { name: '里程碑' }).click();
    await page.waitForURL((u) => u.searchParams.get('tab') === 'milestones');
    await page.getByRole('tab', { name: '进度填报' }).click();
    await expect(note.inputValue()).resolves.toBe('半截的填报');
    // a route change asks; 继续填写 stays with everything typed
    await page.locator('.el-menu-item', { hasText: '项目台账' }).click();
    const box = page.locator('.el-message-box');
    await box.getByText(LEAVE).waitFor();
    await screenshot(page, 'forms-06-leave-question');
    await expectClean(page, 'leave question', ['admin']);
    await box.getByRole('button', { name: '继续填写' }).click();
    await box.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe(`/projects/${id}`);
    await expect(note.inputValue()).resolves.toBe('半截的填报');
    // a reload asks too (the browser's own question); staying keeps it
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.type();
      void d.dismiss();
    });
    await page.reload({ timeout: 3000 }).catch(() => undefined);
    expect(asked).toBe('beforeunload');
    await expect(note.inputValue()).resolves.toBe('半截的填报');
    // 离开 leaves
    await page.locator('.el-menu-item', { hasText: '项目台账' }).click();
    await box.getByText(LEAVE).waitFor();
    await box.getByRole('button', { name: '离开' }).click();
    await page.waitForURL((u) => u.pathname === '/projects');
    await ctx.close();
  });

  it('back and reload reopen 项目详情 on the tab it was on', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    await page.goto(`/projects/${id}`);
    await page.getByRole('tab', { name: '变更记录' }).click();
    await page.waitForURL((u) => u.searchParams.get('tab') === 'history');
    await page.reload();
    await expect(
      page.getByRole('tab', { name: '变更记录' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.locator('.el-menu-item', { hasText: '项目台账' }).click();
    await page.waitForURL((u) => u.pathname === '/projects');
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('tab') === 'history');
    await page.getByRole('tab', { name: '变更记录' }).waitFor();
    await expect(
      page.getByRole('tab', { name: '变更记录' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await ctx.close();
  });

  it('资金: "1,200.50" and full-width digits are taken; a half-filled dialog asks before it closes', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    await page.goto(`/projects/${id}`);
    await page.getByRole('tab', { name: '资金' }).click();
    await page.getByRole('button', { name: '新增资金来源' }).click();
    const dialog = page.locator('.el-dialog', { hasText: '新增资金来源' });
    await item(dialog, '资金来源').locator('.el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '县级财政' }).click();
    await item(dialog, '已落实（万元）').locator('input').fill('1,200.50');
    await item(dialog, '已到位（万元）').locator('input').fill('１２００.５０');
    const committedOn = dialog.getByLabel('落实日期');
    await committedOn.fill('2026-11-01');
    await committedOn.press('Enter');
    const receivedOn = dialog.getByLabel('到位日期');
    await receivedOn.fill('2026-11-02');
    await receivedOn.press('Enter');
    // 取消 with something typed asks first; 继续填写 keeps it
    await dialog.getByRole('button', { name: '取消' }).click();
    const box = page.locator('.el-message-box');
    await box.getByText(LEAVE).waitFor();
    await box.getByRole('button', { name: '继续填写' }).click();
    await box.waitFor({ state: 'hidden' });
    await expect(item(dialog, '已落实（万元）').locator('input').inputValue()).resolves.toBe(
      '1,200.50',
    );
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText('已保存').first().waitFor();
    const lines = (await t.http().get(`/api/projects/${id}/funding`).expect(200)).body.items as {
      source: string;
      committedWan: string;
      receivedWan: string;
    }[];
    expect(lines.filter((l) => l.committedWan === '1200.50')).toEqual([
      expect.objectContaining({
        source: 'county_budget',
        committedWan: '1200.50',
        receivedWan: '1200.50',
      }),
    ]);
    await ctx.close();
  });

  it('a milestone finished in the future names 实际完成日期', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    await page.goto(`/projects/${id}`);
    await page.getByRole('tab', { name: '里程碑' }).click();
    const row = page.locator('#pane-milestones .el-table__row').first();
    await row.getByRole('button', { name: '编辑' }).click();
    await row.getByLabel('实际完成').fill('2027-01-05');
    await row.getByRole('button', { name: '保存' }).click();
    await row.getByText('实际完成日期不能晚于今天').waitFor();
    await screenshot(page, 'forms-07-milestone-future');
    await ctx.close();
  });
});
