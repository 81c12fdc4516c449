import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { TestApp } from '../support/app';
import { pdf, sitePhoto } from '../support/evidence-files';
import { expectClean, screenshot, signedInPage, startApp, stopApp } from './browser';

/** The words of the screens that are data, not English: file formats and sizes, the officer's name. */
const DATA = [
  'PDF、OFD、JPG、PNG、WebP、HEIC、Word（.docx）、Excel（.xlsx）',
  'KB',
  'MB',
  'jijian_att',
  '.pdf',
  '.jpg',
];

/**
 * 附件 and 进度照片 (issue 35, point 4) at 1366×768: the documents by kind, an upload with its
 * progress, a PDF previewed in place; the photos by month with their report and 前后对比.
 */
describe('attachments and progress photos on 项目详情', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let projectId: number;
  let work: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-attachments-'));
    ({ t, browser, base } = await startApp({ env: { FILES_DIR: path.join(work, 'files') } }));
    const admin = t.http();
    const regions = (await admin.get('/api/regions').expect(200)).body as {
      id: number;
      level: string;
    }[];
    const county = regions.find((r) => r.level === 'county')!;
    projectId = (
      await admin
        .post('/api/projects')
        .send({ name: '附件演示小学', regionId: county.id, planYear: 2026, budgetWan: '3000' })
        .expect(201)
    ).body.id;
    const officer = await t.as('infrastructure', county.id, 'jijian_att');
    const reportId = (
      await officer
        .post(`/api/projects/${projectId}/progress`)
        .send({ reportedOn: '2026-11-12', status: 'under_construction', progressPercent: 35 })
        .expect(201)
    ).body.id as number;
    const up = (file: Buffer, name: string, fields: Record<string, string>) => {
      let req = officer.post(`/api/projects/${projectId}/attachments`);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', file, { filename: name }).expect(201);
    };
    await up(pdf(), '初步设计及概算批复.pdf', { kind: 'approval' });
    await up(await sitePhoto({ taken: '2026:11:10 10:00:00', color: '#8a6d3b' }), '基础施工.jpg', {
      kind: 'photo',
      progressReportId: String(reportId),
    });
    await up(await sitePhoto({ taken: '2026:12:01 09:30:00', color: '#3b6d8a' }), '主体封顶.jpg', {
      kind: 'photo',
    });
  });
  afterAll(async () => {
    await stopApp({ t, browser });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('附件: by kind, a dropped-in file uploaded with progress, a PDF previewed in place', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'jijian_att', 'User-Pass-123');
    try {
      await page.goto(`/projects/${projectId}?tab=attachments`);
      const rows = page.locator('section[aria-label="附件"] .el-table__body tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(3);
      await page.getByRole('radio', { name: '批复文件（1）' }).waitFor();
      // no 类别 chosen: a document is held back with a word (a picture would go as 进度照片)
      await page.getByLabel('选择要上传的文件').setInputFiles({
        name: '施工许可证.pdf',
        mimeType: 'application/pdf',
        buffer: pdf('许可证'),
      });
      await page.getByText('请先选择附件类别，再上传：施工许可证.pdf').waitFor();
      expect(await page.locator('.uploads li').count()).toBe(0);
      await page.locator('label.kind .el-select__wrapper').click();
      await page.getByRole('option', { name: '批复文件' }).click();
      await page.getByLabel('选择要上传的文件').setInputFiles({
        name: '施工许可证.pdf',
        mimeType: 'application/pdf',
        buffer: pdf('许可证'),
      });
      await page.locator('.uploads li.done').waitFor();
      await page.waitForFunction(
        () =>
          document.querySelectorAll('section[aria-label="附件"] .el-table__body tr').length === 4,
      );
      expect(await rows.first().innerText()).toContain('施工许可证.pdf');
      await page.locator('.kinds label', { hasText: '批复文件（2）' }).click();
      expect(await rows.count()).toBe(2);
      await rows.first().getByRole('button', { name: '预览' }).click();
      const dialog = page.getByRole('dialog', { name: '施工许可证.pdf' });
      await dialog.locator('iframe').waitFor();
      await expectClean(page, '附件（预览）', DATA);
      await screenshot(page, 'attachments-preview');
      await dialog.getByRole('button', { name: /关闭|Close/ }).click();
      await page.locator('.kinds label', { hasText: '全部' }).click();
      await expectClean(page, '附件', DATA);
      await screenshot(page, 'attachments');
    } finally {
      await ctx.close();
    }
  });

  it('进度照片: a timeline by month with the report each belongs to, 前后对比 side by side', async () => {
    const { ctx, page } = await signedInPage(browser, base, 'jijian_att', 'User-Pass-123');
    try {
      await page.goto(`/projects/${projectId}?tab=photos`);
      const months = page.locator('.timeline > li h4');
      await months.first().waitFor();
      expect(await months.allInnerTexts()).toEqual(['2026年12月（1 张）', '2026年11月（1 张）']);
      expect(await page.locator('.timeline figcaption').allInnerTexts()).toEqual([
        '2026-12-01 · 已定位',
        '2026-11-10 · 2026-11-12 填报（在建 35%） · 已定位',
      ]);
      // 前后对比 opens on the first and the latest month
      const sides = page.locator('.sides .side');
      await sides.first().waitFor();
      expect(await sides.locator('h4').allInnerTexts()).toEqual(['2026年11月', '2026年12月']);
      expect(await sides.locator('img').count()).toBe(2);
      // every picture loads (blob: URLs fetched with the session: the CSP must allow them)
      await page.waitForFunction(
        () => {
          const imgs = [
            ...document.querySelectorAll<HTMLImageElement>('.timeline img, .sides img'),
          ];
          return imgs.length === 4 && imgs.every((i) => i.complete && i.naturalWidth > 0);
        },
        null,
        { timeout: 15_000 },
      );
      await expectClean(page, '进度照片', DATA);
      await screenshot(page, 'progress-photos');
    } finally {
      await ctx.close();
    }
  });
});
