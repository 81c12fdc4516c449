import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, regionIds, TestApp } from '../support/app';
import { sitePhoto } from '../support/evidence-files';
import { projectIdOf, screenshot, signedInPage, startApp, stopApp } from './browser';

/** Longer than Element Plus's close (0.3 s): a dialog closed by the second click is hidden by then. */
const AFTER_MS = 500;

/**
 * A double click on what opens a dialog: the second click lands on the dialog's backdrop, which
 * closed it at once. The forms' dialogs do not close on a click outside (取消, the × and Esc do);
 * 附件's viewer, which holds no form, does — from 500 ms after it opened, not on the double click's
 * second click. Debian's Chromium at 1366×768, as in the other screens' tests.
 */
describe('a double click on what opens a dialog leaves it open', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let work: string;
  let zhaigang: number;
  const PASSWORD = 'User-Pass-123';

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-dialogs-'));
    ({ t, browser, base } = await startApp({ env: { FILES_DIR: path.join(work, 'files') } }));
    const county = (await regionIds(t))['连南瑶族自治县'];
    await t.as('finance', county, 'ln.caiwu');
    const officer = await t.as('infrastructure', county, 'ln.jijian');
    zhaigang = await projectIdOf(t, '寨岗中学');
    // a wide picture: its viewer is low, the row's 预览 is left under the backdrop
    const panorama = await sitePhoto({
      taken: '2026:11:20 10:00:00',
      width: 1000,
      height: 120,
      orientation: 1,
    });
    await officer
      .post(`/api/projects/${zhaigang}/attachments`)
      .field('kind', 'photo')
      .attach('file', panorama, { filename: '操场全景.jpg' })
      .expect(201);
  });
  afterAll(async () => {
    await stopApp({ t, browser });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Double-clicks `opener`; the dialog named `title` is still shown 500 ms later. */
  async function staysOpen(page: Page, opener: Locator, title: string): Promise<Locator> {
    await opener.dblclick();
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.waitFor();
    await page.waitForTimeout(AFTER_MS);
    // and a close that began is over (on a busy machine its fade can outlast the 500 ms)
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .every(
          (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
        ),
    );
    // and the second click, on the backdrop, selected no word of the dialog
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect({ title, open: await dialog.isVisible(), selected }).toEqual({
      title,
      open: true,
      selected: '',
    });
    return dialog;
  }
  /** Closes `dialog` with its 取消 and waits until it is gone. */
  async function cancel(dialog: Locator): Promise<void> {
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  it('资金管理 and 项目详情’s 资金: 新增资金来源 and 新增支付 double-clicked stay open', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'ln.caiwu', PASSWORD);
    try {
      await page.goto(`/funding?projectId=${zhaigang}`);
      const panel = page.locator('[data-panel="project-funding"]');
      await panel.locator('[data-sum="gap"]').waitFor();
      const line = await staysOpen(
        page,
        panel.getByRole('button', { name: '新增资金来源' }),
        '新增资金来源',
      );
      await screenshot(page, 'dialogs-01-funding-double-click');
      await cancel(line);
      await cancel(
        await staysOpen(page, panel.getByRole('button', { name: '新增支付' }), '新增支付记录'),
      );

      await page.goto(`/projects/${zhaigang}?tab=funding`);
      const pane = page.getByRole('tabpanel', { name: '资金' });
      await pane.locator('[data-sum="gap"]').waitFor();
      await cancel(
        await staysOpen(page, pane.getByRole('button', { name: '新增资金来源' }), '新增资金来源'),
      );
    } finally {
      await ctx.close();
    }
  });

  it('项目台账’s 新增项目 and 系统管理’s 新增用户 double-clicked stay open', async () => {
    const officer = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
    try {
      const page = officer.page;
      const dialog = await staysOpen(
        page,
        page.getByRole('button', { name: '新增项目' }),
        '新增项目',
      );
      await screenshot(page, 'dialogs-02-new-project-double-click');
      await cancel(dialog);
    } finally {
      await officer.ctx.close();
    }
    const admin = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    try {
      const page = admin.page;
      await page.goto('/admin');
      await page.locator('[data-table="users"] .el-table__row').first().waitFor();
      await cancel(
        await staysOpen(page, page.getByRole('button', { name: '新增用户' }), '新增用户'),
      );
      // a question (停用用户) double-clicked: asked, not answered by the second click
      const row = page.locator('[data-table="users"] .el-table__row', { hasText: 'ln.jijian' });
      await cancel(await staysOpen(page, row.getByRole('button', { name: '停用' }), '停用用户'));
      expect(await row.innerText()).toContain('正常');
    } finally {
      await admin.ctx.close();
    }
  });

  it('附件’s 预览 double-clicked stays open; a click outside the viewer then closes it', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'ln.jijian', PASSWORD);
    try {
      await page.goto(`/projects/${zhaigang}?tab=attachments`);
      const row = page.locator('section[aria-label="附件"] .el-table__body tr', {
        hasText: '操场全景.jpg',
      });
      const opener = row.getByRole('button', { name: '预览' });
      await opener.waitFor();
      const box = (await opener.boundingBox())!;
      const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const viewer = await staysOpen(page, opener, '操场全景.jpg');
      await page.waitForFunction(
        () => document.querySelector<HTMLImageElement>('.el-dialog img.full')?.complete,
      );
      await screenshot(page, 'dialogs-03-preview-double-click');
      // where 预览 was is the backdrop now (what the double click's second click hit): a click
      // there closes the viewer
      const hit = await page.evaluate(({ x, y }) => {
        const e = document.elementFromPoint(x, y);
        return { backdrop: !!e?.closest('.el-overlay'), viewer: !!e?.closest('.el-dialog') };
      }, at);
      expect(hit).toEqual({ backdrop: true, viewer: false });
      await page.mouse.click(at.x, at.y);
      await viewer.waitFor({ state: 'hidden' });
    } finally {
      await ctx.close();
    }
  });
});
