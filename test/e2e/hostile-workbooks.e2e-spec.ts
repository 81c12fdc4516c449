import ExcelJS from 'exceljs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Job } from '../../src/jobs/job.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { Project } from '../../src/projects/project.entity';
import { binary, createTestApp, TestApp } from '../support/app';
import { deflateRows, HEADER_ROW, SHEET_HEAD, SHEET_TAIL, workbookParts, zip, hugeCellWorkbook, hugeSharedStringWorkbook, lyingHeaderWorkbook, widePlanTable, xfdNumberedWorkbook, xfdWorkbook } from '../../scripts/bench/hostile-xlsx';

/** Issue "Hostile input", item 1: small files that decompress or expand into gigabytes. */
describe('hostile workbooks are read within bounds', () => {
  let t: TestApp;
  let lechang: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = (await t.http().get('/api/regions').expect(200)).body as { id: number; name: string }[];
    lechang = regions.find((r) => r.name === '乐昌市')!.id;
  });
  afterAll(() => t.close());

  const upload = (buf: Buffer, dryRun: boolean, name = 'hostile.xlsx') =>
    t.http().post('/api/imports/projects').attach('file', buf, name).field('regionId', String(lechang)).field('dryRun', String(dryRun));

  /** The import's answer, waiting for the job when the file was large enough to run as one. */
  const importAndWait = async (buf: Buffer, dryRun: boolean): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await upload(buf, dryRun);
    if (r.status !== 202) return { status: r.status, body: r.body };
    await t.app.get(JobsService).settle();
    const job = (await t.http().get(r.body.statusUrl).expect(200)).body;
    return { status: job.status === 'done' ? (dryRun ? 200 : 201) : job.result.statusCode, body: job.result };
  };

  const counts = async () => ({ projects: await t.db.read.getRepository(Project).count(), jobs: await t.db.read.getRepository(Job).count() });

  it('a 300 MB cell in a few hundred KB is refused before parsing, as a compression bomb', async () => {
    const buf = await hugeCellWorkbook(300 * 1024 * 1024);
    expect(buf.length).toBeLessThan(400 * 1024);
    const before = await counts();
    for (const dryRun of [true, false]) {
      const r = await upload(buf, dryRun).expect(400);
      expect(r.body).toEqual({
        statusCode: 400, code: 'IMPORT_ARCHIVE_REFUSED', message: '工作簿压缩包不符合要求，未读取任何内容',
        errors: [{ path: 'file', code: 'IMPORT_ARCHIVE_REFUSED', message: '工作簿压缩包不符合要求，未读取任何内容：压缩包内单个文件解压后过大（xl/worksheets/sheet1.xml）' }],
      });
    }
    // under the part cap, the ratio gives it away
    const smaller = await upload(await hugeCellWorkbook(100 * 1024 * 1024), false).expect(400);
    expect(smaller.body.errors[0].message).toBe('工作簿压缩包不符合要求，未读取任何内容：压缩比异常（疑似压缩炸弹）（xl/worksheets/sheet1.xml）');
    expect(await counts()).toEqual(before);
    await t.http().get('/api/health').expect(200);
  });

  it('a 400 MB shared string is refused the same way', async () => {
    const r = await upload(await hugeSharedStringWorkbook(400 * 1024 * 1024), true).expect(400);
    expect(r.body.errors[0].message).toBe('工作簿压缩包不符合要求，未读取任何内容：压缩包内单个文件解压后过大（xl/sharedStrings.xml）');
  });

  it('a part that inflates to more than its header declares is refused', async () => {
    const r = await upload(await lyingHeaderWorkbook(1000, 50_000), true).expect(400);
    expect(r.body.errors[0].message).toBe('工作簿压缩包不符合要求，未读取任何内容：压缩包内文件的实际大小与声明不符（xl/worksheets/sheet1.xml）');
  });

  it('rows holding one cell in column XFD build nothing past column 64', async () => {
    const buf = await xfdWorkbook(2_000);
    expect(buf.length).toBeLessThan(20 * 1024);
    const heap = process.memoryUsage().heapUsed;
    const r = await upload(buf, true).expect(200);
    expect(r.body).toMatchObject({ dryRun: true, created: 0, invalid: 0, rows: [], sheets: [{ name: '规划表', imported: true, rows: 0 }] });
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
    // the same rows beyond the ratio cap: refused up front
    const many = await upload(await xfdWorkbook(300_000), true).expect(400);
    expect(many.body.code).toBe('IMPORT_ARCHIVE_REFUSED');
  });

  it('a cell over 2,000 characters is refused, naming the cell; nothing is written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow(['年度', '学校名称', '小学', '资金测算（万元）']);
    ws.addRow([2026, '坪石镇中心小学', 540, 1200]);
    ws.addRow([2026, '长'.repeat(2_001), 540, 1200]);
    const before = await counts();
    const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()), false).expect(400);
    expect(r.body).toMatchObject({
      code: 'IMPORT_INVALID',
      errors: [{ path: '规划表!B3', code: 'CELL_TOO_LONG', sheet: '规划表', row: 3, column: 'B', message: '工作表“规划表”第3行B列：单元格内容超过2000个字符，已停止读取' }],
    });
    expect(await counts()).toEqual(before);
    // exactly 2,000 is a cell like any other (and then a name too long for a project)
    ws.getCell('B3').value = '长'.repeat(2_000);
    const ok = await upload(Buffer.from(await wb.xlsx.writeBuffer()), true).expect(200);
    expect(ok.body.errors.map((e: { code: string; message: string }) => e.message)).toEqual(['工作表“规划表”第3行B列（学校名称）：名称过长（最多200字）']);
  });

  it('text garbled before it reached us (U+FFFD) is refused naming the cell, never imported as a name', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow(['年度', '学校名称', '小学', '资金测算（万元）']);
    ws.addRow([2026, '坪石镇中心小学', 540, 1200]);
    ws.addRow([2026, '乐昌市第\uFFFD中学', 540, 1200]);
    const before = await counts();
    for (const dryRun of [true, false]) {
      const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()), dryRun).expect(400);
      expect(r.body).toMatchObject({
        code: 'IMPORT_INVALID',
        errors: [{ path: '规划表!B3', code: 'GARBLED_TEXT', message: '工作表“规划表”第3行B列：含有乱码字符（\uFFFD），请检查文件编码' }],
      });
    }
    expect(await counts()).toEqual(before);
    await t.http().get('/api/health').expect(200);
  });

  it('not a zip, a truncated zip and an empty file are 400s, never 500s', async () => {
    const good = Buffer.from(await new ExcelJS.Workbook().xlsx.writeBuffer());
    for (const buf of [Buffer.from('PK\u0003\u0004 not really'), good.subarray(0, good.length - 30), Buffer.from('x')]) {
      const r = await upload(buf, true).expect(400);
      expect(['IMPORT_NOT_XLSX', 'IMPORT_ARCHIVE_REFUSED']).toContain(r.body.code);
    }
  });

  it('/api/health answers within 1 s while hostile files are read, and memory stays bounded', async () => {
    // files that pass the archive checks but take the reader a while: tens of MB of XML each
    const files = [await xfdNumberedWorkbook(1_000_000), await hugeCellWorkbook(60 * 1024 * 1024)];
    const wide = await widePlanTable(10_000, 90);
    // a real server socket, so polls and uploads share the event loop as they do in production
    const server = t.app.getHttpServer() as http.Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const latencies: number[] = [];
    let stop = false;
    const poll = (async () => {
      while (!stop) {
        const start = Date.now();
        await new Promise<void>((resolve, reject) => {
          http.get({ host: '127.0.0.1', port, path: '/api/health' }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          }).on('error', reject);
        });
        latencies.push(Date.now() - start);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const rssBefore = process.memoryUsage().rss;
    try {
      const xfd = await importAndWait(files[0], true);
      expect(xfd).toMatchObject({ status: 200, body: { created: 0, rows: [] } });
      const cell = await upload(files[1], true).expect(400);
      expect(cell.body.code).toBe('IMPORT_ARCHIVE_REFUSED');
      const r = await importAndWait(wide, true);
      expect(r).toMatchObject({ status: 200, body: { created: 10_000, invalid: 0 } });
    } finally {
      stop = true;
      await poll;
      clearInterval(sampler);
    }
    if (process.env.SHOW_LATENCY) console.log(`max latency ${Math.max(...latencies)} ms, rss +${Math.round((peak - rssBefore) / 1048576)} MB, ${latencies.length} polls`);
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(peak - rssBefore).toBeLessThan(300 * 1024 * 1024);
  });

  it('export → re-import of 10,000 projects with Chinese names: 10,000 unchanged, 0 created', async () => {
    const chars = [...'连南瑶族自治县寨岗镇中心幼儿园三排横坑大坪香坪民族高级中学初小特殊教育𠀋学校'];
    const name = (i: number) => `${chars[i % chars.length]}${chars[(i * 7) % chars.length]}${chars[(i * 13) % chars.length]}学校${i}`;
    const table = zip(await workbookParts(await deflateRows('xl/worksheets/sheet1.xml', SHEET_HEAD + HEADER_ROW,
      (i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>2026</v></c><c r="B${i + 2}" t="inlineStr"><is><t>${name(i)}</t></is></c><c r="C${i + 2}"><v>${i % 900}</v></c><c r="D${i + 2}"><v>${i}.25</v></c></row>`,
      10_000, SHEET_TAIL)));
    const first = await importAndWait(table, false);
    expect(first).toMatchObject({ status: 201, body: { created: 10_000, invalid: 0 } });
    const names = (await t.db.read.getRepository(Project).find({ where: { regionId: lechang }, order: { id: 'ASC' } })).map((p) => p.name);
    expect(names).toEqual(Array.from({ length: 10_000 }, (_, i) => name(i)));
    const exported = await t.http().get(`/api/projects/export.xlsx?regionId=${lechang}`).buffer(true).parse(binary).expect(200);
    const again = await importAndWait(exported.body as Buffer, false);
    expect(again).toMatchObject({ status: 201, body: { created: 0, updated: 0, unchanged: 10_000, invalid: 0 } });
    expect(await t.db.read.getRepository(Project).countBy({ regionId: lechang })).toBe(10_000);
  });

  it('a job never stores a huge result', async () => {
    await t.app.get(JobsService).settle();
    const big = await t.db.read.getRepository(Job).createQueryBuilder('j').select('MAX(LENGTH(j.result))', 'n').getRawOne<{ n: number | null }>();
    expect(Number(big?.n ?? 0)).toBeLessThan(2 * 1024 * 1024);
  });
});
