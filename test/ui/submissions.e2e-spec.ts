import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { createTestApp, regionIds, TestApp } from '../support/app';
import { expectClean, launch, screenshot, signedInPage } from './browser';

/**
 * Issue 33, point 8: 月报报送 (a county's officer) and 审核 (the city's officer) in a real browser at
 * 1366×768 with axe — submit with a forced 说明, return with a reason, the reason at the top of the
 * county's screen, resubmit, approve; a double-clicked 报送 is one submission.
 */
describe('月报报送 and 审核, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let county: number;
  let city: number;
  const PASSWORD = 'User-Pass-123';
  const FORCE_NOTE = '寨岗镇中心小学已支付为县财政直接拨付，到位凭证12月补录';
  const MONTH = '2026-11'; // TEST_NOW is 2026-12-02: November has ended, its report is due

  async function officer(username: string, displayName: string, regionId: number) {
    const u = await t
      .http()
      .post('/api/users')
      .send({ username, displayName, password: PASSWORD, role: 'infrastructure', regionId })
      .expect(201);
    await t.passwordChosen(u.body.id as number);
  }
  /** The county's month as the API lists it to the admin. */
  async function listed(regionId: number) {
    const items = (await t.http().get(`/api/submissions?month=${MONTH}`).expect(200)).body
      .items as { id: number | null; regionId: number; status: string; dueOn: string }[];
    return items.find((s) => s.regionId === regionId)!;
  }
  async function detail(id: number) {
    return (await t.http().get(`/api/submissions/${id}`).expect(200)).body as {
      status: string;
      version: number;
      forced: boolean;
      forceNote: string | null;
      sha256: string;
      returnReason: string | null;
      events: { action: string; actorName: string; comment: string | null }[];
      files: { seq: number; sha256: string }[];
    };
  }
  /** Waits until the element reads `text` (after a write the screen reloads), then asserts it. */
  async function shows(loc: Locator, text: string) {
    await loc.filter({ hasText: text }).waitFor();
    expect((await loc.innerText()).trim()).toBe(text);
  }
  async function openSubmission(page: Page) {
    await page.getByRole('menuitem', { name: '月报报送' }).click();
    await page.waitForURL((u) => u.pathname === '/submission');
    await page.locator('[data-panel="status"] [data-status]').waitFor();
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve('web/dist/index.html')))
      throw new Error('web/dist is not built (npx vite build web)');
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launch();
    const regions = await regionIds(t);
    county = regions['连南瑶族自治县'];
    city = regions['清远市'];
    await officer('ln.jijian', '陈建国', county);
    await officer('qy.jijian', '林海', city);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /**
   * One story (each step builds on the last) and `--randomize` shuffles the tests of a file: the
   * steps run in order inside one test, each named in a failure.
   */
  const steps: { name: string; run: () => Promise<void> }[] = [];
  const step = (name: string, run: () => Promise<void>) => steps.push({ name, run });

  step(
    'the county submits (forced, double-clicked: once), the city returns it, the county resubmits, the city approves',
    async () => {
      const before = await listed(county);
      expect(before).toMatchObject({ id: null, status: 'not_submitted' });
      const checks = (
        await t.http().get(`/api/submissions/checks?month=${MONTH}&regionId=${county}`).expect(200)
      ).body as { errors: number; warnings: number };

      // ---- the county: 月报报送, last month by default ---------------------------------------
      const c = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
      const page = c.page;
      // the county reports, it reviews nobody: 月报报送 in the menu, no 审核
      await expect(page.getByRole('menuitem', { name: '审核' }).count()).resolves.toBe(0);
      await openSubmission(page);
      const status = page.locator('[data-panel="status"]');
      await expect(status.locator('h3').innerText()).resolves.toBe('连南瑶族自治县 2026年11月月报');
      await shows(status.locator('[data-status]'), '未报送');
      await expect(status.locator('[data-due]').innerText()).resolves.toBe(before.dueOn);
      await expect(page.locator('[data-returned]').count()).resolves.toBe(0);
      const summary = await page.locator('[data-checks-summary]').innerText();
      expect(summary).toBe(`错误 ${checks.errors} 处，警告 ${checks.warnings} 处。`);
      await expect(page.locator('[data-table="checks"] .el-table__row').count()).resolves.toBe(
        checks.errors + checks.warnings,
      );
      await screenshot(page, 'submissions-01-county-before');
      await expectClean(page, '月报报送', ['ln.jijian']);

      const submitPanel = page.locator('[data-panel="submit"]');
      const button = submitPanel.locator('[data-action="submit"]');
      // the seeded county has errors (overdue projects without a 说明): 强制报送, and only with a 说明
      expect(checks.errors).toBeGreaterThan(0);
      await expect(button.innerText()).resolves.toBe('强制报送');
      await button.click();
      await expect(submitPanel.locator('.el-form-item__error').innerText()).resolves.toBe(
        '存在错误，强制报送须填写说明',
      );
      expect((await listed(county)).status).toBe('not_submitted');
      await submitPanel.getByLabel('强制报送说明').fill(FORCE_NOTE);
      // leaving with a typed 说明 asks first; 继续填写 keeps it
      await page.locator('.el-menu-item', { hasText: '首页' }).click();
      const leave = page.locator('.el-message-box');
      await leave.getByText('有未提交的内容，确定离开吗？').waitFor();
      await leave.getByRole('button', { name: '继续填写' }).click();
      await leave.waitFor({ state: 'hidden' });
      expect(new URL(page.url()).pathname).toBe('/submission');
      await expect(submitPanel.getByLabel('强制报送说明').inputValue()).resolves.toBe(FORCE_NOTE);
      await screenshot(page, 'submissions-02-county-note');
      // a double click is one submission
      await button.dblclick();
      await shows(status.locator('[data-status]'), '已报送（待审核）');
      let now = await listed(county);
      const first = await detail(now.id!);
      expect(first.events.filter((e) => e.action === 'submit')).toHaveLength(1);
      expect(first).toMatchObject({
        status: 'submitted',
        version: 1,
        forced: true,
        forceNote: FORCE_NOTE,
      });
      expect(first.files).toHaveLength(1);
      // the frozen file, as the county downloads it, is the one whose hash the API states
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-action="frozen"]').click(),
      ]);
      const bytes = fs.readFileSync((await file.path())!);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.sha256);
      await page.locator('[data-table="events"] .el-table__row').first().waitFor();
      // who: the API's actorName (the username)
      expect(await page.locator('[data-table="events"]').innerText()).toContain('ln.jijian');
      await screenshot(page, 'submissions-03-county-submitted');
      await expectClean(page, '月报报送（已报送）', ['ln.jijian']);

      // ---- the city: 审核 -------------------------------------------------------------------
      const q = await signedInPage(browser, base, 'qy.jijian', PASSWORD);
      const cityPage = q.page;
      await cityPage.goto('/');
      const counts = cityPage.locator('[data-panel="submissions"]');
      await counts.waitFor();
      await expect(counts.locator('[data-count="submitted"]').innerText()).resolves.toBe(
        '已报送（待审核） 1 个',
      );
      await screenshot(cityPage, 'submissions-04-city-home');
      await counts.getByText('进入审核').click();
      await cityPage.waitForURL((u) => u.pathname === '/review');
      const row = cityPage.locator('[data-table="review"] .el-table__row', {
        hasText: '连南瑶族自治县',
      });
      await row.waitFor();
      expect(await row.innerText()).toContain('已报送（待审核）');
      await screenshot(cityPage, 'submissions-05-review-list');
      await expectClean(cityPage, '审核', ['qy.jijian']);
      await row.getByRole('button', { name: '审核' }).click();
      const drawer = cityPage.locator('.el-drawer');
      await drawer.locator('[data-table="events"] .el-table__row').first().waitFor();
      await expect(drawer.locator('[data-force-note]').innerText()).resolves.toBe(
        `强制报送说明：${FORCE_NOTE}`,
      );
      await expect(drawer.locator('[data-changes="none"]').count()).resolves.toBe(1);
      await screenshot(cityPage, 'submissions-06-review-open');
      await expectClean(cityPage, '审核（打开）', ['qy.jijian', 'ln.jijian']);
      // 退回 needs a reason
      await drawer.locator('[data-action="return"]').click();
      const dlg = cityPage.locator('.el-dialog:visible');
      await dlg.locator('[data-action="confirm-back"]').click();
      await expect(dlg.locator('.el-form-item__error').innerText()).resolves.toBe('请填写退回原因');
      expect((await listed(county)).status).toBe('submitted');
      const REASON = '寨岗镇中心小学11月支付凭证缺失，请补录到位资金后重新报送';
      await dlg.getByLabel('退回原因').fill(REASON);
      await screenshot(cityPage, 'submissions-07-return');
      await dlg.locator('[data-action="confirm-back"]').click();
      await shows(drawer.locator('[data-status]'), '已退回');
      now = await listed(county);
      expect(now.status).toBe('returned');

      // ---- the county sees the reason at the top, resubmits -----------------------------------
      await page.reload();
      const returned = page.locator('[data-returned]');
      await returned.waitFor();
      expect(await returned.innerText()).toContain(`上级已退回：${REASON}`);
      expect(await returned.innerText()).toContain('退回人：qy.jijian');
      await shows(status.locator('[data-status]'), '已退回');
      await screenshot(page, 'submissions-08-county-returned');
      await expectClean(page, '月报报送（已退回）', ['ln.jijian', 'qy.jijian']);
      await submitPanel.getByLabel('强制报送说明').fill('已补录到位凭证，数据复核无误');
      await button.click();
      await shows(status.locator('[data-status]'), '已报送（待审核）');
      const second = await detail(now.id!);
      expect(second.files.map((f) => f.seq)).toEqual([1, 2]);
      expect(second.files[0].sha256).toBe(first.sha256);

      // ---- the city approves ----------------------------------------------------------------
      await cityPage.reload();
      await row.getByRole('button', { name: '审核' }).click();
      await drawer.locator('[data-table="events"] .el-table__row').first().waitFor();
      // a second version: the comparison is there (a table of changes, or 数据相同)
      await expect(
        drawer.locator('[data-table="changes"], [data-changes="same"]').count(),
      ).resolves.toBe(1);
      await drawer.locator('[data-action="approve"]').click();
      await shows(drawer.locator('[data-status]'), '已通过');
      await expect(drawer.locator('[data-action="reopen"]').isEnabled()).resolves.toBe(true);
      await screenshot(cityPage, 'submissions-09-approved');
      const done = await detail(now.id!);
      expect(done.status).toBe('approved');
      expect(done.events.map((e) => e.action)).toEqual(
        expect.arrayContaining(['submit', 'return', 'submit', 'approve']),
      );
      expect(done.events.find((e) => e.action === 'return')).toMatchObject({ comment: REASON });

      // the county's 首页: this month's status
      await page.goto('/');
      const own = page.locator('[data-own-status]');
      await own.waitFor();
      await expect(own.innerText()).resolves.toBe('已通过');
      await screenshot(page, 'submissions-10-county-home');
      await expectClean(page, '首页', ['ln.jijian']);
      // 大字模式 and print still show the month
      await page.evaluate(() => localStorage.setItem('tracker.largeText.ln.jijian', '1'));
      await openSubmission(page);
      await page.reload();
      await page.locator('[data-panel="status"] [data-status]').waitFor();
      await screenshot(page, 'submissions-11-county-large');
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('[data-action="withdraw"]').isVisible()).resolves.toBe(false);
      await expect(page.locator('[data-panel="status"] h3').isVisible()).resolves.toBe(true);
      await c.ctx.close();
      await q.ctx.close();
    },
  );

  step(
    'a stale 退回 reloads with 数据已被他人修改; the county withdraws before the city opens it',
    async () => {
      const regions = await regionIds(t);
      const lechang = regions['乐昌市'];
      const shaoguan = regions['韶关市'];
      await officer('lc.jijian', '周文', lechang);
      await officer('sg.jijian', '黄涛', shaoguan);
      // 乐昌市 has no project in the seed: one, overdue without a 说明 (an error of the checks)
      await t
        .http()
        .post('/api/projects')
        .send({
          name: '乐昌市第二中学',
          regionId: lechang,
          budgetWan: '100',
          plannedCompletion: '2020-01',
        })
        .expect(201);
      const lc = await t.as('infrastructure', lechang);
      const sub = (
        await lc
          .post('/api/submissions')
          .send({ month: MONTH, note: '按期报送', force: true })
          .expect(201)
      ).body as { id: number; version: number };

      // the county withdraws it on its screen (the city has not opened it)
      const c = await signedInPage(browser, base, 'lc.jijian', PASSWORD);
      await openSubmission(c.page);
      const status = c.page.locator('[data-panel="status"] [data-status]');
      await shows(status, '已报送（待审核）');
      await c.page.locator('[data-action="withdraw"]').click();
      await c.page.locator('.el-message-box').getByRole('button', { name: '确定撤回' }).click();
      await shows(status, '已撤回');
      expect((await detail(sub.id)).status).toBe('withdrawn');
      await screenshot(c.page, 'submissions-12-county-withdrawn');
      // and submits again
      await c.page
        .locator('[data-panel="submit"]')
        .getByLabel('强制报送说明')
        .fill('撤回后补充说明，重新报送');
      await c.page.locator('[data-panel="submit"] [data-action="submit"]').click();
      await shows(status, '已报送（待审核）');
      await c.ctx.close();

      // the city opens it; meanwhile an admin approves it: the city's 退回 meets a 409
      const q = await signedInPage(browser, base, 'sg.jijian', PASSWORD);
      await q.page.goto(`/review?month=${MONTH}`);
      const row = q.page.locator('[data-table="review"] .el-table__row', { hasText: '乐昌市' });
      await row.getByRole('button', { name: '审核' }).click();
      const drawer = q.page.locator('.el-drawer');
      await shows(drawer.locator('[data-status]'), '已报送（待审核）');
      const now = await detail(sub.id);
      await t
        .http()
        .post(`/api/submissions/${sub.id}/approve`)
        .send({ version: now.version })
        .expect(200);
      await drawer.locator('[data-action="return"]').click();
      const dlg = q.page.locator('.el-dialog:visible');
      await dlg.getByLabel('退回原因').fill('数据有误');
      await dlg.locator('[data-action="confirm-back"]').click();
      await q.page.locator('.el-message', { hasText: '数据已被他人修改，已重新加载' }).waitFor();
      await shows(drawer.locator('[data-status]'), '已通过');
      const after = await detail(sub.id);
      expect(after.status).toBe('approved');
      expect(after.events.filter((e) => e.action === 'return')).toHaveLength(0);
      await screenshot(q.page, 'submissions-13-stale');
      await q.ctx.close();
    },
  );

  step('催报: the city reminds a county that has not submitted, once a day', async () => {
    const regions = await regionIds(t);
    await officer('hy.jijian', '吴强', regions['河源市']);
    // 河源市 has no project in the seed (the sign-in waits for the 项目台账's first row)
    await t
      .http()
      .post('/api/projects')
      .send({ name: '源城区第三小学', regionId: regions['源城区'], budgetWan: '100' })
      .expect(201);
    const q = await signedInPage(browser, base, 'hy.jijian', PASSWORD);
    await q.page.goto(`/review?month=${MONTH}`);
    const row = q.page.locator('[data-table="review"] .el-table__row', { hasText: '源城区' });
    await row.waitFor();
    expect(await row.innerText()).toContain('未报送');
    await row.getByRole('button', { name: '催报' }).click();
    await q.page.locator('.el-message', { hasText: '已向源城区催报' }).waitFor();
    const listed = (await t.http().get(`/api/submissions?month=${MONTH}`).expect(200)).body
      .items as { regionId: number; reminders: number }[];
    expect(listed.find((s) => s.regionId === regions['源城区'])!.reminders).toBe(1);
    expect(listed.find((s) => s.regionId === regions['龙川县'])!.reminders).toBe(0);
    await row.filter({ hasText: '1 次' }).waitFor();
    // a second one the same day: the button is disabled, saying why; the API refuses it as well
    const again = row.getByRole('button', { name: '催报' });
    await expect(again.isDisabled()).resolves.toBe(true);
    await expect(again.getAttribute('title')).resolves.toBe('今天已催报，每个地区每天最多催报一次');
    const refused = await t
      .http()
      .post('/api/submissions/remind')
      .send({ month: MONTH, regionId: regions['源城区'] })
      .expect(429);
    expect(refused.body.message).toContain(
      '今天已催报过该县区，每个县区每天最多催报一次，请明天再催',
    );
    await screenshot(q.page, 'submissions-14-remind');
    await expectClean(q.page, '审核（催报）', ['hy.jijian']);
    await q.ctx.close();
  });

  it('runs in order: the whole cycle on screen, a stale 退回 and 撤回, 催报', async () => {
    for (const s of steps) {
      try {
        await s.run();
      } catch (e) {
        if (e instanceof Error) e.message = `step「${s.name}」: ${e.message}`;
        throw e;
      }
    }
  }, 600_000);
});
