import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { regionIds, TestApp } from '../support/app';
import { expectClean, screenshot, signedInPage, startApp, stopApp, unavailable } from './browser';

/**
 * Issue 33, point 8: 月报报送 (a county's officer) and 审核 (the city's officer) in a real browser at
 * 1366×768 with axe — submit with a forced 说明, return with a reason, the reason at the top of the
 * county's screen, resubmit, approve; a double-clicked 报送 is one submission. The walk-through's
 * fixes: people named by 姓名, same-name projects told apart, every frozen version downloadable by
 * both sides, viewers reading both screens without buttons, and both screens printed.
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

  async function officer(
    username: string,
    displayName: string,
    regionId: number,
    role = 'infrastructure',
  ) {
    const u = await t
      .http()
      .post('/api/users')
      .send({ username, displayName, password: PASSWORD, role, regionId })
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
    ({ t, browser, base } = await startApp());
    const regions = await regionIds(t);
    county = regions['连南瑶族自治县'];
    city = regions['清远市'];
    await officer('ln.jijian', '陈建国', county);
    await officer('qy.jijian', '林海', city);
    // two projects of one name in the county (the seed has none): 资金测算 未测算, a warning each
    for (const planYear of [2025, 2026])
      await t
        .http()
        .post('/api/projects')
        .send({ name: '连南同名小学', regionId: county, planYear })
        .expect(201);
  });
  const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  /** What print shows: the header's text, the buttons and inputs still visible, the tables' heads. */
  async function printed(page: Page) {
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    return page.evaluate(() => {
      const shown = (e: Element) => {
        const r = (e as HTMLElement).getBoundingClientRect();
        return getComputedStyle(e).display !== 'none' && r.width > 0 && r.height > 0;
      };
      const headers = [...document.querySelectorAll('[data-print="header"]')].filter(shown);
      return {
        header: headers.map((h) => (h as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
        // the screen's tables give way to their one-table copies (header repeated on each page)
        screenTables: [...document.querySelectorAll('.el-table')].filter(shown).length,
        controls: [...document.querySelectorAll('button, input, textarea, .el-select')]
          .filter(shown)
          .map((e) => (e as HTMLElement).innerText || e.getAttribute('aria-label') || e.tagName),
        tables: [...document.querySelectorAll('table.print-copy')]
          .filter(shown)
          .map((t) =>
            [...t.querySelectorAll('thead th')].map((th) => th.textContent!.trim()).filter(Boolean),
          ),
        events: [...document.querySelectorAll('table.print-copy')]
          .filter(shown)
          .filter((t) => t.querySelector('thead')!.textContent!.includes('状态变化'))
          .map((t) =>
            [...t.querySelectorAll('tbody tr')].map((r) => r.children[1].textContent!.trim()),
          ),
      };
    });
  }
  async function unprint(page: Page) {
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  }
  afterAll(async () => {
    await stopApp({ t, browser });
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
      // the top bar names the officer by 姓名, the username on hover
      const account = page.locator('.top [data-account]');
      await expect(account.innerText()).resolves.toBe('陈建国（基建股）');
      await expect(account.getAttribute('title')).resolves.toBe('用户名：ln.jijian');
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
      // the two 连南同名小学 are told apart: system number, region, 年度
      const twins = page.locator('[data-table="checks"] .el-table__row', {
        hasText: '连南同名小学',
      });
      await expect(twins.count()).resolves.toBe(2);
      const which = await twins.locator('[data-which]').allInnerTexts();
      expect(which.map((w) => w.replace(/系统编号 \d+/, '系统编号 #'))).toEqual([
        '系统编号 # · 连南瑶族自治县 · 2025年度',
        '系统编号 # · 连南瑶族自治县 · 2026年度',
      ]);
      expect(new Set(which).size).toBe(2);
      await screenshot(page, 'submissions-01-county-before');
      await expectClean(page, '月报报送', ['ln.jijian']);
      // the checks fail to load: the screen says so, not 检查通过 with a plain 报送 (it did)
      await page.route(/\/api\/submissions\/checks\?/, unavailable, { times: 1 });
      await page.reload();
      const failed = page.locator('[data-load-failed]');
      await failed.waitFor();
      await expect(failed.innerText()).resolves.toContain('服务暂时不可用，当前页面未显示数据。');
      await page.locator('.el-loading-mask').waitFor({ state: 'detached' });
      await expect(page.locator('[data-checks-summary]').count()).resolves.toBe(0);
      await expect(page.locator('[data-panel="submit"]').count()).resolves.toBe(0);
      await failed.getByRole('button', { name: '重新加载' }).click();
      await expect(page.locator('[data-checks-summary]').innerText()).resolves.toBe(summary);
      await expect(failed.count()).resolves.toBe(0);

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
      // a reload keeps the typed 说明 (a draft per region and month in sessionStorage)
      await page.reload();
      await submitPanel.getByLabel('强制报送说明').waitFor();
      await expect(submitPanel.getByLabel('强制报送说明').inputValue()).resolves.toBe(FORCE_NOTE);
      await screenshot(page, 'submissions-02-county-note');
      // a double click is one question, and one submission after 确定强制报送
      await button.dblclick();
      const force = page.locator('.el-message-box');
      await force.getByText('连南瑶族自治县2026年11月月报存在').waitFor();
      await expect(force.count()).resolves.toBe(1);
      await expect(force.locator('.el-message-box__title').innerText()).resolves.toBe('强制报送');
      await force.getByRole('button', { name: '确定强制报送' }).click();
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
      // who: 姓名（用户名）, in the history and beside 报送时间
      expect(await page.locator('[data-table="events"]').innerText()).toContain(
        '陈建国（ln.jijian）',
      );
      expect(await status.innerText()).toContain(' · 陈建国（ln.jijian）');
      // 报送版本: the one frozen file, its SHA-256 shown
      await expect(
        page.locator('[data-table="files"] [data-sha]').allInnerTexts(),
      ).resolves.toEqual([first.sha256]);
      // submitted: the draft is gone
      await expect(
        page.evaluate(() =>
          Object.keys(sessionStorage).filter((k) => k.includes('submissionNote')),
        ),
      ).resolves.toEqual([]);
      await screenshot(page, 'submissions-03-county-submitted');
      await expectClean(page, '月报报送（已报送）', ['ln.jijian', 'SHA', first.sha256]);

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
      // the list fails to load, then 重新加载 is held 1.5 s: meanwhile the table is loading, it
      // does not say 加载失败 under the mask
      const reviewEmpty = cityPage.locator('[data-table="review"] .el-table__empty-text');
      await cityPage.route(/\/api\/submissions\?month=/, unavailable, { times: 1 });
      await cityPage.reload();
      const reviewFailed = cityPage.locator('[data-load-failed]');
      await reviewFailed.waitFor();
      await expect(reviewEmpty.innerText()).resolves.toBe('加载失败');
      await cityPage.route(
        /\/api\/submissions\?month=/,
        async (route) => {
          await new Promise((r) => setTimeout(r, 1500));
          await route.continue();
        },
        { times: 1 },
      );
      await reviewFailed.getByRole('button', { name: '重新加载' }).click();
      await expect(reviewEmpty.innerText()).resolves.toBe('加载中…');
      await row.waitFor();
      await expect(reviewFailed.count()).resolves.toBe(0);
      await row.getByRole('button', { name: '审核' }).click();
      const drawer = cityPage.locator('.el-drawer');
      await drawer.locator('[data-table="events"] .el-table__row').first().waitFor();
      await expect(drawer.locator('[data-force-note]').innerText()).resolves.toBe(
        `强制报送说明：${FORCE_NOTE}`,
      );
      await expect(drawer.locator('[data-changes="none"]').count()).resolves.toBe(1);
      await screenshot(cityPage, 'submissions-06-review-open');
      await expectClean(cityPage, '审核（打开）', ['qy.jijian', 'ln.jijian', 'SHA', first.sha256]);
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
      // nothing left for the city to do: the row says 查看, and 退回 1
      await cityPage.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      await row.getByRole('button', { name: '查看' }).waitFor();
      await expect(row.getByRole('button', { name: '审核' }).count()).resolves.toBe(0);
      await expect(row.locator('[data-returns]').innerText()).resolves.toBe('退回 1');
      // the county adds a 进度填报 dated in November (same status: the figures stay the same)
      // (not 石泉中学: the last step files its report of 11-20 on screen)
      const shiquan = (
        (await t.http().get(`/api/projects?regionId=${county}&pageSize=100`).expect(200)).body
          .items as { id: number; name: string; status: string; progressPercent: number | null }[]
      ).find((p) => p.name === '三排镇横坑幼儿园')!;
      const filed = await t
        .http()
        .post(`/api/projects/${shiquan.id}/progress`)
        .send({
          reportedOn: '2026-11-30',
          status: shiquan.status,
          progressPercent: shiquan.progressPercent ?? 0,
          note: '11月补报',
        });
      expect([filed.status, filed.body.message]).toEqual([201, undefined]);

      // ---- the county sees the reason at the top, resubmits -----------------------------------
      await page.reload();
      const returned = page.locator('[data-returned]');
      await returned.waitFor();
      expect(await returned.innerText()).toContain(`上级已退回：${REASON}`);
      expect(await returned.innerText()).toContain('退回人：林海（qy.jijian）');
      await shows(status.locator('[data-status]'), '已退回');
      // returned: the version it sent is still listed and downloadable, byte for byte
      const [sent] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-table="files"] [data-download="1"]').click(),
      ]);
      expect(sha256((await sent.path())!)).toBe(first.sha256);
      expect(sent.suggestedFilename()).toBe(
        '连南瑶族自治县学校建设项目月度进展报表-2026-11-第1次报送.xlsx',
      );
      await screenshot(page, 'submissions-08-county-returned');
      await expectClean(page, '月报报送（已退回）', [
        'ln.jijian',
        'qy.jijian',
        'SHA',
        first.sha256,
      ]);
      // printed while open: no empty 说明 box, no button
      const open = await printed(page);
      expect(open.controls).toEqual([]);
      expect(open.header[0]).toContain('状态：已退回');
      await unprint(page);
      await expect(submitPanel.getByLabel('强制报送说明').inputValue()).resolves.toBe(FORCE_NOTE);
      await expect(submitPanel.locator('[data-prefilled]').innerText()).resolves.toBe(
        '已填入上次报送的说明，可修改后重新报送。',
      );
      await submitPanel.getByLabel('强制报送说明').fill('已补录到位凭证，数据复核无误');
      await button.click();
      await page.locator('.el-message-box').getByRole('button', { name: '确定强制报送' }).click();
      await shows(status.locator('[data-status]'), '已报送（待审核）');
      const second = await detail(now.id!);
      expect(second.files.map((f) => f.seq)).toEqual([1, 2]);
      expect(second.files[0].sha256).toBe(first.sha256);

      // ---- the city approves ----------------------------------------------------------------
      await cityPage.reload();
      await row.getByRole('button', { name: '审核' }).click();
      await drawer.locator('[data-table="events"] .el-table__row').first().waitFor();
      // a second version with a 进度填报 more: the figures are the same, 本月变动 is not — said so
      const [v1, v2] = (
        (await t.http().get(`/api/submissions/${now.id}`).expect(200)).body.files as {
          snapshot: { monthChanges: number };
        }[]
      ).map((f) => f.snapshot.monthChanges);
      expect(v2).toBe(v1 + 1);
      await expect(drawer.locator('[data-table="changes"]').count()).resolves.toBe(0);
      const same = await drawer.locator('[data-changes="same"]').innerText();
      expect(same).toMatch(
        new RegExp(`^汇总数字相同；本月变动 ${v1} → ${v2} 条；\\d 张表内容不同：.*本月变动`),
      );
      expect(await row.locator('[data-returns]').innerText()).toBe('退回 1');
      // 大字模式 in the drawer: the descriptions, the tag, the comparison and 系统编号 lines grow
      await cityPage.evaluate(() => localStorage.setItem('tracker.largeText.qy.jijian', '1'));
      await cityPage.reload();
      await row.getByRole('button', { name: '审核' }).click();
      await drawer.locator('[data-table="events"] .el-table__row').first().waitFor();
      const size = (sel: string) =>
        drawer
          .locator(sel)
          .first()
          .evaluate((e) => getComputedStyle(e).fontSize);
      await expect(size('.el-descriptions__cell')).resolves.toBe('16px');
      await expect(size('[data-status]')).resolves.toBe('15px');
      await expect(size('[data-changes]')).resolves.toBe('16px');
      await expect(size('[data-which]')).resolves.toBe('16px');
      await screenshot(cityPage, 'submissions-08b-review-large');
      await cityPage.evaluate(() => localStorage.removeItem('tracker.largeText.qy.jijian'));
      // both versions listed in the drawer, each downloadable
      await expect(
        drawer.locator('[data-table="files"] [data-sha]').allInnerTexts(),
      ).resolves.toEqual(second.files.map((f) => f.sha256));
      const [old] = await Promise.all([
        cityPage.waitForEvent('download'),
        drawer.locator('[data-table="files"] [data-download="1"]').click(),
      ]);
      expect(sha256((await old.path())!)).toBe(first.sha256);
      await drawer.locator('[data-action="approve"]').click();
      const ask = cityPage.locator('.el-message-box');
      await expect(ask.locator('.el-message-box__title').innerText()).resolves.toBe(
        '通过连南瑶族自治县2026年11月月报',
      );
      await ask.getByRole('button', { name: '确定通过' }).click();
      await shows(drawer.locator('[data-status]'), '已通过');
      expect(await drawer.locator('[data-table="events"]').innerText()).toContain(
        '林海（qy.jijian）',
      );
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
      const px = (sel: string) =>
        page
          .locator(sel)
          .first()
          .evaluate((e) => getComputedStyle(e).fontSize);
      await expect(px('[data-panel="status"] .el-descriptions__cell')).resolves.toBe('16px');
      await expect(px('[data-panel="status"] [data-status]')).resolves.toBe('15px');
      await expect(px('[data-panel="status"] .hint')).resolves.toBe('16px');
      await expect(px('[data-panel="checks"] [data-which]')).resolves.toBe('16px');
      await screenshot(page, 'submissions-11-county-large');
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('[data-action="withdraw"]').isVisible()).resolves.toBe(false);
      await expect(page.locator('[data-panel="status"] h3').isVisible()).resolves.toBe(true);
      await page.emulateMedia({ media: 'screen' });
      await page.evaluate(() => localStorage.removeItem('tracker.largeText.ln.jijian'));
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
      await c.page.locator('.el-message-box').getByRole('button', { name: '确定强制报送' }).click();
      await shows(status, '已报送（待审核）');
      // the city opens it while the county's screen still offers 撤回: the server's own words
      const again = await detail(sub.id);
      await (await t.as('infrastructure', shaoguan)).get(`/api/submissions/${sub.id}`).expect(200);
      await c.page.locator('[data-action="withdraw"]').click();
      await c.page.locator('.el-message-box').getByRole('button', { name: '确定撤回' }).click();
      await c.page.locator('.el-message', { hasText: '上级已开始审核，不能撤回' }).waitFor();
      await expect(
        c.page.locator('.el-message', { hasText: '数据已被他人修改' }).count(),
      ).resolves.toBe(0);
      // reloaded: 撤回 disabled, saying why; nothing changed
      await c.page.locator('.reason', { hasText: '上级已开始审核，不能撤回' }).waitFor();
      await expect(c.page.locator('[data-action="withdraw"]').isDisabled()).resolves.toBe(true);
      expect((await detail(sub.id)).version).toBe(again.version);
      await screenshot(c.page, 'submissions-12b-withdraw-refused');
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

  step('viewers read 审核 and 月报报送 without buttons; both print with a header', async () => {
    await officer('qy.chakan', '何敏', city, 'viewer');
    await officer('ln.chakan', '邓丽', county, 'viewer');
    const id = (await listed(county)).id!;
    const d = await detail(id);
    expect(d.status).toBe('approved');
    const shas = d.files.map((f) => f.sha256);
    const data = ['qy.chakan', 'ln.chakan', 'ln.jijian', 'qy.jijian', 'SHA', ...shas];

    // ---- the city's viewer: 首页's 进入审核 leads to 审核, read only ---------------------------
    const q = await signedInPage(browser, base, 'qy.chakan', PASSWORD);
    const page = q.page;
    await page.goto('/');
    const counts = page.locator('[data-panel="submissions"]');
    await counts.getByText('进入审核').click();
    await page.waitForURL((u) => u.pathname === '/review');
    const row = page.locator('[data-table="review"] .el-table__row', { hasText: '连南瑶族自治县' });
    await row.waitFor();
    expect(await row.innerText()).toContain('已通过');
    // the list's only buttons are 查看 (no 审核, no 催报)
    expect(
      new Set(await page.locator('[data-table="review"] .el-table__row button').allInnerTexts()),
    ).toEqual(new Set(['查看']));
    await screenshot(page, 'submissions-15-viewer-review');
    await expectClean(page, '审核（只读）', data);
    await row.getByRole('button', { name: '查看' }).click();
    const drawer = page.locator('.el-drawer');
    await drawer.locator('[data-table="events"] .el-table__row').first().waitFor();
    await expect(
      drawer
        .locator(
          '[data-action="approve"], [data-action="return"], [data-action="reopen"], [data-action="remind"]',
        )
        .count(),
    ).resolves.toBe(0);
    await expect(drawer.locator('[data-readonly]').innerText()).resolves.toContain('只读');
    await expect(
      drawer.locator('[data-table="files"] [data-sha]').allInnerTexts(),
    ).resolves.toEqual(shas);
    const [latest] = await Promise.all([
      page.waitForEvent('download'),
      drawer.locator('[data-table="files"] [data-download="2"]').click(),
    ]);
    expect(sha256((await latest.path())!)).toBe(d.sha256);
    await screenshot(page, 'submissions-16-viewer-review-open');
    await expectClean(page, '审核（只读，打开）', data);
    // printed while open: that month alone, with its header, history (the 操作 column kept), no buttons
    const month = await printed(page);
    expect(month.header).toHaveLength(1);
    expect(month.header[0]).toMatch(
      new RegExp(
        `^连南瑶族自治县 2026年11月月报 地区：连南瑶族自治县 报送月份：2026年11月 状态：已通过 截止日期：${(await listed(county)).dueOn} 数据截至：2026-11-30 打印时间：2026-12-02 \\d{2}:\\d{2}$`,
      ),
    );
    expect(month.controls).toEqual([]);
    expect(month.screenTables).toBe(0);
    expect(month.events).toEqual([['报送', '退回', '报送', '通过']]);
    await screenshot(page, 'submissions-17-review-month-print');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    fs.writeFileSync(path.join(process.env.TMPDIR ?? '/tmp', 'submissions-review-month.pdf'), pdf);
    await unprint(page);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // the list printed: the city's header and counts, the list without its 操作 buttons
    const list = await printed(page);
    expect(list.header).toHaveLength(1);
    expect(list.header[0]).toMatch(
      /^清远市2026年11月下级月报审核情况 地区：清远市 报送月份：2026年11月 状态：共 \d+ 个地区：/,
    );
    expect(list.header[0]).toContain('已通过 1 个');
    expect(list.controls).toEqual([]);
    expect(list.screenTables).toBe(0);
    expect(list.tables[0]).toEqual([
      '地区',
      '状态',
      '截止日期',
      '报送时间',
      '逾期天数',
      '退回次数',
      '催报',
    ]);
    await screenshot(page, 'submissions-18-review-list-print');
    await unprint(page);
    await q.ctx.close();

    // ---- the county's viewer: 月报报送, read only --------------------------------------------
    const c = await signedInPage(browser, base, 'ln.chakan', PASSWORD);
    await openSubmission(c.page);
    await shows(c.page.locator('[data-panel="status"] [data-status]'), '已通过');
    await expect(
      c.page.locator('[data-panel="submit"], [data-action="withdraw"]').count(),
    ).resolves.toBe(0);
    await expect(c.page.locator('[data-readonly]').innerText()).resolves.toContain('只读');
    await expect(
      c.page.locator('[data-table="files"] [data-sha]').allInnerTexts(),
    ).resolves.toEqual(shas);
    const events = await c.page.locator('[data-table="events"]').innerText();
    expect(events).toContain('陈建国（ln.jijian）');
    expect(events).toContain('林海（qy.jijian）');
    await screenshot(c.page, 'submissions-19-viewer-submission');
    await expectClean(c.page, '月报报送（只读）', data);
    const own = await printed(c.page);
    expect(own.header).toHaveLength(1);
    expect(own.header[0]).toContain(
      '连南瑶族自治县 2026年11月月报 地区：连南瑶族自治县 报送月份：2026年11月 状态：已通过',
    );
    expect(own.controls).toEqual([]);
    expect(own.screenTables).toBe(0);
    expect(own.events).toEqual([['报送', '退回', '报送', '通过']]);
    await screenshot(c.page, 'submissions-20-submission-print');
    await unprint(c.page);
    await c.ctx.close();
  });

  step(
    'a backdated report on the approved month: refused under 填报日期, not reloaded',
    async () => {
      const id = (
        await t
          .http()
          .get(`/api/projects?q=${encodeURIComponent('石泉中学')}&regionId=${county}`)
          .expect(200)
      ).body.items[0].id as number;
      const c = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
      await c.page.goto(`/projects/${id}`);
      await c.page.getByRole('tab', { name: '进度填报' }).click();
      const form = c.page.locator('.report-form');
      await form
        .locator('.el-form-item')
        .filter({ hasText: '项目状态' })
        .locator('.el-select__wrapper')
        .click();
      await c.page.locator('.el-select-dropdown__item:visible').filter({ hasText: '在建' }).click();
      const date = form.getByLabel('填报日期');
      await date.fill('2026-11-20');
      await date.press('Enter');
      await form.getByLabel('备注').fill('11月补报');
      await form.getByRole('button', { name: '提交' }).click();
      const error = form
        .locator('.el-form-item')
        .filter({ hasText: '填报日期' })
        .locator('.el-form-item__error');
      await error.waitFor();
      await expect(error.innerText()).resolves.toBe(
        '2026年11月月报已通过审核，需上级重新打开后才能修改',
      );
      // what was typed stays (no reload as after someone else's save)
      await expect(form.getByLabel('备注').inputValue()).resolves.toBe('11月补报');
      await screenshot(c.page, 'submissions-21-locked-report');
      // a milestone's 实际完成 in November: the lock's words under the field, no 当前：（空） hints
      await c.page.getByRole('tab', { name: '里程碑' }).click();
      // (the first row of the visible table: the same row once its 编辑 became 保存)
      const msRow = c.page.locator('.el-table__row:visible').first();
      await msRow.getByRole('button', { name: '编辑' }).click();
      await msRow.getByLabel('实际完成').fill('2026-11-10');
      await msRow.getByRole('button', { name: '保存' }).click();
      const msError = msRow.locator('.cell-error');
      await msError.waitFor();
      await expect(msError.innerText()).resolves.toBe(
        '2026年11月月报已通过审核，需上级重新打开后才能修改',
      );
      await expect(msRow.locator('.current').count()).resolves.toBe(0);
      await expect(
        c.page.locator('.el-message', { hasText: '数据已被他人修改' }).count(),
      ).resolves.toBe(0);
      await screenshot(c.page, 'submissions-22-locked-milestone');
      await c.ctx.close();
    },
  );

  /** Picks a month in 报送月份 (as typed: 2026年10月) without pressing 查询. */
  async function pickMonth(page: Page, words: string) {
    const picker = page.getByLabel('报送月份');
    await picker.fill(words);
    await picker.press('Enter');
    await page.keyboard.press('Escape');
    await expect(picker.inputValue()).resolves.toBe(words);
  }

  // (龙川县 and 河源市: no other test of this file submits for them)
  it('月报报送 acts on the month it loaded: a month picked without 查询 changes no heading, no question, no 报送', async () => {
    const regions = await regionIds(t);
    const longchuan = regions['龙川县'];
    await officer('lcx.jijian', '郑伟', longchuan);
    // a project without a deadline: no error in October's checks (a plain 报送)
    await t
      .http()
      .post('/api/projects')
      .send({ name: '龙川县第五小学', regionId: longchuan, budgetWan: '100' })
      .expect(201);
    const errorsOf = async (month: string) =>
      (
        await t
          .http()
          .get(`/api/submissions/checks?month=${month}&regionId=${longchuan}`)
          .expect(200)
      ).body.errors as number;
    const statusOf = async (month: string) =>
      (
        (await t.http().get(`/api/submissions?month=${month}`).expect(200)).body.items as {
          regionId: number;
          status: string;
        }[]
      ).find((s) => s.regionId === longchuan)!.status;
    expect(await errorsOf('2026-10')).toBe(0);
    const { ctx, page } = await signedInPage(browser, base, 'lcx.jijian', PASSWORD);
    const posted: { month: string; regionId: number; force?: boolean }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/submissions')
        posted.push(r.postDataJSON() as { month: string; regionId: number; force?: boolean });
    });
    const heading = page.locator('[data-panel="status"] h3');
    const status = page.locator('[data-panel="status"] [data-status]');
    const button = page.locator('[data-panel="submit"] [data-action="submit"]');

    // ---- October (asked for in the URL), 2026年9月 picked, no 查询: 报送 is October's --------------
    await page.goto('/submission?month=2026-10');
    await shows(status, '未报送');
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年10月月报');
    await pickMonth(page, '2026年9月');
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年10月月报');
    await expect(button.innerText()).resolves.toBe('报送');
    await button.click();
    await shows(status, '已报送（待审核）');
    await page.locator('.el-message', { hasText: '2026年10月月报已报送' }).waitFor();
    expect(posted).toEqual([{ month: '2026-10', regionId: longchuan }]);
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年10月月报');
    expect([await statusOf('2026-10'), await statusOf('2026-09')]).toEqual([
      'submitted',
      'not_submitted',
    ]);
    expect(new URL(page.url()).searchParams.get('month')).toBe('2026-10');

    // ---- November (the default) with errors, 2026年9月 picked, no 查询: 强制报送 is November's ----
    await t
      .http()
      .post('/api/projects')
      .send({
        name: '龙川县第六中学',
        regionId: longchuan,
        budgetWan: '100',
        plannedCompletion: '2020-01',
      })
      .expect(201);
    const errors = await errorsOf('2026-11');
    expect(errors).toBeGreaterThan(0);
    await page.goto('/submission');
    await shows(status, '未报送');
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年11月月报');
    await page
      .locator('[data-panel="submit"]')
      .getByLabel('强制报送说明')
      .fill('超期项目已报县政府协调');
    await pickMonth(page, '2026年9月');
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年11月月报');
    await expect(status.innerText()).resolves.toBe('未报送');
    // the preview is November's workbook too
    const [preview] = await Promise.all([
      page.waitForRequest(/\/api\/reports\/monthly\?/),
      page.waitForEvent('download'),
      page.locator('[data-action="preview"]').click(),
    ]);
    expect(new URL(preview.url()).searchParams.get('month')).toBe('2026-11');
    await button.click();
    const ask = page.locator('.el-message-box');
    await ask.getByText('龙川县2026年11月月报存在').waitFor();
    await expect(ask.locator('.el-message-box__message').innerText()).resolves.toBe(
      `龙川县2026年11月月报存在 ${errors} 处错误，确定附说明强制报送？报送后数据锁定，需上级退回才能修改。`,
    );
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年11月月报');
    await screenshot(page, 'submissions-23-picked-month-not-asked');
    await ask.getByRole('button', { name: '确定强制报送' }).click();
    await shows(status, '已报送（待审核）');
    expect(posted.slice(1)).toEqual([
      { month: '2026-11', regionId: longchuan, note: '超期项目已报县政府协调', force: true },
    ]);
    await expect(heading.innerText()).resolves.toBe('龙川县 2026年11月月报');
    expect([await statusOf('2026-11'), await statusOf('2026-09')]).toEqual([
      'submitted',
      'not_submitted',
    ]);
    // 查询 applies the pick: September, its own status and checks
    await page.locator('.search').getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/month=2026-09/);
    await heading.filter({ hasText: '2026年9月' }).waitFor();
    await shows(status, '未报送');
    await screenshot(page, 'submissions-24-picked-month-asked');
    await ctx.close();
  }, 120_000);

  it('审核 names the month it loaded: a month or status picked without 查询 relabels nothing; printed after a failed load', async () => {
    const regions = await regionIds(t);
    await officer('hy.shenhe', '钟华', regions['河源市']);
    // 河源市 has no project in the seed (the sign-in waits for the 项目台账's first row)
    await t
      .http()
      .post('/api/projects')
      .send({ name: '龙川县第七小学', regionId: regions['龙川县'], budgetWan: '100' })
      .expect(201);
    const { ctx, page } = await signedInPage(browser, base, 'hy.shenhe', PASSWORD);
    await page.goto('/review');
    const rows = page.locator('[data-table="review"] .el-table__row');
    await rows.first().waitFor();
    const counts = page.locator('[data-counts]');
    await expect(counts.innerText()).resolves.toMatch(/^2026年11月月报：共 2 个地区/);
    const before = await counts.innerText();
    const head = async () => {
      const h = (await printed(page)).header;
      await unprint(page);
      return h;
    };
    const listHead = await head();
    expect(listHead).toEqual([
      expect.stringMatching(
        /^河源市2026年11月下级月报审核情况 地区：河源市 报送月份：2026年11月 状态：共 2 个地区：/,
      ),
    ]);
    // a month and a status picked, no 查询: the list, its counts line and its print say November's
    await pickMonth(page, '2026年9月');
    await page.locator('.search .el-form-item:has-text("状态") .el-select__wrapper').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '已通过' }).click();
    await expect(counts.innerText()).resolves.toBe(before);
    await expect(rows.count()).resolves.toBe(2);
    const untimed = (hs: string[]) => hs.map((h) => h.replace(/ 打印时间：.*$/, ''));
    expect(untimed(await head())).toEqual(untimed(listHead));
    expect(new URL(page.url()).search).toBe('');
    // a double click on 查看 opens the drawer, which the second click does not close
    await rows
      .filter({ hasText: '源城区' })
      .getByRole('button', { name: /审核|查看/ })
      .dblclick();
    const drawer = page.locator('.el-drawer');
    await drawer.locator('[data-status]').waitFor();
    await page.waitForTimeout(500);
    await expect(drawer.isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // printed after a failed load: the user's region, the month asked for, 加载失败 — no 共 0 个地区,
    // no empty 截止日期
    await page.route(/\/api\/submissions\?month=/, unavailable, { times: 1 });
    await page.reload();
    await page.locator('[data-load-failed]').waitFor();
    await page.locator('.el-loading-mask').waitFor({ state: 'detached' });
    await page
      .locator('[data-print="header"]', { hasText: '地区：河源市' })
      .waitFor({ state: 'attached', timeout: 5000 });
    const failedHead = await head();
    expect(failedHead).toEqual([
      expect.stringMatching(
        /^河源市2026年11月下级月报审核情况 地区：河源市 报送月份：2026年11月 状态：加载失败 数据截至：2026-11-30 打印时间：2026-12-02 \d{2}:\d{2}$/,
      ),
    ]);
    await screenshot(page, 'submissions-25-review-failed');
    await ctx.close();
  }, 120_000);

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
