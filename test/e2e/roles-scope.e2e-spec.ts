import ExcelJS from 'exceljs';
import { Action, can, PERMISSIONS, Role, ROLES, rolesFor } from '../../src/common/permissions';
import { Agent, createTestApp, regionIds, TestApp } from '../support/app';

async function oneRowTable(name: string, withBudget = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('规划表');
  ws.addRow([
    '年度',
    '学校名称',
    '幼儿园',
    '计划完成时间',
    ...(withBudget ? ['资金测算（万元）'] : []),
  ]);
  ws.addRow([2026, name, 90, '2026年12月', ...(withBudget ? [100] : [])]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Row counts and the target rows, to prove a refused write changed nothing. */
async function snapshot(t: TestApp, projectId: number, userId: number) {
  const q = async (sql: string) => JSON.stringify(await t.db.read.query(sql));
  return [
    await q('SELECT COUNT(*) AS n FROM project'),
    await q('SELECT COUNT(*) AS n FROM milestone'),
    await q('SELECT COUNT(*) AS n FROM progress_report'),
    await q('SELECT COUNT(*) AS n FROM audit_log'),
    await q('SELECT COUNT(*) AS n FROM "user"'),
    await q(`SELECT * FROM project WHERE id = ${projectId}`),
    await q(`SELECT * FROM milestone WHERE project_id = ${projectId} ORDER BY id`),
    await q(
      `SELECT id, username, role, region_id, disabled, version, password_hash FROM "user" WHERE id = ${userId}`,
    ),
    await q(`SELECT * FROM funding_line WHERE project_id = ${projectId} ORDER BY id`),
    await q(`SELECT * FROM payment WHERE project_id = ${projectId} ORDER BY id`),
    await q(`SELECT * FROM budget_revision WHERE project_id = ${projectId} ORDER BY id`),
    await q('SELECT id, state, severity, days_overdue, version FROM alert ORDER BY id'),
    await q('SELECT COUNT(*) AS n FROM scan_run'),
    await q('SELECT COUNT(*) AS n FROM plan'),
    await q('SELECT id, name, note, version FROM plan ORDER BY id'),
  ].join('\n');
}

describe('who may do what', () => {
  let t: TestApp;
  let liannan: number;
  let lechang: number;
  let qingyuan: number;
  const agents = {} as Record<Role, Agent & { userId: number }>;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    liannan = regions['连南瑶族自治县'];
    lechang = regions['乐昌市'];
    qingyuan = regions['清远市'];
    for (const role of ROLES) agents[role] = await t.as(role, liannan);
  });
  afterAll(() => t.close());

  /** A fresh project (as admin) per case, so each write starts from the same state. */
  async function freshProject() {
    const p = (
      await t
        .http()
        .post('/api/projects')
        .send({
          name: `矩阵项目-${Math.random()}`,
          regionId: liannan,
          budgetWan: '100',
          plannedCompletion: '2020-01',
        })
        .expect(201)
    ).body;
    const ms = (await t.http().get(`/api/projects/${p.id}/milestones`).expect(200)).body.items;
    const u = (
      await t
        .http()
        .post('/api/users')
        .send({
          username: `target${Math.floor(Math.random() * 1e9)}`,
          password: 'Target-Pass-1',
          role: 'viewer',
          regionId: liannan,
        })
        .expect(201)
    ).body;
    const line = (
      await t
        .http()
        .post(`/api/projects/${p.id}/funding`)
        .send({ source: 'county_budget', committedWan: '50', committedOn: '2025-01-01' })
        .expect(201)
    ).body;
    const pay = (
      await t
        .http()
        .post(`/api/projects/${p.id}/payments`)
        .send({ paidOn: '2025-02-01', payee: '施工单位', amountWan: '10' })
        .expect(201)
    ).body;
    await t.http().post('/api/alerts/scan?asOf=2026-11-23').expect(200);
    const alert = (
      await t.http().get('/api/alerts?kind=project_overdue&pageSize=200').expect(200)
    ).body.items.find((a: { projectId: number }) => a.projectId === p.id);
    const plan = (
      await t
        .http()
        .post('/api/plans')
        .send({
          name: `矩阵规划-${Math.random()}`,
          regionId: liannan,
          periodStart: 2026,
          periodEnd: 2030,
        })
        .expect(201)
    ).body;
    return { p, m: ms[0], u, line, pay, alert, plan };
  }

  /** `actions`: what the call needs from the permission table (all of them); it says who may. */
  type Case = {
    name: string;
    actions: Action[];
    call: (a: Agent, f: Awaited<ReturnType<typeof freshProject>>) => Promise<{ status: number }>;
  };
  const cases: Case[] = [
    {
      name: 'POST /projects (project data)',
      actions: ['project.create'],
      call: (a) => a.post('/api/projects').send({ name: '新项目', regionId: liannan }),
    },
    {
      name: 'POST /projects (with budget)',
      actions: ['project.create', 'project.edit.budget'],
      call: (a) =>
        a.post('/api/projects').send({ name: '新项目', regionId: liannan, budgetWan: '1' }),
    },
    {
      name: 'PATCH /projects/:id (project data)',
      actions: ['project.edit.data'],
      call: (a, f) =>
        a.patch(`/api/projects/${f.p.id}`).send({ version: f.p.version, town: '三江镇' }),
    },
    {
      name: 'PATCH /projects/:id (budget)',
      actions: ['project.edit.budget'],
      call: (a, f) =>
        a.patch(`/api/projects/${f.p.id}`).send({ version: f.p.version, budgetWan: '120.5' }),
    },
    {
      name: 'PATCH /projects/:id (status)',
      actions: ['project.edit.data'],
      call: (a, f) =>
        a.patch(`/api/projects/${f.p.id}`).send({ version: f.p.version, status: 'preparing' }),
    },
    {
      name: 'POST /projects/:id/archive',
      actions: ['project.archive'],
      call: (a, f) =>
        a
          .post(`/api/projects/${f.p.id}/archive`)
          .send({ version: f.p.version, reason: '项目取消' }),
    },
    {
      name: 'DELETE /projects/:id',
      actions: ['project.archive'],
      call: (a, f) => a.delete(`/api/projects/${f.p.id}`).send({ version: f.p.version }),
    },
    {
      name: 'POST /projects/:id/progress',
      actions: ['progress.file'],
      call: (a, f) =>
        a
          .post(`/api/projects/${f.p.id}/progress`)
          .send({ reportedOn: '2025-01-01', status: 'preparing', progressPercent: 0 }),
    },
    {
      name: 'POST /projects/:id/milestones',
      actions: ['milestone.edit'],
      call: (a, f) =>
        a.post(`/api/projects/${f.p.id}/milestones`).send({ key: 'extra', name: '额外' }),
    },
    {
      name: 'PATCH /projects/:id/milestones/:mid',
      actions: ['milestone.edit'],
      call: (a, f) =>
        a
          .patch(`/api/projects/${f.p.id}/milestones/${f.m.id}`)
          .send({ version: f.m.version, owner: '张三' }),
    },
    {
      name: 'POST /projects/:id/funding',
      actions: ['funding.write'],
      call: (a, f) =>
        a
          .post(`/api/projects/${f.p.id}/funding`)
          .send({ source: 'special_bond', committedWan: '12.5', committedOn: '2025-03-01' }),
    },
    {
      name: 'PATCH /projects/:id/funding/:lineId',
      actions: ['funding.write'],
      call: (a, f) =>
        a
          .patch(`/api/projects/${f.p.id}/funding/${f.line.id}`)
          .send({ version: f.line.version, receivedWan: '5', receivedOn: '2025-03-02' }),
    },
    {
      name: 'DELETE /projects/:id/funding/:lineId',
      actions: ['funding.write'],
      call: (a, f) =>
        a.delete(`/api/projects/${f.p.id}/funding/${f.line.id}`).send({ version: f.line.version }),
    },
    {
      name: 'POST /projects/:id/budget-revisions',
      actions: ['budget.revise'],
      call: (a, f) =>
        a
          .post(`/api/projects/${f.p.id}/budget-revisions`)
          .send({ effectiveOn: '2025-05-01', budgetWan: '130', reason: '调整' }),
    },
    {
      name: 'POST /projects/:id/payments',
      actions: ['funding.write'],
      call: (a, f) =>
        a
          .post(`/api/projects/${f.p.id}/payments`)
          .send({ paidOn: '2025-04-01', payee: '监理单位', amountWan: '1.01' }),
    },
    {
      name: 'PATCH /projects/:id/payments/:paymentId',
      actions: ['funding.write'],
      call: (a, f) =>
        a
          .patch(`/api/projects/${f.p.id}/payments/${f.pay.id}`)
          .send({ version: f.pay.version, amountWan: '11' }),
    },
    {
      name: 'DELETE /projects/:id/payments/:paymentId',
      actions: ['funding.write'],
      call: (a, f) =>
        a.delete(`/api/projects/${f.p.id}/payments/${f.pay.id}`).send({ version: f.pay.version }),
    },
    {
      name: 'POST /alerts/scan',
      actions: ['alert.scan'],
      call: (a) => a.post('/api/alerts/scan?asOf=2026-12-01'),
    },
    {
      name: 'POST /alerts/:id/ack',
      actions: ['alert.ack'],
      call: (a, f) => a.post(`/api/alerts/${f.alert.id}/ack`).send({ note: '已知悉' }),
    },
    {
      name: 'POST /plans',
      actions: ['plan.write'],
      call: (a) =>
        a
          .post('/api/plans')
          .send({ name: '新规划', regionId: liannan, periodStart: 2026, periodEnd: 2030 }),
    },
    {
      name: 'PATCH /plans/:id',
      actions: ['plan.write'],
      call: (a, f) =>
        a.patch(`/api/plans/${f.plan.id}`).send({ version: f.plan.version, note: '修订' }),
    },
    {
      name: 'POST /imports/projects (project data)',
      actions: ['import.run', 'project.create'],
      call: async (a) =>
        a
          .post('/api/imports/projects')
          .attach('file', await oneRowTable(`导入项目-${Math.random()}`), 'x.xlsx')
          .field('regionId', String(liannan)),
    },
    {
      name: 'POST /users',
      actions: ['user.admin'],
      call: (a) =>
        a.post('/api/users').send({
          username: `nu${Math.floor(Math.random() * 1e9)}`,
          password: 'New-User-Pass-1',
          role: 'viewer',
          regionId: liannan,
        }),
    },
    {
      name: 'PATCH /users/:id',
      actions: ['user.admin'],
      call: (a, f) =>
        a.patch(`/api/users/${f.u.id}`).send({ version: f.u.version, role: 'finance' }),
    },
    {
      name: 'POST /users/:id/reset-password',
      actions: ['user.admin'],
      call: (a, f) =>
        a.post(`/api/users/${f.u.id}/reset-password`).send({ password: 'Reset-Pass-99' }),
    },
  ];

  describe.each(cases)('$name', (c) => {
    it.each(ROLES)('as %s', async (role) => {
      const f = await freshProject();
      const before = await snapshot(t, f.p.id, f.u.id);
      const r = await c.call(agents[role], f);
      if (rolesFor(PERMISSIONS, ...c.actions).includes(role)) {
        expect([200, 201]).toContain(r.status);
        expect(await snapshot(t, f.p.id, f.u.id)).not.toEqual(before);
      } else {
        expect(r.status).toBe(403);
        expect((r as unknown as { body: { code: string } }).body.code).toMatch(/^FORBIDDEN/);
        expect(await snapshot(t, f.p.id, f.u.id)).toEqual(before);
      }
    });
  });

  it('lets every role renew its session, change its own password and sign out (and only its own)', async () => {
    for (const role of ROLES) {
      const a = await t.as(role, liannan);
      const renewed = (await a.post('/api/auth/refresh').expect(200)).body.accessToken as string;
      const changed = (
        await t
          .withToken(renewed)
          .post('/api/auth/password')
          .send({ oldPassword: 'User-Pass-123', newPassword: 'Changed-Pass-9' })
          .expect(200)
      ).body.accessToken as string;
      await t.withToken(changed).post('/api/auth/logout').expect(200);
      await t.withToken(changed).get('/api/auth/me').expect(401);
      // the admin's own session is untouched by theirs
      await t.http().get('/api/auth/me').expect(200);
    }
    for (const path of ['/api/auth/refresh', '/api/auth/logout', '/api/auth/password'])
      await t.anon().post(path).send({}).expect(401);
  });

  it('lets every role read', async () => {
    for (const role of ROLES) {
      const a = agents[role];
      await a.get('/api/projects').expect(200);
      await a.get('/api/regions').expect(200);
      await a.get('/api/projects/1/milestones').expect(200);
      await a.get('/api/projects/1/progress').expect(200);
      await a.get('/api/projects/1/history').expect(200);
      await a.get('/api/projects/1/funding').expect(200);
      await a.get('/api/projects/1/payments').expect(200);
      await a.get('/api/projects/1/budget-revisions').expect(200);
      await a.get('/api/funding/summary').expect(200);
      await a.get('/api/alerts').expect(200);
      await a.get('/api/alerts?asOf=2026-11-23').expect(200);
      await a.get('/api/audit').expect(can(PERMISSIONS, role, 'audit.read') ? 200 : 403);
      await a.get('/api/users').expect(can(PERMISSIONS, role, 'user.admin') ? 200 : 403);
    }
  });

  describe('region scope', () => {
    let b: {
      p: { id: number; version: number };
      m: { id: number; version: number };
      uid: number;
      uversion: number;
      line: { id: number; version: number };
      pay: { id: number; version: number };
    };

    beforeAll(async () => {
      const p = (
        await t
          .http()
          .post('/api/projects')
          .send({ name: '乐昌新城中学（新建）', regionId: lechang, budgetWan: '9000' })
          .expect(201)
      ).body;
      const m = (await t.http().get(`/api/projects/${p.id}/milestones`).expect(200)).body.items[0];
      await t
        .http()
        .post(`/api/projects/${p.id}/progress`)
        .send({ reportedOn: '2025-02-01', status: 'preparing', progressPercent: 0 })
        .expect(201);
      const p2 = (await t.http().get(`/api/projects/${p.id}`).expect(200)).body;
      const u = (
        await t
          .http()
          .post('/api/users')
          .send({
            username: 'lechang.viewer',
            password: 'Lechang-Pass-1',
            role: 'viewer',
            regionId: lechang,
          })
          .expect(201)
      ).body;
      const line = (
        await t
          .http()
          .post(`/api/projects/${p.id}/funding`)
          .send({ source: 'special_bond', committedWan: '5000', committedOn: '2025-01-01' })
          .expect(201)
      ).body;
      const pay = (
        await t
          .http()
          .post(`/api/projects/${p.id}/payments`)
          .send({ paidOn: '2025-02-01', payee: '施工单位', amountWan: '100' })
          .expect(201)
      ).body;
      b = {
        p: {
          ...p2,
          version: (await t.http().get(`/api/projects/${p.id}`).expect(200)).body.version,
        },
        m,
        uid: u.id,
        uversion: u.version,
        line,
        pay,
      };
    });

    it('answers every endpoint with county-B ids as 404 for a county-A user, changing nothing', async () => {
      const admin = await t.as('admin', liannan);
      const before = await snapshot(t, b.p.id, b.uid);
      const calls: [Agent, 'get' | 'post' | 'patch' | 'delete', string, object?][] = [];
      for (const a of [admin, agents.infrastructure, agents.finance, agents.viewer]) {
        calls.push(
          [a, 'get', `/api/projects/${b.p.id}`],
          [a, 'get', `/api/projects/${b.p.id}/progress`],
          [a, 'get', `/api/projects/${b.p.id}/milestones`],
          [a, 'get', `/api/projects/${b.p.id}/history`],
          [a, 'get', `/api/regions/${lechang}`],
          [a, 'get', `/api/projects?regionId=${lechang}`],
          [a, 'get', `/api/projects/${b.p.id}/funding`],
          [a, 'get', `/api/projects/${b.p.id}/payments`],
          [a, 'get', `/api/projects/${b.p.id}/budget-revisions`],
          [a, 'get', `/api/funding/summary?regionId=${lechang}`],
        );
      }
      for (const a of [admin, agents.infrastructure]) {
        calls.push(
          [a, 'patch', `/api/projects/${b.p.id}`, { version: b.p.version, town: 'x' }],
          [
            a,
            'post',
            `/api/projects/${b.p.id}/archive`,
            { version: b.p.version, reason: '项目取消' },
          ],
          [a, 'delete', `/api/projects/${b.p.id}`, { version: b.p.version }],
          [
            a,
            'post',
            `/api/projects/${b.p.id}/progress`,
            { reportedOn: '2025-03-01', status: 'under_construction', progressPercent: 5 },
          ],
          [a, 'post', `/api/projects/${b.p.id}/milestones`, { key: 'extra', name: '额外' }],
          [
            a,
            'patch',
            `/api/projects/${b.p.id}/milestones/${b.m.id}`,
            { version: b.m.version, owner: 'x' },
          ],
        );
      }
      for (const a of [admin, agents.finance]) {
        calls.push(
          [a, 'patch', `/api/projects/${b.p.id}`, { version: b.p.version, budgetWan: '1' }],
          [
            a,
            'post',
            `/api/projects/${b.p.id}/funding`,
            { source: 'county_budget', committedWan: '1', committedOn: '2025-01-01' },
          ],
          [
            a,
            'patch',
            `/api/projects/${b.p.id}/funding/${b.line.id}`,
            { version: b.line.version, committedWan: '1' },
          ],
          [
            a,
            'delete',
            `/api/projects/${b.p.id}/funding/${b.line.id}`,
            { version: b.line.version },
          ],
          [
            a,
            'post',
            `/api/projects/${b.p.id}/budget-revisions`,
            { effectiveOn: '2025-01-01', budgetWan: '1', reason: 'x' },
          ],
          [
            a,
            'post',
            `/api/projects/${b.p.id}/payments`,
            { paidOn: '2025-01-01', payee: 'x', amountWan: '1' },
          ],
          [
            a,
            'patch',
            `/api/projects/${b.p.id}/payments/${b.pay.id}`,
            { version: b.pay.version, amountWan: '1' },
          ],
          [a, 'delete', `/api/projects/${b.p.id}/payments/${b.pay.id}`, { version: b.pay.version }],
        );
      }
      calls.push(
        [admin, 'get', `/api/users/${b.uid}`],
        [admin, 'patch', `/api/users/${b.uid}`, { version: b.uversion, disabled: true }],
        [admin, 'post', `/api/users/${b.uid}/reset-password`, { password: 'Hijack-Pass-1' }],
      );
      for (const [a, m, url, body] of calls) {
        const r = await a[m](url).send(body ?? {});
        expect(`${m} ${url} → ${r.status}`).toBe(`${m} ${url} → 404`);
        expect(r.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      }
      // the same as an id that does not exist
      const missing = await admin.get('/api/projects/987654').expect(404);
      const outside = await admin.get(`/api/projects/${b.p.id}`).expect(404);
      expect(outside.body).toEqual(missing.body);
      // a body naming a region outside scope is the same as naming one that does not exist
      const r = await agents.infrastructure
        .post('/api/projects')
        .send({ name: 'x', regionId: lechang })
        .expect(400);
      expect(r.body.errors).toEqual([
        { path: 'regionId', code: 'REGION_NOT_FOUND', message: '行政区不存在' },
      ]);
      const u = await admin
        .post('/api/users')
        .send({ username: 'sneaky', password: 'Quiet-Pass-12', role: 'viewer', regionId: lechang })
        .expect(400);
      expect(u.body.errors[0]).toMatchObject({ path: 'regionId', code: 'REGION_NOT_FOUND' });
      expect(await snapshot(t, b.p.id, b.uid)).toEqual(before);
    });

    it('never lists county-B rows to a county-A user; a city user sees all its counties only', async () => {
      const a = agents.viewer;
      const list = (await a.get('/api/projects?pageSize=200&includeArchived=true').expect(200))
        .body;
      expect(list.items.every((p: { regionId: number }) => p.regionId === liannan)).toBe(true);
      expect(list.items.some((p: { name: string }) => p.name.startsWith('乐昌'))).toBe(false);
      expect(
        (await a.get('/api/regions').expect(200)).body.map((r: { name: string }) => r.name),
      ).toEqual(['连南瑶族自治县']);
      expect((await a.get('/api/projects?q=乐昌').expect(200)).body.total).toBe(0);

      const city = await t.as('viewer', qingyuan);
      const cityList = (await city.get('/api/projects?pageSize=200').expect(200)).body;
      expect(cityList.items.every((p: { regionId: number }) => p.regionId === liannan)).toBe(true);
      expect(cityList.total).toBeGreaterThanOrEqual(14);
      expect(
        (await city.get('/api/regions').expect(200)).body.map((r: { name: string }) => r.name),
      ).toEqual(['清远市', '连南瑶族自治县']);
      await city.get(`/api/projects/${b.p.id}`).expect(404);

      const lc = await t.login('lechang.viewer', 'Lechang-Pass-1');
      const lcList = (await t.withToken(lc).get('/api/projects').expect(200)).body;
      expect(lcList.items.map((p: { name: string }) => p.name)).toEqual(['乐昌新城中学（新建）']);

      // roll-ups: the county-A user's totals hold no county-B money
      const sum = (await a.get('/api/funding/summary?groupBy=region').expect(200)).body;
      expect(sum.groups.map((g: { key: number }) => g.key)).toEqual([liannan]);
      expect(sum.total.committedWan).not.toBe('5000.00');
      const bySource = (await a.get('/api/funding/summary?groupBy=source').expect(200)).body;
      expect(
        bySource.groups.find((g: { key: string }) => g.key === 'special_bond')?.committedWan ??
          '0.00',
      ).not.toMatch(/^5\d{3}/);
      const all = (await t.http().get('/api/funding/summary?groupBy=region').expect(200)).body;
      expect(all.groups.map((g: { label: string }) => g.label).sort()).toEqual([
        '乐昌市',
        '连南瑶族自治县',
      ]);
      const lcSum = (
        await t
          .withToken(await t.login('lechang.viewer', 'Lechang-Pass-1'))
          .get('/api/funding/summary')
          .expect(200)
      ).body;
      expect(lcSum.total).toMatchObject({
        projects: 1,
        committedWan: '5000.00',
        paidWan: '100.00',
      });
      expect(lcSum.reportedGaps).toEqual([]);

      const scopedAdmin = await t.as('admin', liannan);
      const audit = (await scopedAdmin.get('/api/audit?pageSize=200').expect(200)).body.items as {
        projectId: number | null;
      }[];
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.some((row) => row.projectId === b.p.id)).toBe(false);
      const users = (await scopedAdmin.get('/api/users').expect(200)).body.items as {
        username: string;
      }[];
      expect(users.map((u) => u.username)).not.toContain('lechang.viewer');
      expect(users.map((u) => u.username)).not.toContain('admin');
    });
  });
});
