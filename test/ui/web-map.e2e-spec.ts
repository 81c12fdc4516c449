import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { ADMIN_PASSWORD, regionIds, TestApp } from '../support/app';
import { sitePhoto } from '../support/evidence-files';
import { expectClean, screenshot, signedInPage, startApp, stopApp } from './browser';

/** A synthetic rectangle (never a real boundary): [lng, lat] corners, closed. */
const rect = (name: string, lng: number, lat: number, w: number, h: number) => ({
  type: 'Feature',
  properties: { name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + w, lat],
        [lng + w, lat + h],
        [lng, lat + h],
        [lng, lat],
      ],
    ],
  },
});

/**
 * Issue 36: 首页 of a city with the county tiles and the located projects, then on an uploaded
 * (synthetic) boundary with its 审图号; 系统管理 → 地图边界; a tile opens 项目台账 for its county.
 */
describe('the map on 首页, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let r: Record<string, number>;
  const PASSWORD = 'User-Pass-123';

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
    r = await regionIds(t);
    const places = [
      ['源城区', '源城区实验小学', '23.744000', '114.701000', 'under_construction'],
      ['源城区', '源城区第二中学', '23.721000', '114.662000', null],
      ['龙川县', '龙川县第一中学', '24.101000', '115.259000', null],
      ['龙川县', '龙川县城南小学', '24.082000', '115.231000', 'under_construction'],
    ] as const;
    for (const [county, name, lat, lng, status] of places) {
      const p = await t
        .http()
        .post('/api/projects')
        .send({ name, regionId: r[county], planYear: 2026, budgetWan: '800', lat, lng })
        .expect(201);
      if (status)
        await t
          .http()
          .post(`/api/projects/${p.body.id}/progress`)
          .send({
            reportedOn: '2026-11-20',
            status,
            progressPercent: 30,
            investmentCompletedWan: '200',
          })
          .expect(201);
    }
    await t
      .http()
      .post('/api/projects')
      .send({ name: '龙川县未定位项目', regionId: r['龙川县'], planYear: 2026 })
      .expect(201);
    const viewer = await t
      .http()
      .post('/api/users')
      .send({
        username: 'heyuan.viewer',
        password: PASSWORD,
        role: 'viewer',
        regionId: r['河源市'],
      })
      .expect(201);
    await t.passwordChosen(viewer.body.id as number);
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  /** 首页 with the map card drawn: its tiles and its canvas. */
  async function home(page: Page): Promise<void> {
    await page.goto('/');
    await page.locator('[data-map="tiles"] .tile').first().waitFor();
    await page.locator('[data-map="points"] canvas').waitFor();
  }

  it("shows a city's counties as tiles and its projects as points; a tile opens 项目台账", async () => {
    const { ctx, page } = await signedInPage(browser, base, 'heyuan.viewer', PASSWORD);
    await home(page);
    const tiles = page.locator('[data-map="tiles"] .tile');
    expect(await tiles.locator('.tile-name').allTextContents()).toEqual(['龙川县', '源城区']);
    // 竣工率 by default: none completed
    expect(await tiles.locator('.tile-value').allTextContents()).toEqual(['0.0%', '0.0%']);
    await page
      .locator('.el-select__wrapper', { has: page.getByRole('combobox', { name: '区县着色指标' }) })
      .click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '开工率' }).click();
    expect(await tiles.locator('.tile-value').allTextContents()).toEqual(['33.3%', '50.0%']);
    expect(await tiles.locator('.tile-sub').allTextContents()).toEqual(['3 个项目', '2 个项目']);
    expect(await page.getByText('已定位 4 个，未定位 1 个').count()).toBe(1);
    expect(await page.getByText('示意图：按经纬度绘制，不含行政区边界').count()).toBe(1);
    // beside the ranking at 1366×768: two columns, their tops level
    const box = async (sel: string) => (await page.locator(sel).boundingBox())!;
    const ranking = await box('.ranking-panel');
    const card = await box('[data-card="map"]');
    expect(card.x).toBeGreaterThanOrEqual(ranking.x + ranking.width);
    expect(Math.abs(card.y - ranking.y)).toBeLessThan(2);
    expect(ranking.width).toBeGreaterThan(500);
    expect(card.width).toBeGreaterThan(500);
    expect(card.x + card.width).toBeLessThanOrEqual(1366);
    await screenshot(page, '60-map-tiles-points');
    // 大字模式: the map under the ranking
    await page.evaluate(() => document.documentElement.classList.add('large-text'));
    const [rankingLarge, cardLarge] = [await box('.ranking-panel'), await box('[data-card="map"]')];
    expect(cardLarge.y).toBeGreaterThanOrEqual(rankingLarge.y + rankingLarge.height);
    // and its small print in the larger size: none under 15px (着色, the tiles, the legend)
    const sizes = await page.evaluate(() =>
      ['.controls label', '.tile-name', '.tile-value', '.tile-sub', '.legend .swatch'].map(
        (sel) => [
          sel,
          getComputedStyle(document.querySelector(`[data-card="map"] ${sel}`)!).fontSize,
        ],
      ),
    );
    expect(sizes).toEqual([
      ['.controls label', '16px'],
      ['.tile-name', '16px'],
      ['.tile-value', '19px'],
      ['.tile-sub', '15px'],
      ['.legend .swatch', '15px'],
    ]);
    await screenshot(page, '60-map-tiles-points-large-text');
    await page.evaluate(() => document.documentElement.classList.remove('large-text'));
    await expectClean(page, '首页 地图（无边界）', ['heyuan.viewer']);
    // printable: the card on paper with its tiles
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-card="map"]').isVisible()).toBe(true);
    // 本期月报's counts are on paper; 进入审核, a way to another screen, is not
    expect(await page.locator('[data-count="not_submitted"]').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: '进入审核' }).isVisible()).toBe(false);
    expect(await page.locator('.print-measure').textContent()).toBe('按开工率着色');
    await screenshot(page, '61-map-print');
    // on A4 landscape (277 mm ≈ 1047 px between the margins): the card and its canvas within the paper
    await page.setViewportSize({ width: 1047, height: 740 });
    await page.waitForTimeout(100);
    const paper = await page.evaluate(() => {
      const right = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().right;
      return {
        card: right('[data-card="map"]'),
        canvas: right('[data-map="points"] canvas'),
        below:
          document.querySelector('[data-card="map"]')!.getBoundingClientRect().top >=
          document.querySelector('.ranking-panel')!.getBoundingClientRect().bottom,
      };
    });
    expect(paper.card).toBeLessThanOrEqual(1047);
    expect(paper.canvas).toBeLessThanOrEqual(paper.card);
    expect(paper.below).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    fs.writeFileSync(path.resolve(__dirname, 'screenshots', '61-map-print.pdf'), pdf);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.emulateMedia({ media: 'screen' });
    // a tile opens 项目台账 filtered to the county
    await tiles.filter({ hasText: '龙川县' }).click();
    await page.waitForURL((u) => u.pathname === '/projects');
    expect(new URL(page.url()).searchParams.get('regionId')).toBe(String(r['龙川县']));
    await page.getByText('共 3 条').waitFor();
    await ctx.close();
  });

  it('基本信息: 使用照片位置 fills the fields from the latest GPS photo; a click on the map fills them; 确定 saves', async () => {
    const p = await t
      .http()
      .post('/api/projects')
      .send({ name: '龙川县选点小学', regionId: r['龙川县'], planYear: 2026 })
      .expect(201);
    const upload = async (
      taken: string,
      name: string,
      gps?: Parameters<typeof sitePhoto>[0]['gps'],
    ) =>
      t
        .http()
        .post(`/api/projects/${p.body.id}/attachments`)
        .field('kind', 'photo')
        .attach('file', await sitePhoto({ taken, gps }), {
          filename: name,
          contentType: 'application/octet-stream',
        })
        .expect(201);
    // the older photo elsewhere; the latest at 24°5′30.12″N 115°15′0.25″E
    await upload('2026:11:25 08:00:00', '十一月.jpg', {
      lat: '24/1 6/1 0/1',
      latRef: 'N',
      lng: '115/1 13/1 0/1',
      lngRef: 'E',
    });
    await upload('2026:12:01 09:15:30', '十二月.jpg');
    const listed = (await t.http().get(`/api/projects/${p.body.id}/attachments`).expect(200)).body;
    expect(
      listed.items.map((a: { name: string; lat: string; lng: string }) => [a.name, a.lat, a.lng]),
    ).toEqual([
      ['十二月.jpg', '24.0917000', '115.2500694'],
      ['十一月.jpg', '24.1000000', '115.2166667'],
    ]);
    const username = `longchuan.jijian.${process.pid}`;
    const officer = await t
      .http()
      .post('/api/users')
      .send({ username, password: PASSWORD, role: 'infrastructure', regionId: r['龙川县'] })
      .expect(201);
    await t.passwordChosen(officer.body.id as number);
    const { ctx, page } = await signedInPage(browser, base, username, PASSWORD);
    await page.goto(`/projects/${p.body.id}`);
    await page.getByRole('tab', { name: '基本信息' }).click();
    await page.getByRole('button', { name: '编辑' }).click();
    const dlg = page.locator('.el-dialog:visible');
    const lng = dlg.locator('input[placeholder^="如 112.291100"]');
    const lat = dlg.locator('input[placeholder^="如 24.720000"]');
    const note = dlg.locator('[data-test="photo-note"]');
    await note.waitFor();
    expect(await note.textContent()).toBe(
      '最新带位置的进度照片：十二月.jpg（拍摄于 2026-12-01 09:15，经度 115.250069，纬度 24.091700）',
    );
    await dlg.getByRole('button', { name: '使用照片位置' }).click();
    expect([await lng.inputValue(), await lat.inputValue()]).toEqual(['115.250069', '24.091700']);
    expect(await dlg.locator('[data-test="location-filled"]').textContent()).toContain(
      '已按照片“十二月.jpg”填入经纬度（原为 未填写），点“确定”后保存。',
    );
    // the map: a click fills both fields (six places), replacing the photo's, which it names
    await dlg.getByRole('button', { name: '在地图上选取' }).click();
    const canvas = dlg.locator('[data-map="picker"] canvas');
    await canvas.waitFor();
    await page.waitForTimeout(200);
    await canvas.scrollIntoViewIfNeeded();
    const at = (await canvas.boundingBox())!;
    const middle = { x: Math.round(at.width / 2), y: Math.round(at.height / 2) };
    await canvas.click({ position: middle });
    const picked = [await lng.inputValue(), await lat.inputValue()];
    expect(picked[0]).toMatch(/^115\.\d{6}$/);
    expect(picked[1]).toMatch(/^24\.\d{6}$/);
    expect(picked).not.toEqual(['115.250069', '24.091700']);
    expect(await dlg.locator('[data-test="location-filled"]').textContent()).toContain(
      '已按地图选点填入经纬度（原为 115.250069，24.091700）',
    );
    await screenshot(page, '66-location-picker');
    await expectClean(page, '项目详情 地图选点', [username, 'jpg', 'GS']);
    // nothing saved yet
    const before = (await t.http().get(`/api/projects/${p.body.id}`).expect(200)).body;
    expect([before.lng, before.lat]).toEqual([null, null]);
    // typing moves nothing but the fields; 恢复原值 puts back the photo's
    await dlg.getByRole('button', { name: '恢复原值' }).click();
    expect([await lng.inputValue(), await lat.inputValue()]).toEqual(['115.250069', '24.091700']);
    await canvas.click({ position: middle });
    expect([await lng.inputValue(), await lat.inputValue()]).toEqual(picked);
    await dlg.getByRole('button', { name: '确定' }).click();
    await dlg.waitFor({ state: 'hidden' });
    const after = (await t.http().get(`/api/projects/${p.body.id}`).expect(200)).body;
    expect([after.lng, after.lat]).toEqual(picked);
    const audit = await t.db.read
      .getRepository(AuditLog)
      .find({ where: { entity: 'project', entityId: p.body.id }, order: { id: 'ASC' } });
    expect(audit.at(-1)!.changes).toEqual({
      lat: { old: null, new: picked[1] },
      lng: { old: null, new: picked[0] },
    });
    expect(audit.at(-1)!.actorName).toBe(username);
    await ctx.close();
    // tests run in random order: archived, this project leaves 龙川县's tile as the others set it up
    const now = (await t.http().get(`/api/projects/${p.body.id}`).expect(200)).body;
    await t
      .http()
      .post(`/api/projects/${p.body.id}/archive`)
      .send({ version: now.version, reason: '测试选点用项目' })
      .expect(201);
  });

  it('takes a boundary in 系统管理 (refused without 审图号), then draws it with 「审图号：…」', async () => {
    const admin = await t.db.read.query(`SELECT id FROM "user" WHERE username = 'admin'`);
    await t.passwordChosen(Number(admin[0].id));
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    await page.goto('/admin');
    await page.getByRole('tab', { name: '地图边界' }).click();
    const file = path.join(process.env.TMPDIR ?? '/tmp', `heyuan-synthetic-${process.pid}.geojson`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [rect('源城区', 114.5, 23.55, 0.4, 0.35), rect('龙川县', 115.0, 23.9, 0.5, 0.45)],
      }),
    );
    await page
      .locator('.el-select__wrapper', { has: page.getByRole('combobox', { name: '边界所属地区' }) })
      .click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '河源市' }).click();
    await page.getByLabel('数据来源').fill('测试用合成数据');
    await page.getByLabel('GeoJSON 文件').setInputFiles(file);
    await page.getByRole('button', { name: '上传' }).click();
    const problems = page.locator('[data-problems="boundary"]');
    await problems.waitFor();
    expect(await problems.textContent()).toContain('须填写审图号');
    await page.getByLabel('审图号').fill('GS(2099)0001号');
    await page.getByRole('button', { name: '上传' }).click();
    await page.locator('[data-table="boundaries"] .el-table__row').first().waitFor();
    expect(
      await page.locator('[data-table="boundaries"] .el-table__row').first().textContent(),
    ).toContain('GS(2099)0001号');
    await screenshot(page, '62-map-boundary-admin');
    await expectClean(page, '系统管理 地图边界', [
      'GeoJSON',
      'FeatureCollection',
      'MultiPolygon',
      'Polygon',
      'properties',
      'name',
      'MB',
      'GS',
      'admin',
    ]);
    await ctx.close();

    const city = await signedInPage(browser, base, 'heyuan.viewer', PASSWORD);
    await home(city.page);
    const approval = city.page.locator('[data-map="approval"]');
    expect(await approval.textContent()).toContain(
      '审图号：GS(2099)0001号（来源：测试用合成数据）',
    );
    await city.page.waitForTimeout(300);
    await screenshot(city.page, '63-map-boundary');
    await expectClean(city.page, '首页 地图（上传边界）', ['heyuan.viewer', 'GS']);
    await city.page.emulateMedia({ media: 'print' });
    expect(await approval.isVisible()).toBe(true);
    await screenshot(city.page, '64-map-boundary-print');
    fs.writeFileSync(
      path.resolve(__dirname, 'screenshots', '64-map-boundary-print.pdf'),
      await city.page.pdf({ preferCSSPageSize: true, printBackground: true }),
    );
    await city.ctx.close();
    fs.rmSync(file, { force: true });
    // tests run in random order: the others draw 河源市 without a boundary (示意图)
    await t.http().delete(`/api/map/boundary/${r['河源市']}`).expect(200);
  });
});
