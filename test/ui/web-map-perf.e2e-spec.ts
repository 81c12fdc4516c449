import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generate } from '../../scripts/bench/generate';
import { TEST_NOW, TestApp } from '../support/app';
import { officerContext, screenshot, signIn, startApp, stopApp } from './browser';

const RESULTS = path.resolve(__dirname, 'screenshots', 'web-map-perf.json');

/** 首页 for `day` with its map: the figures, the ranking, the county tiles and the points drawn. */
const shownWithMap = (day: string): boolean =>
  !!document.querySelector('.scope')?.textContent?.includes(`截至 ${day}`) &&
  [
    '[data-card="gap"] .value',
    '[data-table="ranking"] tbody tr',
    '[data-map="tiles"] .tile',
    '[data-map="points"] canvas',
  ].every((sel) => document.querySelector(sel)) &&
  !!document.querySelector('[data-card="map"] .note')?.textContent?.includes('已定位 10000 个');

/**
 * Issue 36, point 6: 首页 of a province of 10,000 located projects, with its map card, within 1.5 s
 * of navigation in Chromium (web-perf.e2e-spec.ts times 首页 without waiting for the map).
 */
describe('首页 with the map, 10,000 located projects', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ t, browser, base } = await startApp({
      beforeListen: async (testApp) => {
        const { provinceId } = await generate(testApp.db.write, 10_000, { seed: 36 });
        await testApp.as('viewer', provinceId, 'viewer_map');
      },
    }));
  }, 300_000);
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  async function timed(page: Page, url: string, day: string): Promise<number> {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(shownWithMap, day, { polling: 'raf' });
    return Date.now() - t0;
  }

  it('draws 首页 with the tiles and 10,000 points within 1.5 s (median of five loads)', async () => {
    const ctx = await officerContext(browser, base);
    const page = await ctx.newPage();
    await page.clock.setFixedTime(new Date(TEST_NOW));
    await signIn(page, 'viewer_map', 'User-Pass-123');
    const today = TEST_NOW.slice(0, 10);
    // the first visit computes 首页's figures and the map (then cached, as for a leader reopening it)
    await page.goto('/');
    await page.locator('[data-map="tiles"] .tile').first().waitFor({ timeout: 120_000 });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await timed(page, '/', today));
    await screenshot(page, '65-map-10000');
    const sorted = [...times].sort((a, b) => a - b);
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, JSON.stringify({ loadsMs: times, medianMs: sorted[2] }, null, 2));
    expect(await page.locator('[data-map="tiles"] .tile').count()).toBe(100);
    expect(sorted[2]).toBeLessThanOrEqual(1500);
    await ctx.close();
  });
});
