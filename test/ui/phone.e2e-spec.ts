import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import sharp from 'sharp';
import { MESSAGES } from '../../src/common/messages';
import { regionIds, TEST_NOW, TestApp } from '../support/app';
import { sitePhoto } from '../support/evidence-files';
import { expectClean, screenshot, startApp, stopApp } from './browser';

const PASSWORD = 'User-Pass-123';
/** Data on the screens, not English: the officer's user name, the photos' file names. */
const DATA = ['ln_phone', '.jpg'];
/** 企业微信's built-in browser on an Android phone: a Chrome 87-class engine. */
const WXWORK_UA =
  'Mozilla/5.0 (Linux; Android 10; HMA-AL00 Build/HUAWEIHMA-AL00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light';

/** A phone: touch, 2× pixels, the built-in browser's user agent, Chinese, Shanghai time. */
async function phone(
  browser: Browser,
  base: string,
  size: { width: number; height: number },
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    baseURL: base,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: size,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: WXWORK_UA,
  });
  const page = await ctx.newPage();
  await page.clock.setFixedTime(new Date(TEST_NOW));
  return { ctx, page };
}

/** Signs in on the sign-in page the address /m/ leads to, and waits for the project list. */
async function signInOnPhone(page: Page, username: string): Promise<void> {
  await page.goto('/m/');
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).tap();
  await page.waitForURL((u) => u.pathname === '/m/');
}

/**
 * The sizes a phone needs (issue 35 point 5): every piece of text ≥ 14 px, every control (button,
 * link, field, the label a file input hides behind) ≥ 44 px high and wide. The offenders, described.
 */
async function tooSmall(page: Page): Promise<{ text: string[]; targets: string[] }> {
  return page.evaluate(() => {
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const text: string[] = [];
    for (const e of document.querySelectorAll('body *')) {
      const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (!own || !visible(e)) continue;
      const size = Number(getComputedStyle(e).fontSize.replace('px', ''));
      if (size < 14) text.push(`${e.tagName} ${size}px “${e.textContent!.trim().slice(0, 20)}”`);
    }
    const targets: string[] = [];
    const controls = 'button, a[href], select, textarea, input:not([type=file]), label.m-button';
    for (const e of document.querySelectorAll(controls)) {
      if (!visible(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.height < 44 || r.width < 44)
        targets.push(
          `${e.tagName} ${Math.round(r.width)}×${Math.round(r.height)} “${(e.textContent ?? '').trim().slice(0, 20)}”`,
        );
    }
    return { text, targets };
  });
}

async function expectPhoneSized(page: Page, screen: string): Promise<void> {
  expect({ screen, ...(await tooSmall(page)) }).toEqual({ screen, text: [], targets: [] });
  // nothing wider than the screen (no sideways scrolling)
  expect({
    screen,
    overflow: await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    ),
  }).toEqual({ screen, overflow: false });
}

/** A photo with grain (≈ 400 KB: it takes a few seconds on a slow uplink), EXIF time set. */
const noisyPhoto = (taken: string): Promise<Buffer> =>
  sharp({
    create: {
      width: 1000,
      height: 750,
      channels: 3,
      background: '#3b6d8a',
      noise: { type: 'gaussian', mean: 110, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD2: { DateTimeOriginal: taken } })
    .toBuffer();

const listNames = (page: Page) => page.locator('.projects .name').allInnerTexts();

/** Waits until the list shows exactly these names (a search answers after its pause). */
async function listShows(page: Page, names: string[]): Promise<void> {
  await page
    .waitForFunction(
      (want) =>
        JSON.stringify(
          [...document.querySelectorAll('.projects .name')].map((e) => e.textContent?.trim()),
        ) === JSON.stringify(want),
      names,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  expect(await listNames(page)).toEqual(names);
}

/**
 * Issue 35 point 5: an officer of 连南瑶族自治县 on a phone (375×667, touch, 企业微信's engine) signs
 * in at /m/, finds the project (most recently reported first, search), files a report with two
 * photos from the camera, sees them upload, keeps the one that failed and sends it again after a
 * reload; the server has the report once and both photos on it, with their EXIF times.
 */
describe('filing progress from a phone (/m/)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let work: string;
  let county: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-phone-'));
    ({ t, browser, base } = await startApp({ env: { FILES_DIR: path.join(work, 'files') } }));
    county = (await regionIds(t))['连南瑶族自治县'];
    const admin = t.http();
    for (const [name, user] of [
      ['ln_phone', 'infrastructure'],
      ['ln_phone_viewer', 'viewer'],
    ]) {
      const u = await admin
        .post('/api/users')
        .send({
          username: name,
          displayName: name === 'ln_phone' ? '陈建国' : '李明',
          password: PASSWORD,
          role: user,
          regionId: county,
        })
        .expect(201);
      await t.passwordChosen(u.body.id as number);
    }
    const officer = t.withToken(await t.login('ln_phone', PASSWORD));
    const make = async (
      name: string,
      reports: { on: string; status: string; percent: number; done?: string }[],
    ) => {
      const id = (
        await admin
          .post('/api/projects')
          .send({ name, regionId: county, planYear: 2026, budgetWan: '2000' })
          .expect(201)
      ).body.id as number;
      for (const r of reports)
        await officer
          .post(`/api/projects/${id}/progress`)
          .send({
            reportedOn: r.on,
            status: r.status,
            progressPercent: r.percent,
            ...(r.done ? { actualCompletion: r.done } : {}),
          })
          .expect(201);
      ids[name] = id;
      return id;
    };
    await make('手机测试乙中学', [{ on: '2026-10-15', status: 'under_construction', percent: 20 }]);
    await make('手机测试甲小学', [
      { on: '2026-09-30', status: 'under_construction', percent: 10 },
      { on: '2026-11-20', status: 'under_construction', percent: 40 },
    ]);
    await make('手机测试丙幼儿园', []);
    // not 在办: 已竣工, and an archived one, however recently reported
    await make('手机测试丁小学', [
      { on: '2026-11-25', status: 'under_construction', percent: 90 },
      { on: '2026-11-28', status: 'completed', percent: 100, done: '2026-11-27' },
    ]);
    const archived = await make('手机测试戊中学', [
      { on: '2026-11-29', status: 'under_construction', percent: 30 },
    ]);
    const { version } = (await admin.get(`/api/projects/${archived}`).expect(200)).body as {
      version: number;
    };
    await admin
      .post(`/api/projects/${archived}/archive`)
      .send({ version, reason: '合并到其他项目' })
      .expect(201);
  });
  afterAll(async () => {
    await stopApp({ t, browser });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('375×667: sign in, the list, search, a report with two camera photos, one failed upload kept and retried', async () => {
    const { ctx, page } = await phone(browser, base, { width: 375, height: 667 });
    try {
      // the sign-in page on a phone
      await page.goto('/m/');
      await page.waitForURL((u) => u.pathname === '/login');
      await page.getByLabel('用户名').waitFor();
      await expectClean(page, '登录（手机）');
      await expectPhoneSized(page, '登录（手机）');
      await screenshot(page, 'phone-login');
      await signInOnPhone(page, 'ln_phone');

      // 在办 projects of 连南, the most recently reported first, the never reported after them
      await page.locator('.projects .name').first().waitFor();
      const names = await listNames(page);
      expect(names.slice(0, 2)).toEqual(['手机测试甲小学', '手机测试乙中学']);
      expect(names).toContain('手机测试丙幼儿园');
      expect(names).not.toContain('手机测试丁小学');
      expect(names).not.toContain('手机测试戊中学');
      const active = (
        await t
          .http()
          .get(
            `/api/projects?regionId=${county}&status=planned,preparing,under_construction,suspended&pageSize=200`,
          )
          .expect(200)
      ).body as { total: number; items: { name: string; lastReportedOn: string | null }[] };
      expect(names).toHaveLength(active.total);
      // every never-reported project after every reported one
      const reported = active.items.filter((p) => p.lastReportedOn).length;
      expect(names.slice(reported)).toContain('手机测试丙幼儿园');
      // never reported: 形象进度 says 未填报, as 项目台账 does, not 0%
      await expect(
        page.locator('.projects li', { hasText: '手机测试丙幼儿园' }).locator('.facts').innerText(),
      ).resolves.toContain('形象进度 未填报');
      await expect(page.locator('.count').innerText()).resolves.toBe(`在办项目 ${active.total} 个`);
      await expectClean(page, '项目列表（手机）');
      await expectPhoneSized(page, '项目列表（手机）');
      await screenshot(page, 'phone-list');

      // search
      await page.getByLabel('搜索项目').fill('手机测试');
      await listShows(page, ['手机测试甲小学', '手机测试乙中学', '手机测试丙幼儿园']);
      expect(await page.locator('.count').innerText()).toBe('找到 3 个项目');
      await page.getByLabel('搜索项目').fill('丙幼');
      await listShows(page, ['手机测试丙幼儿园']);
      await page.getByLabel('搜索项目').fill('没有这个项目');
      await page.getByText('没有找到相符的项目').waitFor();
      await page.getByLabel('搜索项目').fill('甲小学');
      await listShows(page, ['手机测试甲小学']);
      expect(await page.locator('.count').innerText()).toBe('找到 1 个项目');
      await screenshot(page, 'phone-search');

      // the project, then 填报进度
      await page.locator('.projects a').first().tap();
      await page.waitForURL((u) => u.pathname === `/m/projects/${ids['手机测试甲小学']}`);
      await page.getByRole('heading', { name: '手机测试甲小学' }).waitFor();
      expect(await page.locator('.facts').innerText()).toContain('最近填报\n2026-11-20');
      await expectClean(page, '项目（手机）', DATA);
      await expectPhoneSized(page, '项目（手机）');
      await screenshot(page, 'phone-project');
      await page.getByRole('link', { name: '填报进度' }).tap();
      await page.getByRole('heading', { name: '填报进度' }).waitFor();

      // the desktop's rules and messages: a percent out of range is refused under its field
      expect(await page.getByLabel('项目状态').inputValue()).toBe('under_construction');
      expect(await page.getByLabel('填报日期').inputValue()).toBe('2026-12-02');
      await page.getByLabel('形象进度（%）').fill('120');
      await page.getByLabel('备注').tap();
      await page.getByText(MESSAGES.PROGRESS_PERCENT_INVALID).waitFor();
      await page.getByLabel('形象进度（%）').fill('55');
      await page.getByLabel('备注').fill('主体三层封顶，开始砌墙');
      await page.locator('input[data-camera]').evaluate((e) => {
        const i = e as HTMLInputElement;
        if (i.accept !== 'image/*' || i.getAttribute('capture') !== 'environment' || !i.multiple)
          throw new Error('the camera input is not accept=image/* capture=environment multiple');
      });
      await page.locator('input[data-camera]').setInputFiles([
        {
          name: '东立面.jpg',
          mimeType: 'image/jpeg',
          buffer: await sitePhoto({ taken: '2026:12:01 09:15:30', color: '#8a6d3b' }),
        },
        {
          name: '三层楼面.jpg',
          mimeType: 'image/jpeg',
          buffer: await noisyPhoto('2026:12:02 08:40:00'),
        },
      ]);
      await page.getByText('已选 2 张，提交后随本次填报上传').waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('.chosen img')].every(
          (i) => i.complete && i.naturalWidth > 0,
        ),
      );
      await expectClean(page, '填报进度（手机）', DATA);
      await expectPhoneSized(page, '填报进度（手机）');
      await screenshot(page, 'phone-report');

      // the first photo's upload answers 500 once; the second goes through a slow uplink (CDP
      // throttling), so its bar shows the real progress of the browser's upload
      let uploads = 0;
      page.on('request', (r) => {
        if (
          r.method() === 'POST' &&
          r.url().endsWith(`/api/projects/${ids['手机测试甲小学']}/attachments`)
        )
          uploads++;
      });
      await page.route(
        '**/api/projects/*/attachments',
        (route: Route) =>
          route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({
              statusCode: 500,
              code: 'INTERNAL',
              message: '服务器暂时无法保存文件',
            }),
          }),
        { times: 1 },
      );
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      const uplink = (bytesPerSecond: number) =>
        cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: bytesPerSecond,
        });
      await uplink(100 * 1024);
      let reportPosts = 0;
      page.on('request', (r) => {
        if (
          r.method() === 'POST' &&
          r.url().endsWith(`/api/projects/${ids['手机测试甲小学']}/progress`)
        )
          reportPosts++;
      });
      // two taps at once (an impatient thumb): one report
      await page.locator('button[type=submit]').evaluate((b) => {
        (b as HTMLButtonElement).click();
        (b as HTMLButtonElement).click();
      });
      await page.waitForURL((u) => u.pathname === `/m/projects/${ids['手机测试甲小学']}`);
      await page.getByText('进度已提交，照片正在上传。').waitFor();
      const failedItem = page.locator('[data-upload].failed');
      await failedItem.waitFor();
      expect(await failedItem.innerText()).toContain('东立面.jpg');
      expect(await failedItem.innerText()).toContain('服务器暂时无法保存文件');
      // the second under way: its own bar
      const second = page.locator('[data-upload]', { hasText: '三层楼面.jpg' });
      await second.getByText(/正在上传/).waitFor();
      await page.waitForFunction(() => {
        const bar = [...document.querySelectorAll('[data-upload]')]
          .find((e) => e.textContent?.includes('三层楼面.jpg'))
          ?.querySelector('[role=progressbar]');
        const now = Number(bar?.getAttribute('aria-valuenow') ?? '0');
        return now > 0 && now < 100;
      });
      expect(await second.innerText()).toMatch(/正在上传 \d{1,2}%/);
      await screenshot(page, 'phone-uploading');
      await uplink(-1);
      await page.locator('[data-upload].done', { hasText: '三层楼面.jpg' }).waitFor();
      expect(
        await page
          .locator('[data-upload].done', { hasText: '三层楼面.jpg' })
          .getByRole('progressbar')
          .getAttribute('aria-valuenow'),
      ).toBe('100');
      await page.getByText('进度已提交，有照片未上传成功，请点“重试”。').waitFor();
      // a warning, not a success: amber, not green
      expect(
        await page
          .locator('.done-note')
          .evaluate((el) => [el.classList.contains('has-failed'), getComputedStyle(el).color]),
      ).toEqual([true, 'rgb(122, 74, 0)']);
      await page.locator('.reports li').first().getByText('照片 1 张').waitFor();
      await expectClean(page, '照片上传失败（手机）', DATA);
      await expectPhoneSized(page, '照片上传失败（手机）');
      await screenshot(page, 'phone-upload-failed');

      // the failed photo survives a reload (IndexedDB), then goes on 重试
      await page.reload();
      const kept = page.locator('[data-upload].failed', { hasText: '东立面.jpg' });
      await kept.waitFor();
      expect(await kept.innerText()).toContain('上次未上传完成，请重试');
      expect(await page.locator('[data-upload]').count()).toBe(1);
      await kept.getByRole('button', { name: '重试' }).tap();
      await page.locator('[data-upload].done', { hasText: '东立面.jpg' }).waitFor();
      await page.locator('.reports li').first().getByText('照片 2 张').waitFor();
      await page.getByText('进度已提交，照片已全部上传。').waitFor();
      expect(await page.locator('.reports li').first().innerText()).toContain('2026-12-02');
      await screenshot(page, 'phone-retried');
      expect(uploads).toBe(3);
      expect(reportPosts).toBe(1);

      // on the server: the report once, both photos on it with their EXIF times
      const filed = (
        (await t.http().get(`/api/projects/${ids['手机测试甲小学']}/progress`).expect(200))
          .body as {
          items: {
            id: number;
            reportedOn: string;
            progressPercent: number;
            note: string | null;
            reportedBy: string;
          }[];
        }
      ).items
        .filter((r) => r.reportedOn === '2026-12-02')
        .map(({ id, reportedOn, progressPercent, note, reportedBy }) => ({
          id,
          reportedOn,
          progressPercent,
          note,
          reportedBy,
        }));
      expect(filed.map(({ id: _id, ...r }) => r)).toEqual([
        {
          reportedOn: '2026-12-02',
          progressPercent: 55,
          note: '主体三层封顶，开始砌墙',
          reportedBy: 'ln_phone',
        },
      ]);
      const photos = (
        (
          await t
            .http()
            .get(`/api/projects/${ids['手机测试甲小学']}/attachments?kind=photo`)
            .expect(200)
        ).body as {
          items: {
            name: string;
            takenAt: string | null;
            progressReportId: number | null;
            kind: string;
          }[];
        }
      ).items
        .map((a) => ({
          name: a.name,
          takenAt: a.takenAt,
          progressReportId: a.progressReportId,
          kind: a.kind,
        }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(photos).toEqual(
        [
          {
            name: '三层楼面.jpg',
            takenAt: '2026-12-02T08:40:00',
            progressReportId: filed[0].id,
            kind: 'photo',
          },
          {
            name: '东立面.jpg',
            takenAt: '2026-12-01T09:15:30',
            progressReportId: filed[0].id,
            kind: 'photo',
          },
        ].sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
    } finally {
      await ctx.close();
    }
  });

  it('414×896: the list and the project fit; a phone opening / is offered the phone screens', async () => {
    const { ctx, page } = await phone(browser, base, { width: 414, height: 896 });
    try {
      await signInOnPhone(page, 'ln_phone');
      await page.locator('.projects .name').first().waitFor();
      await expectClean(page, '项目列表（414）', DATA);
      await expectPhoneSized(page, '项目列表（414）');
      await screenshot(page, 'phone-list-414');
      await page.locator('.projects a', { hasText: '手机测试乙中学' }).tap();
      await page.getByRole('heading', { name: '手机测试乙中学' }).waitFor();
      await expectPhoneSized(page, '项目（414）');
      await page.getByRole('link', { name: '填报进度' }).tap();
      await page.getByRole('heading', { name: '填报进度' }).waitFor();
      await expectPhoneSized(page, '填报进度（414）');
      await screenshot(page, 'phone-report-414');
      // a half-filled report is not left without the question
      await page.getByLabel('形象进度（%）').fill('25');
      await page.getByRole('link', { name: '‹ 返回项目' }).tap();
      const ask = page.getByRole('dialog', { name: '提示' });
      await ask.getByText('有未提交的内容，确定离开吗？').waitFor();
      await expectPhoneSized(page, '离开前的提问（414）');
      await screenshot(page, 'phone-leave-414');
      await ask.getByRole('button', { name: '继续填写' }).tap();
      await ask.waitFor({ state: 'hidden' });
      expect(await page.getByLabel('形象进度（%）').inputValue()).toBe('25');
      expect(new URL(page.url()).pathname).toBe(`/m/projects/${ids['手机测试乙中学']}/report`);
      await page.goto('/');
      await page.getByRole('link', { name: '打开手机版' }).waitFor();
      // 首页's figures read (in a worker) before leaving: nothing left running when the app closes
      await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, {
        timeout: 20_000,
      });
      await screenshot(page, 'phone-desktop-offer');
      await page.getByRole('link', { name: '打开手机版' }).tap();
      await page.waitForURL((u) => u.pathname === '/m/');
      await page.locator('.projects .name').first().waitFor();
    } finally {
      await ctx.close();
    }
  });

  it('a viewer reads the project without 填报进度; a desktop browser gets /m/ too', async () => {
    const { ctx, page } = await phone(browser, base, { width: 375, height: 667 });
    try {
      await signInOnPhone(page, 'ln_phone_viewer');
      await page.goto(`/m/projects/${ids['手机测试甲小学']}`);
      await page.getByRole('heading', { name: '手机测试甲小学' }).waitFor();
      expect(await page.getByRole('link', { name: '填报进度' }).count()).toBe(0);
      await page.getByText('仅基建股可填报进展').waitFor();
      // the report screen is not the viewer's: back to the project
      await page.goto(`/m/projects/${ids['手机测试甲小学']}/report`);
      await page.waitForURL((u) => u.pathname === `/m/projects/${ids['手机测试甲小学']}`);
      await expectClean(page, '项目（只读，手机）', ['ln_phone_viewer', ...DATA]);
    } finally {
      await ctx.close();
    }
    const desk = await browser.newContext({
      baseURL: base,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1366, height: 768 },
    });
    try {
      const page = await desk.newPage();
      await page.goto('/m/');
      await page.getByLabel('用户名').fill('ln_phone');
      await page.getByLabel('密码').fill(PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL((u) => u.pathname === '/m/');
      await page.locator('.projects .name').first().waitFor();
      expect((await listNames(page)).slice(0, 2)).toEqual(['手机测试甲小学', '手机测试乙中学']);
      await screenshot(page, 'phone-on-desktop');
    } finally {
      await desk.close();
    }
  });
});
