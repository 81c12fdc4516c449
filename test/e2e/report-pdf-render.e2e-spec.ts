import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { FILL, FILL_NAMES, FillName } from '../../src/excel/sheet-writer';
import { Agent, binary, createTestApp, TestApp } from '../support/app';

const run = promisify(execFile);

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const tools = ['soffice', 'pdftotext', 'pdftoppm'].every(has);
// CI installs LibreOffice and poppler (scripts/browser-deps.sh): there the spec fails without them
const describeIf = tools || process.env.CI === 'true' ? describe : describe.skip;

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The word boxes of each page, from `pdftotext -bbox`. */
async function wordBoxes(pdf: string): Promise<Word[][]> {
  const { stdout } = await run('pdftotext', ['-bbox', pdf, '-'], { maxBuffer: 64 << 20 });
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return stdout
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4]),
        text: unescape(m[5]),
      })),
    );
}

/** Pairs of words on a page whose boxes overlap by more than `tol` points both ways. */
function overlaps(words: Word[], tol = 1): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i],
        b = words[j];
      const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (w > tol && h > tol) out.push(`${a.text} × ${b.text}`);
    }
  return out;
}

/**
 * The horizontal lines drawn across at least half a page: pixel rows (of a 100 dpi greyscale
 * rendering) holding a run of dark pixels over half the page's width. A grid line between two
 * table rows is one; text and fills of a few columns are not.
 */
async function horizontalRules(pdf: string, page: number, dir: string): Promise<number> {
  const stem = path.join(dir, `rules-${page}`);
  await run('pdftoppm', ['-gray', '-r', '100', '-f', String(page), '-l', String(page), pdf, stem]);
  const file = fs.readdirSync(dir).find((f) => f.startsWith(`rules-${page}`) && f.endsWith('.pgm'));
  const data = fs.readFileSync(path.join(dir, file!));
  // P5 <width> <height> <max>\n<bytes>
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = data.subarray(header[0].length);
  let rules = 0;
  for (let y = 0; y < h; y++) {
    let runLen = 0,
      best = 0;
    for (let x = 0; x < w; x++) {
      runLen = px[y * w + x] < 215 ? runLen + 1 : 0;
      if (runLen > best) best = runLen;
    }
    if (best > w / 2) rules++;
  }
  return rules;
}

const pageText = (words: Word[]) => words.map((w) => w.text).join('');

/** The text cells of a sheet, a merged range once (at its first cell). */
function texts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) =>
    row.eachCell((c) => {
      if (c.master.address === c.address && typeof c.value === 'string') out.push(c.value);
    }),
  );
  return out;
}

/** What each fill's legend line says, by colour: the argb a cell's fill carries → 粉色底纹 … */
const fillName = new Map<string, string>(
  (Object.keys(FILL) as FillName[]).map((f) => [
    (FILL[f] as ExcelJS.FillPattern).fgColor!.argb!,
    FILL_NAMES[f],
  ]),
);

async function download(agent: Agent, url: string): Promise<Buffer> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  return res.body as Buffer;
}

/**
 * The monthly report as LibreOffice prints it (issue 29, point 5): a county's and a city's report
 * of a month converted to PDF by `soffice --headless`, then read back — word boxes that must not
 * overlap, page headers, one 截至日期 per sheet, grid lines, a legend line for every fill.
 */
describeIf('the monthly report printed through LibreOffice (issue 29, point 5)', () => {
  let t: TestApp;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-render-'));
  const reports: Record<'county' | 'city', { wb: ExcelJS.Workbook; pages: Word[][]; pdf: string }> =
    {} as never;

  beforeAll(async () => {
    expect(tools).toBe(true); // under CI=true a missing LibreOffice or poppler fails here
    t = await createTestApp();
    const http = t.http();
    const regions = (await http.get('/api/regions').expect(200)).body as {
      id: number;
      name: string;
    }[];
    const liannan = regions.find((r) => r.name === '连南瑶族自治县')!.id;
    const qingyuan = regions.find((r) => r.name === '清远市')!.id;
    // a long name, overdue (a pink row, a red alert whose 说明 takes several lines), a milestone
    // with a long note past its day
    const p = (
      await http
        .post('/api/projects')
        .send({
          name: '连南瑶族自治县民族高级中学新校区教学综合楼、学生宿舍及食堂配套建设工程（第一期）',
          regionId: liannan,
          seats: { seniorSecondary: 1200 },
          plannedCompletion: '2026-06',
          budgetWan: '12345.678',
        })
        .expect(201)
    ).body as { id: number };
    await http
      .post(`/api/projects/${p.id}/milestones`)
      .send({
        key: 'fire_inspection',
        name: '消防验收及竣工验收备案（含规划条件核实）',
        plannedDate: '2026-09-15',
        owner: '基建股王某某',
        note: '施工单位尚未提交消防设施检测报告，已于十月两次书面催办，县住建局答复待材料齐全后十个工作日内组织验收',
      })
      .expect(201);
    for (const [key, url] of [
      ['county', `/api/reports/monthly?month=2026-11&regionId=${liannan}`],
      ['city', `/api/reports/monthly?month=2026-11&regionId=${qingyuan}`],
    ] as const) {
      const body = await download(http, url);
      const xlsx = path.join(dir, `${key}.xlsx`);
      fs.writeFileSync(xlsx, body);
      const profile = path.join(dir, `profile-${key}`);
      await run(
        'soffice',
        [
          `-env:UserInstallation=file://${profile}`,
          '--headless',
          '--norestore',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          xlsx,
        ],
        { timeout: 180_000 },
      );
      const pdf = path.join(dir, `${key}.pdf`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as never);
      reports[key] = { wb, pages: await wordBoxes(pdf), pdf };
    }
  }, 400_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['county', 'city'] as const)('prints no word over another (%s)', (key) => {
    const { pages } = reports[key];
    expect(pages.length).toBeGreaterThan(8);
    const found = pages.flatMap((words, i) => overlaps(words).map((o) => `page ${i + 1}: ${o}`));
    expect(found).toEqual([]);
  });

  it.each(['county', 'city'] as const)(
    'carries 填报单位 and 打印日期 on every page, and 截至日期 once (%s)',
    (key) => {
      const unit = key === 'county' ? '连南瑶族自治县教育局' : '清远市教育局';
      for (const [i, words] of reports[key].pages.entries()) {
        const text = pageText(words);
        expect({ page: i + 1, unit: text.includes(`填报单位：${unit}`) }).toEqual({
          page: i + 1,
          unit: true,
        });
        // the day the report was made, in Beijing time (the test clock: 2026-12-02 12:00)
        expect({ page: i + 1, printed: text.includes('打印日期：2026年12月2日') }).toEqual({
          page: i + 1,
          printed: true,
        });
        // the information line repeats with the title on each page: 截至 once on each
        expect({ page: i + 1, asOf: text.split('截至').length - 1 }).toEqual({
          page: i + 1,
          asOf: 1,
        });
      }
      // and once in each sheet's cells: 汇总 no longer repeats it in its body
      for (const ws of reports[key].wb.worksheets) {
        const n = texts(ws).filter((v) => v.includes('截至')).length;
        expect({ sheet: ws.name, n }).toEqual({ sheet: ws.name, n: 1 });
        expect(ws.headerFooter.oddHeader).toBe(`&L填报单位：${unit}&R打印日期：2026年12月2日`);
      }
    },
  );

  it.each(['county', 'city'] as const)(
    'draws grid lines on every cell of the tables: header, data and totals rows (%s)',
    async (key) => {
      const { wb, pages, pdf } = reports[key];
      const detail = wb.getWorksheet('项目明细')!;
      let total = 0;
      detail.eachRow((row, r) => {
        if (row.getCell(4).value === '合计') total = r;
      });
      const projects = total - 5;
      expect(projects).toBeGreaterThanOrEqual(15);
      for (let r = 3; r <= total; r++)
        for (let c = 1; c <= 15; c++) {
          const b = detail.getRow(r).getCell(c).border;
          expect({
            r,
            c,
            grid: ['top', 'left', 'bottom', 'right'].map((s) => b?.[s as 'top']?.style),
          }).toEqual({ r, c, grid: ['thin', 'thin', 'thin', 'thin'] });
        }
      // the printed page: a line across the table under each row (the old page had only the header's)
      const page = pages.findIndex(
        (w) => pageText(w).includes('学校名称') && pageText(w).includes('特殊教育'),
      );
      expect(page).toBeGreaterThanOrEqual(0);
      expect(await horizontalRules(pdf, page + 1, dir)).toBeGreaterThanOrEqual(projects + 2);
    },
  );

  it.each(['county', 'city'] as const)(
    'explains every fill colour a sheet uses in a legend line on that sheet (%s)',
    (key) => {
      const { wb, pages } = reports[key];
      const printed = pages.map(pageText).join('');
      for (const ws of wb.worksheets) {
        const used = new Set<string>();
        const legends: string[] = [];
        ws.eachRow((row) =>
          row.eachCell((c) => {
            const argb = (c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
            if (argb && (c.fill as ExcelJS.FillPattern).pattern === 'solid') used.add(argb);
          }),
        );
        legends.push(...texts(ws).filter((v) => v.startsWith('图例：')));
        for (const argb of used) {
          const name = fillName.get(argb);
          expect({
            sheet: ws.name,
            argb,
            legend: legends.some((l) => l.startsWith(`图例：${name}：`)),
          }).toEqual({ sheet: ws.name, argb, legend: true });
        }
        for (const l of legends) expect(printed).toContain(l);
      }
      // the pink of an overdue project and of a red alert, the totals' grey, the header's blue
      const legendOf = (sheet: string) =>
        texts(wb.getWorksheet(sheet)!).filter((v) => v.startsWith('图例：'));
      expect(legendOf('项目明细')).toEqual([
        '图例：粉色底纹：已逾期项目',
        '图例：灰色底纹：合计行',
        '图例：浅蓝底纹：表头',
      ]);
      expect(legendOf('逾期预警')).toEqual(
        expect.arrayContaining(['图例：粉色底纹：红色预警', '图例：浅蓝底纹：表头']),
      );
      expect(legendOf('里程碑')).toEqual(['图例：粉色底纹：已逾期里程碑', '图例：浅蓝底纹：表头']);
    },
  );

  it('sizes rows to their wrapped text: 逾期预警’s 说明 and a long name take several lines', () => {
    const ws = reports.county.wb.getWorksheet('逾期预警')!;
    let row: ExcelJS.Row | undefined;
    ws.eachRow((r) => {
      if (String(r.getCell(4).value).startsWith('连南瑶族自治县民族高级中学新校区')) row = r;
    });
    // 说明 of 60 characters' width and a 28-wide name column: three lines of 14.5 pt and padding
    expect(row!.height).toBeGreaterThanOrEqual(3 * 14.5);
  });

  it('starts 汇总’s 资金 block on a new page rather than splitting it', async () => {
    const { wb, pages } = reports.county;
    const ws = wb.getWorksheet('汇总')!;
    let start = 0;
    ws.eachRow((row, r) => {
      if (row.getCell(1).value === '三、资金（万元）') start = r;
    });
    // a manual break after the row before the block (汇总 is the first sheet)
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(dir, 'county.xlsx')));
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const breaks = [...xml.matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));
    expect(breaks).toContain(start - 1);
    // in print: 资金测算（概算） and 已竣工及在建项目缺口合计 (the block's first and last) on one page
    const first = pages.findIndex((w) => pageText(w).includes('资金测算（概算）'));
    expect(pageText(pages[first])).toContain('三、资金（万元）');
    expect(pageText(pages[first])).toContain('已竣工及在建项目缺口合计');
  });
});
