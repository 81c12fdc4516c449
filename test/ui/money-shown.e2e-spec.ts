import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { TestApp, workbookAt } from '../support/app';
import { screenshot, signedInPage, startApp, stopApp } from './browser';

/**
 * One rule for showing money (issue "Exact on every screen and every printed page", point 1): a
 * budget of 20500.125 万元 shows 20,500.13 on 首页, 资金管理 (table and sentence), 项目台账, in the
 * monthly report and in the export; a total is the exact sum rounded once (20500.125 + 0.125 =
 * 20500.25, not 20,500.13 + 0.13 = 20,500.26); the web adds no money itself (the 已竣工 / 在建
 * split of the gap comes from the API).
 */
describe('money as shown: half up from the exact value, sums from the server', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let city: number;
  let countyA: number;
  let countyB: number;
  let big: number;
  let small: number;

  const text = (page: Page, sel: string) => page.locator(sel).first().innerText();
  /** 项目台账's 合计 row (the server's sums over the filtered set), cell by cell. */
  const footer = async (page: Page) =>
    (await page.locator('.el-table__footer-wrapper tr').first().locator('td').allInnerTexts())
      .map((c) => c.trim())
      .join('|');
  /** Polls the 合计 row until it holds `amount` as a cell (10 s at most), then asserts it. */
  async function footerHas(page: Page, amount: string): Promise<void> {
    let got = await footer(page);
    for (let i = 0; i < 100 && !got.split('|').includes(amount); i++) {
      await new Promise((r) => setTimeout(r, 100));
      got = await footer(page);
    }
    expect(got.split('|')).toContain(amount);
  }

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());

    // a city with no reference projects (河源市), and its two counties
    const regions = (await t.http().get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
      parentId: number | null;
      level: string;
    }[];
    city = regions.find((r) => r.name === '河源市')!.id;
    const counties = regions.filter((r) => r.parentId === city);
    [countyA, countyB] = [counties[0].id, counties[1].id];

    const admin = t.http();
    const finance = await t.as('finance', city, 'finance_hy');
    await t.as('finance', countyA, 'finance_a');
    const create = async (name: string, regionId: number) =>
      (
        await admin
          .post('/api/projects')
          .send({
            name,
            regionId,
            planYear: 2025,
            seats: { primary: 900 },
            plannedCompletion: '2027-08',
          })
          .expect(201)
      ).body.id as number;
    big = await create('金额显示测试小学', countyA);
    small = await create('金额显示测试幼儿园', countyB);
    // the 概算调整 of 20500.125 万元, and one of 0.125
    for (const [id, wan] of [
      [big, '20500.125'],
      [small, '0.125'],
    ] as const)
      await finance
        .post(`/api/projects/${id}/budget-revisions`)
        .send({ effectiveOn: '2026-11-20', budgetWan: wan, reason: '初步设计批复调整概算' })
        .expect(201);
    const report = (id: number, body: object) =>
      admin
        .post(`/api/projects/${id}/progress`)
        .send({ reportedOn: '2026-11-25', ...body })
        .expect(201);
    await report(big, { status: 'under_construction', progressPercent: 10 });
    await report(small, { status: 'under_construction', progressPercent: 50 });
    await admin
      .post(`/api/projects/${small}/progress`)
      .send({
        reportedOn: '2026-11-28',
        status: 'completed',
        progressPercent: 100,
        actualCompletion: '2026-11-28',
      })
      .expect(201);
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  it('the API gives the exact figures, the split of the gap included', async () => {
    const s = (await t.http().get(`/api/funding/summary?regionId=${city}`).expect(200)).body;
    expect(s.total).toMatchObject({ budgetWan: '20500.25', gapWan: '20500.25' });
    expect(s.gapSplit).toEqual({ completedWan: '0.125', underConstructionWan: '20500.125' });
    const a = (await t.http().get(`/api/funding/summary?regionId=${countyA}`).expect(200)).body;
    expect(a.gapSplit).toEqual({ completedWan: '0.00', underConstructionWan: '20500.125' });
  });

  it('a county officer sees 20,500.13 on 首页, 资金管理 (table and sentence) and 项目台账', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'finance_a', 'User-Pass-123');
    await page.goto('/');
    await page.locator('[data-card="budget"] .value').waitFor();
    expect(await text(page, '[data-card="budget"] .value')).toBe('20,500.13');
    expect(await text(page, '[data-card="gap"] .value')).toBe('20,500.13');

    await page.goto('/funding');
    await page.locator('[data-split]').waitFor();
    expect(await text(page, '[data-gap="under_construction"]')).toBe('20,500.13');
    expect(await text(page, '[data-gap="total"]')).toBe('20,500.13');
    expect(await text(page, '[data-split]')).toBe(
      '资金缺口中：已竣工项目 0.00 万元，在建项目 20,500.13 万元。',
    );

    await page.goto('/projects');
    const row = page.locator('.el-table__row', { hasText: '金额显示测试小学' });
    await row.waitFor();
    expect(await row.innerText()).toContain('20,500.13');
    expect(await row.innerText()).not.toContain('20,500.12');
    await footerHas(page, '20,500.13');
    await screenshot(page, '40-money-county-list');
    await ctx.close();
  });

  it('a city officer sees each amount rounded once and the totals as the exact sum rounded once', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'finance_hy', 'User-Pass-123');
    await page.goto('/');
    await page.locator('[data-card="budget"] .value').waitFor();
    // 20500.125 + 0.125 = 20500.25 exactly (rounding each first would give 20,500.26)
    expect(await text(page, '[data-card="budget"] .value')).toBe('20,500.25');
    expect(await text(page, '[data-card="gap"] .value')).toBe('20,500.25');

    await page.goto('/funding');
    await page.locator('[data-split]').waitFor();
    expect(await text(page, '[data-gap="completed"]')).toBe('0.13');
    expect(await text(page, '[data-gap="under_construction"]')).toBe('20,500.13');
    expect(await text(page, '[data-gap="total"]')).toBe('20,500.25');
    // was "25,001.25"-style nonsense: the web added six-decimal strings as if they had two
    expect(await text(page, '[data-split]')).toBe(
      '资金缺口中：已竣工项目 0.13 万元，在建项目 20,500.13 万元。',
    );
    await screenshot(page, '41-money-city-funding');

    await page.goto('/projects');
    await page.locator('.el-table__row', { hasText: '金额显示测试幼儿园' }).waitFor();
    expect(
      await page.locator('.el-table__row', { hasText: '金额显示测试幼儿园' }).innerText(),
    ).toContain('0.13');
    await footerHas(page, '20,500.25');
    await ctx.close();
  });

  /** The cell holding `value` in the row whose cells include `name`. */
  function cellBeside(ws: ExcelJS.Worksheet, name: string, value: number): ExcelJS.Cell {
    let found: ExcelJS.Cell | null = null;
    ws.eachRow((row) => {
      const cells: ExcelJS.Cell[] = [];
      row.eachCell((c) => cells.push(c));
      if (!cells.some((c) => String(c.value).includes(name))) return;
      found = cells.find((c) => c.value === value) ?? found;
    });
    if (!found) throw new Error(`no ${value} beside ${name} on ${ws.name}`);
    return found;
  }

  it('the monthly report and the export carry the exact amount with the two-decimal format', async () => {
    const report = await workbookAt(
      t.http(),
      `/api/reports/monthly?month=2026-11&regionId=${countyA}`,
    );
    const detail = cellBeside(report.getWorksheet('项目明细')!, '金额显示测试小学', 20500.125);
    // the cell keeps the exact amount; #,##0.00 shows it rounded half up: 20,500.13
    expect(detail.numFmt).toBe('#,##0.00');
    const exported = await workbookAt(t.http(), `/api/projects/export.xlsx?regionId=${countyA}`);
    const cell = cellBeside(exported.worksheets[0], '金额显示测试小学', 20500.125);
    expect(cell.numFmt).toMatch(/^#,##0\.00/);
  });
});
