import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Browser, BrowserContext, chromium, Page, Route } from 'playwright-core';
import { createTestApp, TEST_NOW, TestApp } from '../support/app';

/** Debian's Chromium (scripts/browser-deps.sh); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, 'screenshots');

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: run scripts/browser-deps.sh (apt-get install chromium fonts-noto-cjk)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // the flags this machine needs (closed network: no background connections, no GPU)
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A browser spec's app and Chromium (its `beforeAll`): checks that web/dist is built, starts the app
 * on a fresh copy of the database (`createTestApp(options)`), runs `beforeListen` (data generated
 * before the server answers), listens on a free port of 127.0.0.1 and launches Chromium. A failing
 * step closes what the earlier ones started; `stopApp` closes the rest in `afterAll`.
 */
export async function startApp(
  options: NonNullable<Parameters<typeof createTestApp>[0]> & {
    beforeListen?: (t: TestApp) => Promise<unknown>;
  } = {},
): Promise<{ t: TestApp; browser: Browser; base: string }> {
  if (!fs.existsSync(path.resolve('web/dist/index.html')))
    throw new Error('web/dist is not built (npx vite build web)');
  const { beforeListen, ...appOptions } = options;
  const t = await createTestApp(appOptions);
  try {
    await beforeListen?.(t);
    await t.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    return { t, browser: await launch(), base };
  } catch (e) {
    await t.close();
    throw e;
  }
}

/** Closes what `startApp` started, the browser then the app; a part never started is skipped. */
export async function stopApp(started: { t?: TestApp; browser?: Browser }): Promise<void> {
  await started.browser?.close();
  await started.t?.close();
}

/** An officer's browser: Chinese, Shanghai time, a 1366×768 screen. */
/** A route's answer as a server that cannot serve: 503 服务暂时不可用 (failure injection, `page.route`). */
export const unavailable = (route: Route): Promise<void> =>
  route.fulfill({
    status: 503,
    contentType: 'application/json',
    body: JSON.stringify({ code: 'UNAVAILABLE', message: '服务暂时不可用' }),
  });

export function officerContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await transitionsEnded(page); // not a dialog half faded out
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until no CSS transition or finite animation is running. */
async function transitionsEnded(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
      ),
  );
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is: the serious and critical violations (there should be none). */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; help: string; targets: string[] }[]> {
  // a toast (ElMessage, 3 s) that starts fading out while axe runs has blended colours: the
  // 发送记录 check of channels.e2e-spec failed so once in CI. Let toasts close first (none is
  // persistent; bounded all the same)
  await page
    .waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 5000 })
    .catch(() => undefined);
  // a dialog or message still fading in has blended colours: let transitions end first
  await transitionsEnded(page);
  // evaluated through the DevTools protocol, not a <script>: the app's CSP allows no inline script;
  // once per document (its 550 KB parsed again on each check cost ~0.1 s)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (o: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return (await axe.run({ resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * Words in Latin letters on the screen, outside the given data values (user names, codes): the
 * screens are all Chinese, Element Plus's own texts included (共 N 条, 前往, 暂无数据).
 */
export async function englishWords(page: Page, dataValues: string[] = []): Promise<string[]> {
  let text = await page.evaluate(() => document.body.innerText);
  // the longest first: infra_alerts taken out of infra_alerts_asked left "_asked" on the page
  for (const v of [...dataValues].sort((a, b) => b.length - a.length))
    text = text.split(v).join(' ');
  return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])];
}

/** Signs in on the sign-in page and waits for the 项目台账's first row. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  // 首页 first, then the list every scenario of part 1 starts from, through the menu as an officer
  // goes there (a second page load took ~0.6 s of every sign-in)
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByRole('menuitem', { name: '项目台账' }).click();
  await page.waitForURL((u) => u.pathname === '/projects');
  await page.locator('.el-table__row').first().waitFor();
}

/** The screen is settled: its load answered (or failed) and the loading mask is gone. */
export const settled = (page: Page) =>
  page.waitForFunction(() => !document.querySelector('.el-loading-mask'));

/** A new officer's browser signed in as `username`, its clock the server's pinned day (TEST_NOW). */
export async function signedInPage(
  browser: Browser,
  base: string,
  username: string,
  password: string,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await officerContext(browser, base);
  const page = await ctx.newPage();
  await page.clock.setFixedTime(new Date(TEST_NOW));
  await signIn(page, username, password);
  return { ctx, page };
}

/** The id of the first project whose name contains `name` (as the admin sees the list). */
export const projectIdOf = async (t: TestApp, name: string): Promise<number> =>
  (
    await t
      .http()
      .get(`/api/projects?q=${encodeURIComponent(name)}`)
      .expect(200)
  ).body.items[0].id as number;

/** The screen as it is: no serious or critical axe violation, no English outside `data` values. */
export async function expectClean(page: Page, screen: string, data: string[] = []): Promise<void> {
  expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
  expect({ screen, english: await englishWords(page, data) }).toEqual({ screen, english: [] });
}
