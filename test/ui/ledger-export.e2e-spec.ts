import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, regionIds, TestApp } from '../support/app';
import { SCREENSHOTS, signedInPage, startApp, stopApp } from './browser';

const run = promisify(execFile);

/** The list's column headings as the screen shows them, left to right (学位 by stage under its group). */
function screenHeaders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('.el-table__header-wrapper thead tr')];
    const cells = (r: Element | undefined) =>
      [...(r?.children ?? [])].filter((th) => !th.classList.contains('gutter')) as HTMLElement[];
    const lower = cells(rows[1]);
    let k = 0;
    return cells(rows[0]).flatMap((th) =>
      (th as HTMLTableCellElement).colSpan > 1
        ? lower.slice(k, (k += (th as HTMLTableCellElement).colSpan)).map((c) => c.innerText.trim())
        : [th.innerText.trim()],
    );
  });
}

/** Issue 38, points 4 and 5: 导出 writes what the screen shows; the printed ledger has one 合计. */
describe('项目台账 导出 and print, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ t, browser, base } = await startApp());
  });
  afterAll(async () => {
    await stopApp({ t, browser });
  });

  it('导出 downloads a workbook whose header is the screen’s columns (列设置) and rows the filtered list', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    await page.goto('/projects?planYear=2025');
    await page.locator('.el-table__row').first().waitFor();
    // 列设置: 年度 off, 计划开工 on
    await page.getByRole('button', { name: '列设置' }).click();
    await page.locator('.columns').getByText('年度', { exact: true }).click();
    await page.locator('.columns').getByText('计划开工', { exact: true }).click();
    await page.keyboard.press('Escape');
    await page.locator('.el-table__header-wrapper th', { hasText: '计划开工' }).first().waitFor();
    const headers = await screenHeaders(page);
    expect(headers).not.toContain('年度');
    expect(headers).toContain('计划开工');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出', exact: true }).click(),
    ]);
    // the file names the region it covers (the admin's: the province)
    expect(download.suggestedFilename()).toMatch(/^项目台账-广东省-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(SCREENSHOTS, 'ledger.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    // row 4: the stages under 计划新增学位数（个）; the other headings merge down from row 3
    const sheetHeaders = Array.from({ length: headers.length }, (_, i) =>
      String(ws.getRow(4).getCell(i + 1).value ?? '').replace(/\n/g, ''),
    );
    expect(sheetHeaders).toEqual(headers);
    expect(ws.getRow(4).getCell(headers.length + 1).value).toBeNull();
    const listed = (
      await t.http().get('/api/projects?planYear=2025&sort=id&pageSize=200').expect(200)
    ).body.items as { name: string }[];
    const nameCol = headers.indexOf('项目名称') + 1;
    const names = listed.map((_, i) => ws.getRow(5 + i).getCell(nameCol).value);
    expect(names).toEqual(listed.map((p) => p.name));
    expect(ws.getRow(5 + listed.length).getCell(1).value).toBe('合计');
    expect(String(ws.getCell('A2').value)).toContain('筛选条件：年度：2025年');
    // the plan-table layout stays, for re-import, as its own button
    const [plan] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出为规划表格式' }).click(),
    ]);
    expect(plan.suggestedFilename()).toMatch(/^学校建设项目规划表-广东省-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await ctx.close();
  });

  it('prints the ledger over several A4 pages with 合计 once, at the end', async () => {
    const county = (await regionIds(t))['连南瑶族自治县'];
    // enough projects for three printed pages
    for (let i = 1; i <= 50; i++)
      await t
        .http()
        .post('/api/projects')
        .send({
          name: `打印测试小学${i}号`,
          regionId: county,
          planYear: 2026,
          seats: { primary: 100 },
          plannedCompletion: '2027-08',
        })
        .expect(201);
    const { ctx, page } = await signedInPage(browser, base, 'admin', ADMIN_PASSWORD);
    const total = (await t.http().get('/api/projects').expect(200)).body.total as number;
    // the screen shows 20 rows a page; 打印 prints every row the filters match
    await page.goto('/projects');
    await page.getByText(`共 ${total} 条`).waitFor();
    expect(await page.locator('.el-table__body-wrapper .el-table__row').count()).toBe(20);
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await page.getByRole('button', { name: '打印', exact: true }).click();
    await page.waitForFunction(() => (window as unknown as { printed: number }).printed === 1);
    await page.emulateMedia({ media: 'print' });
    const pdfFile = path.join(SCREENSHOTS, 'ledger-print.pdf');
    fs.writeFileSync(pdfFile, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    const { stdout } = await run('pdftotext', ['-layout', pdfFile, '-']);
    const pages = stdout.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const sums = pages.map((p) => p.split('合计').length - 1);
    // once, on the last page: not a footer repeated on every page
    expect(sums).toEqual([...pages.slice(1).map(() => 0), 1]);
    expect(pages[pages.length - 1]).toContain(`合计：共 ${total} 个项目`);
    expect(stdout).not.toContain('本页');
    expect(stdout).not.toContain('本表列出');
    // the title names the region and the day, as the export does; the seats under their group
    expect(pages[0]).toContain('广东省 · 学校建设项目台账');
    expect(pages[0]).toMatch(/截至日期：\d{4}-\d{2}-\d{2}/);
    expect(pages[0]).toContain('计划新增学位数（个）');
    // 形象进度 as on screen: 未填报 for a project never reported
    expect(stdout.split('\n').find((l) => l.includes('打印测试小学1号'))).toContain('未填报');
    // short cells on one line: no 区县 broken as 连南瑶族自治 / 县
    expect(stdout).toContain('连南瑶族自治县');
    // every project printed once
    for (let i = 1; i <= 50; i++) expect(stdout.split(`打印测试小学${i}号`).length - 1).toBe(1);
    await ctx.close();
  });
});
