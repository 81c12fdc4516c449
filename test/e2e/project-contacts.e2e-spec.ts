import ExcelJS from 'exceljs';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Agent, createTestApp, downloadXlsx, regionIds, TestApp } from '../support/app';

/** The row's cells as text, blanks as ''. */
function rowText(ws: ExcelJS.Worksheet, n: number): string[] {
  const out: string[] = [];
  ws.getRow(n).eachCell({ includeEmpty: true }, (c) => out.push(String(c.value ?? '')));
  return out;
}

function findRow(ws: ExcelJS.Worksheet, test: (cells: string[]) => boolean): number {
  for (let n = 1; n <= ws.rowCount; n++) if (test(rowText(ws, n))) return n;
  return -1;
}

/**
 * Issue 30, point 6: 建设单位, 施工单位, 项目负责人, 联系电话 on projects; 姓名 and 手机号 on users
 * and wherever a person is named; 归档 / 取消归档 with a reason; 未分类; the admin's own 停用.
 */
describe('project contacts, people by name, archive with a reason', () => {
  let t: TestApp;
  let county: number;
  let zhang: Agent;
  let projectId: number;
  let month: string;
  let today: string;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    county = regions['连南瑶族自治县'];
    const local = new Date(t.now().getTime() + 8 * 3600_000).toISOString();
    today = local.slice(0, 10);
    month = local.slice(0, 7);
    const created = await t
      .http()
      .post('/api/users')
      .send({
        username: 'zhangsan',
        displayName: '张三',
        phone: '138 0000 1234',
        password: 'User-Pass-123',
        role: 'infrastructure',
        regionId: county,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      username: 'zhangsan',
      displayName: '张三',
      phone: '138 0000 1234',
    });
    zhang = t.withToken(await t.login('zhangsan', 'User-Pass-123'));
  });
  afterAll(() => t.close());

  it('refuses a malformed phone and over-long names, field by field, in Chinese', async () => {
    const r = await zhang
      .post('/api/projects')
      .send({
        name: '联系人校验项目',
        regionId: county,
        phone: '0763-66A1234',
        builder: '建'.repeat(101),
      })
      .expect(400);
    const byPath = Object.fromEntries(
      (r.body.errors as { path: string; message: string }[]).map((e) => [e.path, e.message]),
    );
    expect(byPath).toEqual({
      phone: '电话号码只能包含数字、“-”和空格，共7–20位',
      builder: '文本过长',
    });
    const short = await zhang
      .post('/api/projects')
      .send({ name: '联系人校验项目', regionId: county, phone: '12-34' })
      .expect(400);
    expect(short.body.errors[0]).toMatchObject({ path: 'phone', code: 'PHONE_INVALID' });
  });

  /** keeps the four fields, audits them and finds the project by any of them */
  const keepsFields = async (): Promise<void> => {
    const created = await zhang
      .post('/api/projects')
      .send({
        name: '寨南小学综合楼',
        regionId: county,
        planYear: 2026,
        plannedStart: '2026-03',
        plannedCompletion: '2027-08',
        builder: '连南县教育局',
        contractor: '清远建工集团',
        manager: '李四',
        phone: '0763-6621234',
      })
      .expect(201);
    projectId = created.body.id;
    expect(created.body).toMatchObject({
      builder: '连南县教育局',
      contractor: '清远建工集团',
      manager: '李四',
      phone: '0763-6621234',
      plannedStart: '2026-03',
    });
    const changed = await zhang
      .patch(`/api/projects/${projectId}`)
      .send({ version: created.body.version, contractor: '韶关市政公司', phone: null })
      .expect(200);
    expect(changed.body).toMatchObject({ contractor: '韶关市政公司', phone: null });
    const audit = await t.db.read
      .getRepository(AuditLog)
      .find({ where: { entity: 'project', entityId: projectId }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[0].changes).toMatchObject({
      builder: { old: null, new: '连南县教育局' },
      phone: { old: null, new: '0763-6621234' },
    });
    expect(audit[1].changes).toEqual({
      contractor: { old: '清远建工集团', new: '韶关市政公司' },
      phone: { old: '0763-6621234', new: null },
    });
    expect(audit[1].actorName).toBe('zhangsan');
    for (const q of ['县教育局', '韶关市政', '李四']) {
      const r = await t
        .http()
        .get(`/api/projects?q=${encodeURIComponent(q)}`)
        .expect(200);
      expect([q, r.body.items.map((p: { name: string }) => p.name)]).toEqual([
        q,
        ['寨南小学综合楼'],
      ]);
    }
    await zhang
      .patch(`/api/projects/${projectId}`)
      .send({ version: changed.body.version, phone: '0763 662 1234' })
      .expect(200);
    const byPhone = await t.http().get('/api/projects?q=662%201234').expect(200);
    expect(byPhone.body.items.map((p: { id: number }) => p.id)).toEqual([projectId]);
  };

  /** exports the four fields after the plan columns and reads its own export back */
  const exportsFields = async (): Promise<void> => {
    const { wb, raw } = await downloadXlsx(
      t.http(),
      `/api/projects/export.xlsx?regionId=${county}`,
    );
    const ws = wb.worksheets[0];
    expect(['R2', 'S2', 'T2', 'U2', 'V2'].map((a) => ws.getCell(a).value)).toEqual([
      '寄宿床位',
      '建设单位',
      '施工单位',
      '项目负责人',
      '联系电话',
    ]);
    const row = findRow(ws, (c) => c[1] === '寨南小学综合楼');
    expect(['P', 'S', 'T', 'U', 'V'].map((c) => ws.getCell(`${c}${row}`).value)).toEqual([
      '2026年3月',
      '连南县教育局',
      '韶关市政公司',
      '李四',
      '0763 662 1234',
    ]);
    const back = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', raw, 'export.xlsx')
      .field('regionId', String(county))
      .expect(201);
    expect(back.body).toMatchObject({ created: 0, updated: 0, unchanged: 15 });
    // a contractor changed in the sheet is taken, the other fields stay
    ws.getCell(`T${row}`).value = '连南县第二建筑公司';
    const edited = Buffer.from(await wb.xlsx.writeBuffer());
    const again = await t
      .http()
      .post('/api/imports/projects')
      .attach('file', edited, 'export.xlsx')
      .field('regionId', String(county))
      .expect(201);
    expect(again.body).toMatchObject({ created: 0, updated: 1, unchanged: 14 });
    const p = (await t.http().get(`/api/projects/${projectId}`).expect(200)).body;
    expect(p).toMatchObject({
      builder: '连南县教育局',
      contractor: '连南县第二建筑公司',
      manager: '李四',
      phone: '0763 662 1234',
    });
  };

  /** prints the four fields on 项目联系人, the sheet after 项目明细 (one page width at 9 pt each) */
  const printsFields = async (): Promise<void> => {
    const { wb } = await downloadXlsx(
      t.http(),
      `/api/reports/monthly?month=${month}&regionId=${county}`,
    );
    const names = wb.worksheets.map((w) => w.name);
    expect(names.indexOf('项目联系人')).toBe(names.indexOf('项目明细') + 1);
    const ws = wb.getWorksheet('项目联系人')!;
    const head = findRow(ws, (c) => c.includes('学校名称') && c.includes('建设单位'));
    const headers = rowText(ws, head);
    expect(headers.slice(headers.indexOf('学校名称'))).toEqual([
      '学校名称',
      '建设单位',
      '施工单位',
      '项目负责人',
      '联系电话',
    ]);
    const row = rowText(
      ws,
      findRow(ws, (c) => c.includes('寨南小学综合楼')),
    );
    expect(row.slice(headers.indexOf('建设单位'), headers.indexOf('联系电话') + 1)).toEqual([
      '连南县教育局',
      '连南县第二建筑公司',
      '李四',
      '0763 662 1234',
    ]);
  };

  /** names a person 姓名（用户名） in progress history, 审计日志 and 本月变动 */
  const namesPeople = async (): Promise<void> => {
    await zhang
      .post(`/api/projects/${projectId}/progress`)
      .send({ reportedOn: today, status: 'preparing', progressPercent: 0, note: '立项' })
      .expect(201);
    const history = (await t.http().get(`/api/projects/${projectId}/progress`).expect(200)).body;
    expect(history.items[0]).toMatchObject({
      reportedBy: 'zhangsan',
      reportedByDisplayName: '张三',
    });
    const audit = (await t.http().get('/api/audit?username=zhangsan&pageSize=50').expect(200)).body;
    expect(audit.items.length).toBeGreaterThan(2);
    expect(
      new Set(audit.items.map((a: { actorDisplayName: string | null }) => a.actorDisplayName)),
    ).toEqual(new Set(['张三']));
    const { wb } = await downloadXlsx(
      t.http(),
      `/api/reports/monthly?month=${month}&regionId=${county}`,
    );
    const ws = wb.getWorksheet('本月变动')!;
    const lines: string[] = [];
    ws.eachRow((r) => lines.push(rowText(ws, r.number).join('|')));
    const mine = lines.filter((l) => l.includes('寨南小学综合楼') && l.includes('进度填报项目'));
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) expect(l).toContain('张三（zhangsan）');
    // the admin has no 姓名: the username alone
    expect(lines.some((l) => l.includes('|admin|'))).toBe(true);
  };

  it('finds a project by a contact set after the same search was answered (no stale list)', async () => {
    const created = await zhang
      .post('/api/projects')
      .send({ name: '搜索缓存校验项目', regionId: county })
      .expect(201);
    let version = created.body.version as number;
    const search = async (q: string) =>
      (
        await t
          .http()
          .get(`/api/projects?q=${encodeURIComponent(q)}&regionId=${county}`)
          .expect(200)
      ).body as { total: number; items: { id: number }[] };
    const fields = {
      builder: '缓存建设单位甲',
      contractor: '缓存施工单位乙',
      manager: '缓存负责人丙',
      phone: '0763-5550199',
    };
    for (const [field, value] of Object.entries(fields)) {
      // the search is answered (and kept) before the write, then asked again after it
      expect((await search(value)).total).toBe(0);
      const r = await zhang
        .patch(`/api/projects/${created.body.id}`)
        .send({ version, [field]: value })
        .expect(200);
      version = r.body.version;
      const after = await search(value);
      expect([field, after.total, after.items.map((p) => p.id)]).toEqual([
        field,
        1,
        [created.body.id],
      ]);
    }
    // archived, it leaves the county's 14 reference projects to the other tests (any order)
    await zhang
      .post(`/api/projects/${created.body.id}/archive`)
      .send({ version, reason: '测试项目' })
      .expect(201);
  });

  it('offers 未分类 for projects without a kind', async () => {
    const all = (await t.http().get('/api/projects?pageSize=200').expect(200)).body.items as {
      id: number;
      kind: string | null;
    }[];
    const blank = all.filter((p) => p.kind === null).map((p) => p.id);
    // 12 of the 14 reference projects have no kind (two are named 民族高级中学（修缮改造）)
    expect(all.filter((p) => p.kind === 'renovation').length).toBe(2);
    expect(blank.length).toBeGreaterThanOrEqual(12);
    const none = (await t.http().get('/api/projects?kind=none&pageSize=200').expect(200)).body;
    expect(none.items.map((p: { id: number }) => p.id).sort()).toEqual([...blank].sort());
    const both = (await t.http().get('/api/projects?kind=none,renovation&pageSize=200').expect(200))
      .body;
    expect(both.total).toBe(all.filter((p) => p.kind === null || p.kind === 'renovation').length);
    const totals = (await t.http().get('/api/projects/totals?kind=none').expect(200)).body;
    expect(totals.count).toBe(blank.length);
  });

  /** archives and unarchives with a required reason, both audited */
  const archives = async (): Promise<void> => {
    let p = (await t.http().get(`/api/projects/${projectId}`).expect(200)).body;
    const missing = await zhang
      .post(`/api/projects/${projectId}/archive`)
      .send({ version: p.version })
      .expect(400);
    expect(missing.body.errors[0]).toMatchObject({
      path: 'reason',
      message: '请填写归档或取消归档的原因',
    });
    p = (
      await zhang
        .post(`/api/projects/${projectId}/archive`)
        .send({ version: p.version, reason: '并入寨岗中学项目' })
        .expect(201)
    ).body;
    expect(p.archived).toBe(true);
    const refused = await zhang
      .patch(`/api/projects/${projectId}`)
      .send({ version: p.version, manager: '王五' })
      .expect(400);
    expect(refused.body.message).toBe('项目已归档，不能修改（如需修改，请先取消归档）');
    p = (
      await zhang
        .post(`/api/projects/${projectId}/unarchive`)
        .send({ version: p.version, reason: '项目恢复建设' })
        .expect(201)
    ).body;
    expect(p).toMatchObject({ archived: false, archivedAt: null });
    await zhang
      .post(`/api/projects/${projectId}/unarchive`)
      .send({ version: p.version, reason: '再次' })
      .expect(400);
    const rows = await t.db.read.getRepository(AuditLog).find({
      where: { entity: 'project', entityId: projectId },
      order: { id: 'ASC' },
    });
    const arch = rows.filter((r) => r.action === 'archive' || r.action === 'unarchive');
    expect(arch.map((r) => [r.action, r.changes?.reason?.new])).toEqual([
      ['archive', '并入寨岗中学项目'],
      ['unarchive', '项目恢复建设'],
    ]);
  };

  it('says why an admin cannot disable themself and why a username must be ASCII', async () => {
    const users = (await t.http().get('/api/users').expect(200)).body.items as {
      id: number;
      username: string;
      version: number;
    }[];
    const me = users.find((u) => u.username === 'admin')!;
    const r = await t
      .http()
      .patch(`/api/users/${me.id}`)
      .send({ version: me.version, disabled: true })
      .expect(400);
    expect(r.body.errors).toEqual([
      {
        path: 'disabled',
        code: 'CANNOT_DISABLE_SELF',
        message:
          '不能停用自己的账号：停用后您会立即退出且无法再登录；如确需停用，请由其他管理员操作',
      },
    ]);
    const named = await t
      .http()
      .patch(`/api/users/${me.id}`)
      .send({ version: me.version, displayName: '管理员甲', phone: '13800001111' })
      .expect(200);
    expect(named.body).toMatchObject({ displayName: '管理员甲', phone: '13800001111' });
    // the admin unnamed again: other tests read the admin as the username alone
    const unnamed = await t
      .http()
      .patch(`/api/users/${me.id}`)
      .send({ version: named.body.version, displayName: null, phone: null })
      .expect(200);
    expect(unnamed.body).toMatchObject({ displayName: null, phone: null });
    const bad = await t
      .http()
      .post('/api/users')
      .send({ username: '张科员', password: 'User-Pass-123', role: 'viewer', regionId: county })
      .expect(400);
    expect(bad.body.errors[0]).toMatchObject({
      path: 'username',
      message:
        '用户名只能由字母、数字、下划线、点或减号组成，长度3到50位（中文姓名请填在“姓名”中）',
    });
  });

  // one narrative: each step reads what the earlier ones wrote (the project, its fields, its reports),
  // so they run in this order whatever order jest picks for the file's tests
  it('keeps the four fields, exports, prints and names them, and archives with a reason', async () => {
    await keepsFields(); // keeps the four fields, audits them and finds the project by any of them
    await exportsFields(); // exports the four fields after the plan columns and reads its own export back
    await printsFields(); // prints the four fields on 项目联系人, the sheet after 项目明细 (one page width at 9 pt each)
    await namesPeople(); // names a person 姓名（用户名） in progress history, 审计日志 and 本月变动
    await archives(); // archives and unarchives with a required reason, both audited
  });
});
