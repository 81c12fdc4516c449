import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { Agent, createTestApp, regionIds, TestApp } from '../support/app';

const binary = (r: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function download(agent: Agent, url: string): Promise<{ body: Buffer; name: string }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  return { body: res.body as Buffer, name: String(res.headers['content-disposition']) };
}

/** Paper sizes (inches) by the OOXML paperSize code: 9 = A4, 8 = A3. */
const PAPER: Record<number, [number, number]> = { 9: [8.27, 11.69], 8: [11.69, 16.54] };

/**
 * Excel's column width (characters of the default font's digit, 7 px for Calibri 11) as printed
 * inches: px = trunc(width × 7 + 5), at 96 px per inch.
 */
const columnInches = (width: number) => Math.trunc(width * 7 + 5) / 96;

/**
 * The printed size of a sheet's body text: its font size times the scale the page setup prints
 * at — with fit-to-width, the printable width over the columns' width (never above 100 %).
 */
function printedBodyPt(ws: ExcelJS.Worksheet, bodyRows: number[]): { pt: number; scale: number } {
  const ps = ws.pageSetup;
  const [short, long] = PAPER[ps.paperSize ?? 9];
  const paperWidth = ps.orientation === 'landscape' ? long : short;
  const m = ps.margins!;
  const printable = paperWidth - m.left - m.right;
  const width = ws.columns.reduce((s, c) => s + columnInches(c.width ?? 8.43), 0);
  const scale =
    ps.fitToPage && ps.fitToWidth === 1 ? Math.min(1, printable / width) : (ps.scale ?? 100) / 100;
  let smallest = Infinity;
  for (const r of bodyRows)
    ws.getRow(r).eachCell((c) => {
      smallest = Math.min(smallest, c.font?.size ?? 10); // the default font: 宋体 10 (checked below)
    });
  return { pt: smallest * scale, scale };
}

describe('the monthly report as printed (issue "The monthly report a bureau prints")', () => {
  let t: TestApp;
  let wb: ExcelJS.Workbook;
  let zip: JSZip;
  let name: string;
  let liannan: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    // a month of dated changes: a report that starts construction, a line committed and received, a payment
    const list = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
    }[];
    const sj = list.find((p) => p.name === '三江镇中心幼儿园')!.id;
    const http = t.http();
    await http
      .post(`/api/projects/${sj}/progress`)
      .send({
        reportedOn: '2026-11-05',
        status: 'under_construction',
        progressPercent: 30,
        investmentCompletedWan: '500',
      })
      .expect(201);
    await http
      .post(`/api/projects/${sj}/funding`)
      .send({
        source: 'central_budget',
        committedWan: '302.01',
        committedOn: '2026-11-10',
        receivedWan: '100',
        receivedOn: '2026-11-25',
      })
      .expect(201);
    await http
      .post(`/api/projects/${sj}/payments`)
      .send({ paidOn: '2026-11-20', payee: '某建设工程有限公司', amountWan: '80.5' })
      .expect(201);
    const got = await download(t.http(), `/api/reports/monthly?month=2026-11&regionId=${liannan}`);
    name = got.name;
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(got.body as never);
    zip = await JSZip.loadAsync(got.body);
  });
  afterAll(() => t.close());

  it('prints body text at 9 pt or more on every sheet, in one font family', async () => {
    // a cell without a font of its own is in the workbook's default font: 宋体 10
    const styles = await zip.file('xl/styles.xml')!.async('string');
    const first = /<fonts[^>]*>\s*<font>(.*?)<\/font>/s.exec(styles)![1];
    expect(first).toContain('<sz val="10"/>');
    expect(first).toContain('<name val="宋体"/>');
    for (const ws of wb.worksheets) {
      const rows: number[] = [];
      for (let r = 1; r <= ws.rowCount; r++) rows.push(r);
      const { pt } = printedBodyPt(ws, rows);
      expect({ sheet: ws.name, ok: pt >= 9 }).toEqual({ sheet: ws.name, ok: true });
      const families = new Set<string>();
      ws.eachRow((row) => row.eachCell((c) => families.add(c.font?.name ?? '宋体')));
      expect({ sheet: ws.name, families: [...families] }).toEqual({
        sheet: ws.name,
        families: ['宋体'],
      });
    }
  });

  it('frames every sheet: title, unit line, repeated title and header rows, page numbers', () => {
    for (const ws of wb.worksheets) {
      expect(ws.getCell('A1').value).toBe(`连南瑶族自治县 · 学校建设项目月度进展报表 · 2026年11月`);
      expect(String(ws.getCell('A2').value)).toMatch(
        /^填报单位：连南瑶族自治县教育局\u3000\u3000截至日期：2026-11-30\u3000\u3000单位：万元、个、平方米、亩$/,
      );
      // 汇总 has no column header: its title and information line repeat
      expect(ws.pageSetup.printTitlesRow).toMatch(ws.name === '汇总' ? /^1:2$/ : /^1:[34]$/);
      expect(ws.headerFooter.oddFooter).toBe('&C第 &P 页 共 &N 页');
      expect(ws.pageSetup.orientation).toBe('landscape');
    }
  });

  it('lays 项目明细 out as the bureau’s plan table, blank where the source is blank, with 备注 in words', () => {
    const ws = wb.getWorksheet('项目明细')!;
    const h3 = (c: number) => String(ws.getRow(3).getCell(c).value ?? '').replace(/\n/g, '');
    const h4 = (c: number) => String(ws.getRow(4).getCell(c).value ?? '').replace(/\n/g, '');
    expect([1, 2, 3, 4].map(h3)).toEqual(['序号', '地区', '年度', '学校名称']);
    expect(h3(5)).toBe('计划新增学位数（个）');
    expect([5, 6, 7, 8, 9, 10].map(h4)).toEqual([
      '小计',
      '幼儿园',
      '小学',
      '初中',
      '高中阶段',
      '特殊教育',
    ]);
    expect([11, 12, 13, 14, 15].map(h3)).toEqual([
      '计划完成时间',
      '建筑面积（平方米）',
      '用地需求（亩）',
      '资金测算（万元）',
      '备注',
    ]);
    const merges = (ws.model as unknown as { merges: string[] }).merges;
    expect(merges).toEqual(expect.arrayContaining(['E3:J3', 'A3:A4', 'D3:D4', 'O3:O4']));
    // a header never leaves a bracket alone on a line: a line break only before the bracket
    ws.getRow(3).eachCell((c) => {
      for (const line of String(c.value).split('\n')) expect(line).not.toMatch(/^[（）]$|^[）]/);
    });
    const rowOf = (name: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => {
        if (row.getCell(4).value === name) found = row;
      });
      expect(found).toBeDefined();
      return found!;
    };
    // 香坪镇中心幼儿园: printed 小计 210, stages 201
    const xiangping = rowOf('香坪镇中心幼儿园');
    expect(xiangping.getCell(5).value).toBe(201);
    expect(xiangping.getCell(15).value).toBe('印刷小计210，各学段之和201');
    // 三排镇横坑幼儿园: no 小学 seats and no 用地 in the source → blank, not 0; 淳溪小学 printed 0 亩
    const hengkeng = rowOf('三排镇横坑幼儿园');
    expect([
      hengkeng.getCell(6).value,
      hengkeng.getCell(7).value,
      hengkeng.getCell(13).value,
    ]).toEqual([210, null, null]);
    expect(hengkeng.getCell(11).value).toBe('2021年8月');
    expect(hengkeng.getCell(14).value).toBe(1330);
    expect(rowOf('淳溪小学').getCell(13).value).toBe(0);
    expect(hengkeng.getCell(15).value).toBeNull();
    // the sign-off lines end the sheet
    const tail: string[] = [];
    for (let r = ws.rowCount - 2; r <= ws.rowCount; r++)
      ws.getRow(r).eachCell((c) => tail.push(String(c.value)));
    expect(tail.join(' ')).toMatch(/填表人：.*审核人：.*单位负责人：.*填报日期：/);
  });

  // seen in LibreOffice's PDF (scripts/report-pdf.sh): 连南瑶族自治县 printed over the row below,
  // 特殊教 / 育 and 序时进度（按项目 / 数） broken inside a word, a heading squeezed into one cell
  it('keeps words and names whole in print: rows grow, headers fit their columns, 地区 fits its name', async () => {
    const units = (t: string) =>
      [...t].reduce((n, ch) => n + (ch.charCodeAt(0) >= 0x2e80 ? 2 : 1), 0);
    const colNumber = (ref: string) =>
      [...ref.replace(/\d+/g, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    for (const [i, ws] of wb.worksheets.entries()) {
      // a row whose text wraps grows to hold it: no custom default row height
      const xml = await zip.file(`xl/worksheets/sheet${i + 1}.xml`)!.async('string');
      expect({ sheet: ws.name, format: /<sheetFormatPr[^>]*>/.exec(xml)![0] }).not.toMatchObject({
        format: expect.stringContaining('customHeight="1"'),
      });
      const spans = new Map<string, number>();
      for (const m of (ws.model as unknown as { merges: string[] }).merges) {
        const [a, b] = m.split(':');
        let w = 0;
        for (let c = colNumber(a); c <= colNumber(b); c++) w += ws.getColumn(c).width ?? 8.43;
        spans.set(a, w);
      }
      // every header cell (the header fill): each of its lines fits its column or merged span
      ws.eachRow((row, r) => {
        if (r < 3) return;
        row.eachCell((c, col) => {
          const fill = c.fill as ExcelJS.FillPattern | undefined;
          if (fill?.fgColor?.argb !== 'FFDDEBF7' || typeof c.value !== 'string') return;
          if (c.master.address !== c.address) return; // a merged range is read at its first cell
          const width = spans.get(c.address) ?? ws.getColumn(col).width ?? 8.43;
          for (const line of c.value.split('\n'))
            expect({ sheet: ws.name, line, fits: units(line) <= width }).toEqual({
              sheet: ws.name,
              line,
              fits: true,
            });
        });
      });
      const region = [3, 4].flatMap((r) => {
        const found: number[] = [];
        ws.getRow(r).eachCell((c, col) => c.value === '地区' && found.push(col));
        return found;
      });
      for (const col of region)
        expect({
          sheet: ws.name,
          width: ws.getColumn(col).width! >= units('连南瑶族自治县'),
        }).toEqual({
          sheet: ws.name,
          width: true,
        });
    }
    // headings inside a sheet print on one line over the empty cells beside them
    for (const [sheet, text] of [
      ['本月变动', '录入更正（本月录入的修改，来自操作日志）'],
      ['里程碑', '未排期的里程碑（无计划时间，未完成）'],
    ]) {
      const ws = wb.getWorksheet(sheet)!;
      let cell: ExcelJS.Cell | undefined;
      ws.eachRow((row) => {
        if (row.getCell(1).value === text) cell = row.getCell(1);
      });
      expect({ sheet, found: !!cell, wraps: cell?.alignment?.wrapText ?? false }).toEqual({
        sheet,
        found: true,
        wraps: false,
      });
    }
  });

  it('gives every formula its cached result, zeros included', async () => {
    const sheets = Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f));
    let formulas = 0;
    for (const f of sheets) {
      const xml = await zip.file(f)!.async('string');
      for (const cell of xml.match(/<c [^>]*>.*?<\/c>/g) ?? []) {
        if (!cell.includes('<f>')) continue;
        formulas++;
        expect({ f, cell, cached: /<v>[^<]+<\/v>/.test(cell) }).toMatchObject({ cached: true });
      }
    }
    expect(formulas).toBeGreaterThan(10);
  });

  it('shows 逾期天数 only for what is late and 剩余天数 for what is due soon', () => {
    const ws = wb.getWorksheet('逾期预警')!;
    const header = ws.getRow(3).values as unknown[];
    const late = header.indexOf('逾期天数');
    const left = header.indexOf('剩余天数');
    expect(late).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
    let rows = 0;
    ws.eachRow((row, n) => {
      if (n <= 3 || typeof row.getCell(1).value !== 'number') return;
      rows++;
      const a = row.getCell(late).value as number | null;
      const b = row.getCell(left).value as number | null;
      expect(a === null || a > 0).toBe(true);
      expect(b === null || b >= 0).toBe(true);
      expect((a === null) !== (b === null)).toBe(true);
    });
    expect(rows).toBeGreaterThan(0);
  });

  it('lists in 里程碑 only scheduled or done milestones, and counts the unscheduled per project', () => {
    const ws = wb.getWorksheet('里程碑')!;
    const header = ws.getRow(3).values as unknown[];
    const state = header.indexOf('状态');
    ws.eachRow((row, n) => {
      if (n > 3) expect(row.getCell(state).value).not.toBe('未排期');
    });
    const counts = wb.getWorksheet('里程碑')!;
    let unscheduled = 0;
    counts.eachRow((row) =>
      row.eachCell((c) => {
        if (/未排期里程碑 \d+ 个/.test(String(c.value))) unscheduled++;
      }),
    );
    expect(unscheduled).toBeGreaterThan(0);
  });

  it('shows the plan-stated shortfall beside what the data explains (13104.53 = 4166.53 + 8938.00)', () => {
    const ws = wb.getWorksheet('汇总')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const at = rows.findIndex((r) => r[0] === '规划所列资金缺口（连南瑶族自治县）');
    expect(at).toBeGreaterThan(0);
    // the same words and sign as 资金管理's check: 差额 = 台账 − 规划
    expect(rows[at].slice(1).map((c) => String(c).replace(/\n/g, ''))).toEqual([
      '规划所列',
      '台账测算',
      '差额（台账－规划）',
    ]);
    // the data explains only 三江镇中心幼儿园, under construction: 4000 − 302.01 committed
    expect(rows[at + 1]).toEqual(['已竣工及在建项目缺口合计', 13104.53, 3697.99, -9406.54]);
    expect(rows[at + 2]).toEqual(['其中：已竣工', 4166.53, 0, -4166.53]);
    expect(rows[at + 3]).toEqual(['其中：在建', 8938, 3697.99, -5240.01]);
    expect(String(rows[at + 4][0])).toMatch(
      /所列：13,104\.53 = 4,166\.53 已竣工 \+ 8,938\.00 在建；台账测算：3,697\.99 = 0\.00 已竣工 \+ 3,697\.99 在建$/,
    );
  });

  it('lists in 本月变动 what happened in the month by its own date, in words', () => {
    const ws = wb.getWorksheet('本月变动')!;
    const rows: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 3)
        rows.push(
          (row.values as unknown[])
            .slice(1)
            .map((v) => String(v ?? ''))
            .join('|'),
        );
    });
    const end = rows.indexOf('录入更正（本月录入的修改，来自操作日志）');
    expect(rows.slice(0, end)).toEqual([
      '连南瑶族自治县|三江镇中心幼儿园|2026-11-05|状态变更|谋划储备 → 在建',
      '连南瑶族自治县|三江镇中心幼儿园|2026-11-05|进度填报|状态 在建，形象进度 30%，累计完成投资 500.00 万元',
      '连南瑶族自治县|三江镇中心幼儿园|2026-11-10|资金落实|中央预算内 302.01 万元',
      '连南瑶族自治县|三江镇中心幼儿园|2026-11-20|支付|某建设工程有限公司 80.50 万元',
      '连南瑶族自治县|三江镇中心幼儿园|2026-11-25|资金到位|中央预算内 100.00 万元',
    ]);
    // all of it was typed in December (the clock's 2026-12-02): nothing typed in November
    // (the sheet's legend follows: 图例：浅蓝底纹：表头)
    expect(rows.slice(end + 2).filter((r) => !r.includes('图例：'))).toEqual(['本月无录入']);
  });

  it('lists what was typed in the month apart (录入更正), in words, from the audit log', async () => {
    const got = await download(t.http(), `/api/reports/monthly?month=2026-12&regionId=${liannan}`);
    const dec = new ExcelJS.Workbook();
    await dec.xlsx.load(got.body as never);
    const rows: string[] = [];
    dec.getWorksheet('本月变动')!.eachRow((row, n) => {
      if (n > 3)
        rows.push(
          (row.values as unknown[])
            .slice(1)
            .map((v) => String(v ?? ''))
            .join('|'),
        );
    });
    const typed = rows.slice(rows.indexOf('录入更正（本月录入的修改，来自操作日志）') + 2);
    expect(typed.length).toBeGreaterThanOrEqual(3);
    for (const r of typed) expect(r).not.toMatch(/[{}"]|status:|progressPercent|committedWan/);
    expect(typed.join('\n')).toMatch(/三江镇中心幼儿园\|admin\|.*\|.*形象进度：（空） → 30%/);
    expect(typed.join('\n')).toMatch(/已落实：（空） → 302\.01万元/);
  });

  it('says 本月无变动 for a month without dated changes', async () => {
    const got = await download(t.http(), `/api/reports/monthly?month=2026-09&regionId=${liannan}`);
    const quiet = new ExcelJS.Workbook();
    await quiet.xlsx.load(got.body as never);
    expect(quiet.getWorksheet('本月变动')!.getCell('A4').value).toBe('本月无变动');
  });

  it('sends an RFC 6266 file name: Chinese as filename*, an ASCII fallback', () => {
    expect(name).toMatch(
      /^attachment; filename="monthly-report[\x20-\x7e]*\.xlsx"; filename\*=UTF-8''/,
    );
    const encoded = /filename\*=UTF-8''(.+)$/.exec(name)![1];
    expect(decodeURIComponent(encoded)).toBe('连南瑶族自治县学校建设项目月度进展报表-2026-11.xlsx');
  });
});
