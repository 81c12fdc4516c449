import ExcelJS from 'exceljs';
import * as path from 'node:path';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { createTestApp, regionIds, TestApp } from '../support/app';

const fixture = (dir: 'ok' | 'not-ok', name: string) =>
  path.join(__dirname, '..', 'fixtures', 'import', dir, name);

describe('plan-table import and export', () => {
  let t: TestApp;
  let liannan: number;
  let lechang: number;
  let yuancheng: number;
  /** 连南's 14 projects as seeded: read before any test runs, since the export test edits one */
  let seeded: Record<string, unknown>[];

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    lechang = regions['乐昌市'];
    yuancheng = regions['源城区'];
    seeded = (await t.http().get(`/api/projects?regionId=${liannan}&pageSize=100`).expect(200)).body
      .items;
  });
  afterAll(() => t.close());

  const upload = (file: string, regionId: number, dryRun = false) =>
    t
      .http()
      .post('/api/imports/projects')
      .attach('file', file)
      .field('regionId', String(regionId))
      .field('dryRun', String(dryRun));

  const comparable = (p: Record<string, unknown>) => {
    const {
      id: _i,
      regionId: _r,
      source: _s,
      createdAt: _c,
      updatedAt: _u,
      planId: _p,
      alertLevel: _l,
      warnings,
      ...rest
    } = p;
    return { ...rest, warnings: (warnings as { code: string }[]).map((w) => w.code) };
  };

  it('imports the reference table into an empty region (the 14 projects of the seed, its warnings), then updates the same projects when a figure changes, and previews without writing', async () => {
    // other tests of this file import into other counties: count this one's audit rows alone
    const importAudits = () =>
      t.db.read.getRepository(AuditLog).countBy({ action: 'import', entity: 'project' });
    const auditsBefore = await importAudits();
    const r = await upload(fixture('ok', 'liannan-reference.xlsx'), lechang).expect(201);
    expect(r.body).toMatchObject({ created: 14, updated: 0, unchanged: 0, invalid: 0, errors: [] });
    expect(
      r.body.warnings.map((w: { row: number; column: string; code: string; message: string }) => [
        w.row,
        w.column,
        w.code,
        w.message,
      ]),
    ).toEqual([
      [
        13,
        'C',
        'SUBTOTAL_MISMATCH',
        '工作表“学位建设规划表”第13行C列（小计）：小计210与各学段之和201不一致（按各学段导入，保留印刷小计）',
      ],
      [
        18,
        'C',
        'TOTAL_MISMATCH',
        '工作表“学位建设规划表”第18行C列（小计）：合计行小计6945与各行合计6936不一致（合计行不导入）',
      ],
    ]);
    const imported = (
      await t.http().get(`/api/projects?regionId=${lechang}&pageSize=100`).expect(200)
    ).body.items;
    expect(imported.map(comparable)).toEqual(seeded.map(comparable));
    // the import brought the new projects' alerts up to date (all 14 overdue: red); the seeded
    // ones have had no scan yet
    expect(imported.map((p: { alertLevel: string | null }) => p.alertLevel)).toEqual(
      Array(14).fill('red'),
    );
    expect(seeded.map((p) => p.alertLevel)).toEqual(Array(14).fill(null));
    const xp = imported.find((p: { name: string }) => p.name === '香坪镇中心幼儿园');
    expect(xp.source).toMatchObject({
      type: 'import',
      document: 'liannan-reference.xlsx',
      sheet: '学位建设规划表',
      row: 13,
    });
    expect(xp.warnings.map((w: { code: string }) => w.code)).toEqual([
      'SUBTOTAL_MISMATCH',
      'COMPLETION_BEFORE_PLAN_YEAR',
    ]);
    expect((await importAudits()) - auditsBefore).toBe(14);

    // importing it again changes nothing
    const again = await upload(fixture('ok', 'liannan-reference.xlsx'), lechang).expect(201);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 14 });
    expect((await importAudits()) - auditsBefore).toBe(14);
    expect(
      (
        await t.http().get(`/api/projects?regionId=${lechang}&pageSize=100`).expect(200)
      ).body.items.map((p: { version: number }) => p.version),
    ).toEqual(Array(14).fill(1));
    // then the same table with two figures changed: the same projects are updated (one narrative,
    // so that it passes in any test order)
    const buf = await (async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(fixture('ok', 'liannan-reference.xlsx'));
      wb.worksheets[0].getCell('K4').value = 1400.5; // 三排镇横坑幼儿园's budget
      wb.worksheets[0].getCell('H5').value = '2021年9月'; // 大坪镇中心幼儿园's completion
      return Buffer.from(await wb.xlsx.writeBuffer());
    })();
    const preview = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', buf, '修订.xlsx')
      .field('regionId', String(lechang))
      .field('dryRun', 'true')
      .expect(200);
    expect(preview.body).toMatchObject({ dryRun: true, created: 0, updated: 2, unchanged: 12 });
    expect(
      preview.body.rows
        .filter((r: { action: string }) => r.action === 'update')
        .map((r: { name: string; changes: object }) => [r.name, r.changes]),
    ).toEqual([
      ['三排镇横坑幼儿园', { budgetWan: { old: '1330.00', new: '1400.50' } }],
      [
        '大坪镇中心幼儿园',
        {
          plannedCompletion: { old: '2021-08', new: '2021-09' },
          plannedCompletionDue: { old: '2021-08-31', new: '2021-09-30' },
        },
      ],
    ]);
    expect(
      (await t.http().get(`/api/projects?regionId=${lechang}&q=三排镇横坑`).expect(200)).body
        .items[0].budgetWan,
    ).toBe('1330.00');
    // an infrastructure user may import project data but not change a budget
    const infra = await t.as('infrastructure', lechang);
    const refused = await infra
      .post('/api/imports/projects')
      .attach('file', buf, '修订.xlsx')
      .field('regionId', String(lechang))
      .expect(400);
    expect(refused.body.errors.map((e: { message: string }) => e.message)).toEqual([
      '工作表“学位建设规划表”第4行（资金测算）：已有项目的资金测算1,330.00万元改为1,400.50万元，须由计财股或管理员导入',
    ]);
    const done = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', buf, '修订.xlsx')
      .field('regionId', String(lechang))
      .expect(201);
    expect(done.body).toMatchObject({ created: 0, updated: 2, unchanged: 12 });
    const p = (await t.http().get(`/api/projects?regionId=${lechang}&q=三排镇横坑`).expect(200))
      .body.items[0];
    expect(p).toMatchObject({ budgetWan: '1400.50', version: 2 });
    const revs = (await t.http().get(`/api/projects/${p.id}/budget-revisions`).expect(200)).body
      .items;
    expect(revs.map((x: { budgetWan: string }) => x.budgetWan)).toEqual(['1330.00', '1400.50']);
  });

  it('reads one header row anywhere, synonyms, dates and numbers in every shape, and a 合计 row in the 序号 column', async () => {
    const r = await upload(fixture('ok', 'one-header-row-synonyms.xlsx'), yuancheng).expect(201);
    expect(r.body).toMatchObject({ created: 4, errors: [], warnings: [] });
    const items = (
      await t.http().get(`/api/projects?regionId=${yuancheng}&pageSize=100&sort=id`).expect(200)
    ).body.items;
    expect(
      items.map((p: Record<string, unknown>) => [
        p.name,
        p.planYear,
        p.kind,
        (p.seats as { total: number }).total,
        p.plannedCompletion,
        p.floorAreaM2,
        p.landMu,
        p.budgetWan,
      ]),
    ).toEqual([
      ['城东幼儿园（新建）', 2026, 'new_build', 360, '2026-09', '5600.50', '8.25', '3210.123456'],
      ['城西小学（改扩建）', 2026, 'expansion', 900, '2027-08', '12000.00', '0.00', '1000.00'],
      ['第二中学', 2027, null, 1500, '2028-06-30', '30000.25', null, '9876.50'],
      ['城北幼儿园', 2027, null, 270, '2027-12', '3000.00', '4.50', '1500.00'],
    ]);
  });

  it('reads a filled-in template with whole-column validations and shared strings stored last', async () => {
    const region = (await t.http().get('/api/regions').expect(200)).body.find(
      (x: { name: string }) => x.name === '龙川县',
    ).id;
    const r = await upload(
      fixture('ok', 'template-validations-shared-strings-last.xlsx'),
      region,
    ).expect(201);
    expect(r.body).toMatchObject({ created: 2, errors: [] });
    const items = (await t.http().get(`/api/projects?regionId=${region}&sort=id`).expect(200)).body
      .items;
    expect(
      items.map((p: { name: string; planYear: number; budgetWan: string }) => [
        p.name,
        p.planYear,
        p.budgetWan,
      ]),
    ).toEqual([
      ['南山幼儿园', 2026, '1200.00'],
      ['北山小学', 2026, '2600.50'],
    ]);
  });

  it('reports every bad cell by row and column and imports nothing', async () => {
    const before = (await t.http().get('/api/projects?pageSize=1').expect(200)).body.total;
    const r = await upload(fixture('not-ok', 'broken-rows.xlsx'), yuancheng).expect(400);
    expect(r.body.code).toBe('IMPORT_INVALID');
    expect(r.body.message).toBe('导入文件有错误，未导入任何数据；请按行列提示修改后重新导入');
    expect(
      r.body.errors.map(
        (e: { sheet: string; row: number; column: string; code: string; message: string }) => [
          e.row,
          e.column,
          e.code,
          e.message,
        ],
      ),
    ).toEqual([
      [2, 'B', 'NAME_REQUIRED', '工作表“规划表”第2行B列（学校名称）：学校（项目）名称不能为空'],
      [3, 'D', 'NOT_A_NUMBER', '工作表“规划表”第3行D列（幼儿园）：须为数字，实际为“九十”'],
      [4, 'H', 'BAD_MONTH', '工作表“规划表”第4行H列（计划完成时间）：月份无效（“2026年13月”）'],
      [5, 'K', 'NEGATIVE', '工作表“规划表”第5行K列（资金测算）：不能为负数（-50）'],
      [6, 'J', 'NEGATIVE', '工作表“规划表”第6行J列（用地）：不能为负数（-2）'],
      [7, 'E', 'NOT_INTEGER', '工作表“规划表”第7行E列（小学）：须为整数（45.5）'],
      [
        8,
        'K',
        'TOO_PRECISE',
        '工作表“规划表”第8行K列（资金测算）：金额最多精确到分（6位小数），实际为100.0000001',
      ],
    ]);
    expect(r.body.errors.every((e: { sheet: string }) => e.sheet === '规划表')).toBe(true);
    expect((await t.http().get('/api/projects?pageSize=1').expect(200)).body.total).toBe(before);
    const preview = await upload(fixture('not-ok', 'broken-rows.xlsx'), yuancheng, true).expect(
      200,
    );
    expect(preview.body).toMatchObject({ created: 0, invalid: 7 });
  });

  it.each([
    [
      'money-in-yuan.xlsx',
      400,
      [['UNIT_MONEY', '工作表“Sheet1”第1行E列（资金测算）：金额单位须为万元（表头为“元”）']],
    ],
    [
      'duplicate-rows.xlsx',
      400,
      [['DUPLICATE_ROW', '工作表“规划表”第3行：与第2行是同一项目（重复幼儿园，2026年度）']],
    ],
    [
      'no-table.xlsx',
      400,
      [['IMPORT_NO_TABLE', '未找到规划表：表头须包含“学校名称/项目名称”等列名']],
    ],
  ])('%s is refused with exact messages', async (name, status, expected) => {
    const r = await upload(fixture('not-ok', name), yuancheng).expect(status);
    expect(
      r.body.errors.map((e: { code: string; message: string }) => [e.code, e.message]),
    ).toEqual(expected);
  });

  it('refuses a file that is not a workbook, no file, and a region outside scope', async () => {
    const notXlsx = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', Buffer.from('年度,学校名称\n'), 'x.xlsx')
      .field('regionId', String(yuancheng))
      .expect(400);
    expect(notXlsx.body.code).toBe('IMPORT_NOT_XLSX');
    const none = await t
      .http()
      .post('/api/imports/projects')
      .field('regionId', String(yuancheng))
      .expect(400);
    expect(none.body.code).toBe('IMPORT_NO_FILE');
    const county = await t.as('infrastructure', liannan);
    const outside = await county
      .post('/api/imports/projects')
      .attach('file', fixture('ok', 'liannan-reference.xlsx'))
      .field('regionId', String(lechang))
      .expect(400);
    expect(outside.body.errors[0]).toMatchObject({ path: 'regionId', code: 'REGION_NOT_FOUND' });
    const viewer = await t.as('viewer', liannan);
    await viewer
      .post('/api/imports/projects')
      .attach('file', fixture('ok', 'liannan-reference.xlsx'))
      .field('regionId', String(liannan))
      .expect(403);
  });

  it('answers a refused upload once its body has arrived, so the client reads the 403', async () => {
    // the role guard refuses before anything reads the file; answered mid-upload, a client still
    // writing (superagent in CI) saw "write EPIPE" instead of the 403
    const viewer = await t.as('viewer', liannan);
    const server = t.app.getHttpServer() as http.Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const boundary = 'refused-upload';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="regionId"\r\n\r\n${liannan}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      const file = Buffer.alloc(64 * 1024, 1);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      let answeredAt: 'before the rest' | 'after the rest' | null = null;
      let restSent = false;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/imports/projects',
            headers: {
              authorization: `Bearer ${viewer.token}`,
              'content-type': `multipart/form-data; boundary=${boundary}`,
              'content-length': head.length + file.length + tail.length,
            },
          },
          (res) => {
            answeredAt = restSent ? 'after the rest' : 'before the rest';
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.write(Buffer.concat([head, file.subarray(0, 32 * 1024)]));
        setTimeout(() => {
          restSent = true;
          req.end(Buffer.concat([file.subarray(32 * 1024), tail]));
        }, 400);
      });
      expect(answeredAt).toBe('after the rest');
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).code).toBe('FORBIDDEN');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exports the plan-table layout; an export re-imported changes nothing', async () => {
    await t
      .http()
      .patch(
        `/api/projects/${(await t.http().get(`/api/projects?regionId=${liannan}&q=淳溪`).expect(200)).body.items[0].id}`,
      )
      .send({
        version: 1,
        code: 'LN-2022-04',
        town: '三江镇',
        plannedStart: '2022-03',
        boardingBeds: 120,
        transitionalSeats: true,
      })
      .expect(200);
    const res = await t
      .http()
      .get(`/api/projects/export.xlsx?regionId=${liannan}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    expect([
      ws.getCell('A2').value,
      ws.getCell('B2').value,
      ws.getCell('C2').value,
      ws.getCell('C3').value,
      ws.getCell('G3').value,
      ws.getCell('L2').value,
    ]).toEqual([
      '年度',
      '学校名称',
      '计划新增学位数（个）',
      '小计',
      '高中（中职）',
      '资金测算（万元）',
    ]);
    expect([
      ws.getCell('A4').value,
      ws.getCell('B4').value,
      ws.getCell('C4').value,
      ws.getCell('I4').value,
      ws.getCell('J4').value,
      ws.getCell('K4').value,
      ws.getCell('L4').value,
    ]).toEqual([2021, '三排镇横坑幼儿园', 210, '2021年8月', 1820, null, 1330]);
    expect(ws.getCell('A18').value).toBe('合计');
    expect(ws.getCell('L18').value).toMatchObject({ formula: 'SUM(L4:L17)', result: 62271 });
    expect(ws.getCell('K18').value).toMatchObject({ formula: 'SUM(K4:K17)', result: 197.15 });
    const back = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', res.body as Buffer, 'export.xlsx')
      .field('regionId', String(liannan))
      .expect(201);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: 14 });
    const tpl = await t
      .http()
      .get('/api/imports/template.xlsx')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const twb = new ExcelJS.Workbook();
    await twb.xlsx.load(tpl.body as never);
    expect(twb.worksheets[0].rowCount).toBe(3);
  });

  it('caps the upload size, sheets and rows', async () => {
    const small = await createTestApp({ env: { IMPORT_MAX_BYTES: '7500', IMPORT_MAX_ROWS: '10' } });
    try {
      const big = await small
        .http()
        .post('/api/imports/projects')
        .attach('file', fixture('ok', 'liannan-reference.xlsx'))
        .field('regionId', String(lechang))
        .expect(413);
      expect(big.body.code).toBe('BODY_TOO_LARGE');
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('规划表');
      ws.addRow(['年度', '学校名称', '幼儿园', '资金测算（万元）']);
      for (let i = 0; i < 12; i++) ws.addRow([2026, `幼儿园${i}`, 90, 100]);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      const rows = await small
        .http()
        .post('/api/imports/projects')
        .attach('file', buf, 'many.xlsx')
        .field('regionId', String(lechang))
        .expect(400);
      expect(rows.body).toMatchObject({
        code: 'IMPORT_TOO_LARGE',
        errors: [
          {
            path: 'file',
            code: 'IMPORT_TOO_LARGE',
            message: '导入文件超出限制：工作表“规划表”超过10行',
          },
        ],
      });
    } finally {
      await small.close();
    }
  });

  it('runs a large import as a job with a status URL', async () => {
    const big = await createTestApp({ env: { IMPORT_SYNC_MAX_BYTES: '1024' } });
    try {
      const r = await big
        .http()
        .post('/api/imports/projects')
        .attach('file', fixture('ok', 'liannan-reference.xlsx'))
        .field('regionId', String(lechang))
        .expect(202);
      expect(r.body).toEqual({
        jobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        statusUrl: `/api/jobs/${r.body.jobId}`,
        status: 'queued',
      });
      await big.app.get(JobsService).settle();
      const job = (await big.http().get(r.body.statusUrl).expect(200)).body;
      expect(job).toMatchObject({
        kind: 'project_import',
        status: 'done',
        percent: 100,
        result: { created: 14, updated: 0 },
      });
      // another admin of the whole scope sees it; a county admin does not (the job was started province-wide)
      const other = await big.as('admin', null);
      expect((await other.get(r.body.statusUrl)).status).toBe(200);
      await (await big.as('admin', lechang)).get(r.body.statusUrl).expect(404);
      const infra = await big.as('infrastructure', lechang);
      await infra.get(r.body.statusUrl).expect(404);
    } finally {
      await big.close();
    }
  });
});
