import { AuditLog } from '../../src/audit/audit-log.entity';
import { createTestApp, TestApp } from '../support/app';

type Row = Pick<AuditLog, 'action' | 'entity' | 'entityId' | 'projectId' | 'actorName' | 'changes'>;

describe('audit trail', () => {
  let t: TestApp;
  let liannan: number;
  let lastId = 0;

  beforeAll(async () => {
    t = await createTestApp();
    liannan = (await t.http().get('/api/regions').expect(200)).body.find(
      (r: { name: string }) => r.name === '连南瑶族自治县',
    ).id;
    lastId = await maxId();
  });
  afterAll(() => t.close());

  async function maxId(): Promise<number> {
    return Number((await t.db.read.query('SELECT COALESCE(MAX(id), 0) AS m FROM audit_log'))[0].m);
  }

  /** Audit rows written since the last call. */
  async function newRows(): Promise<Row[]> {
    const rows = await t.db.read
      .getRepository(AuditLog)
      .createQueryBuilder('a')
      .where('a.id > :id', { id: lastId })
      .orderBy('a.id')
      .getMany();
    lastId = await maxId();
    return rows.map(({ action, entity, entityId, projectId, actorName, changes }) => ({
      action,
      entity,
      entityId,
      projectId,
      actorName,
      changes,
    }));
  }

  it('records each write with actor, entity and field-by-field old → new; failed writes leave none; filters by user, entity and date', async () => {
    const infra = await t.as('infrastructure', liannan, 'infra.audit');
    const finance = await t.as('finance', liannan, 'finance.audit');
    await newRows();

    const p = (
      await infra
        .post('/api/projects')
        .send({
          name: '审计测试小学',
          regionId: liannan,
          seats: { primary: 270 },
          plannedCompletion: '2026-08',
        })
        .expect(201)
    ).body;
    const created = await newRows();
    // planned for 2026-08, it is overdue today: the write opened its alert and audited that too,
    // as the scan does (issue 29: alerts follow the data at once)
    expect(created).toHaveLength(2);
    expect(created[1]).toMatchObject({
      action: 'scan',
      entity: 'alert_scan',
      projectId: null,
      changes: {
        asOf: { old: null, new: '2026-12-02' },
        projects: { old: null, new: 1 },
        opened: { old: null, new: 1 },
        resolved: { old: null, new: 0 },
      },
    });
    created.pop();
    expect(created[0]).toMatchObject({
      action: 'create',
      entity: 'project',
      entityId: p.id,
      projectId: p.id,
      actorName: 'infra.audit',
    });
    expect(created[0].changes).toMatchObject({
      name: { old: null, new: '审计测试小学' },
      seats: {
        old: null,
        new: {
          kindergarten: 0,
          primary: 270,
          juniorMiddle: 0,
          seniorSecondary: 0,
          specialEducation: 0,
          total: 270,
        },
      },
      plannedCompletion: { old: null, new: '2026-08' },
      status: { old: null, new: 'planned' },
    });
    // created without an estimate: 未测算, not "0.00"
    expect(created[0].changes.budgetWan).toBeUndefined();

    await finance
      .patch(`/api/projects/${p.id}`)
      .send({ version: 1, budgetWan: '2931.96' })
      .expect(200);
    const today = new Date(t.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10); // Shanghai day
    const budgetRows = await newRows();
    expect(budgetRows).toEqual([
      {
        action: 'create',
        entity: 'budget_revision',
        entityId: expect.any(Number),
        projectId: p.id,
        actorName: 'finance.audit',
        changes: {
          effectiveOn: { old: null, new: today },
          budgetWan: { old: null, new: '2931.96' },
          reason: { old: null, new: '修改资金测算' },
        },
      },
      {
        action: 'update',
        entity: 'project',
        entityId: p.id,
        projectId: p.id,
        actorName: 'finance.audit',
        changes: { budgetWan: { old: null, new: '2931.96' } },
      },
    ]);

    await infra
      .post(`/api/projects/${p.id}/progress`)
      .send({
        reportedOn: '2025-06-30',
        status: 'under_construction',
        progressPercent: 40,
        investmentCompletedWan: '1234.57',
      })
      .expect(201);
    const prog = await newRows();
    // (the back-dated 在建 report leaves it without a report for 35+ days as of today: the write
    // opened its stale_report alert, audited as the scan audits)
    expect(prog.map((r) => `${r.action}:${r.entity}`)).toEqual([
      'create:progress_report',
      'progress:project',
      'scan:alert_scan',
    ]);
    expect(prog[1].changes).toEqual({
      status: { old: 'planned', new: 'under_construction' },
      progressPercent: { old: null, new: 40 },
      investmentCompletedWan: { old: null, new: '1234.57' },
      lastReportedOn: { old: null, new: '2025-06-30' },
    });
    expect(prog[0].changes).toMatchObject({
      reportedOn: { old: null, new: '2025-06-30' },
      investmentCompletedWan: { old: null, new: '1234.57' },
      reportedBy: { old: null, new: 'infra.audit' },
    });

    const ms = (await infra.get(`/api/projects/${p.id}/milestones`).expect(200)).body.items;
    await infra
      .patch(`/api/projects/${p.id}/milestones/${ms[0].id}`)
      .send({ version: 1, actualDate: '2025-01-15', owner: '赵科长' })
      .expect(200);
    expect(await newRows()).toEqual([
      {
        action: 'update',
        entity: 'milestone',
        entityId: ms[0].id,
        projectId: p.id,
        actorName: 'infra.audit',
        changes: {
          actualDate: { old: null, new: '2025-01-15' },
          owner: { old: null, new: '赵科长' },
        },
      },
    ]);
    const added = (
      await infra
        .post(`/api/projects/${p.id}/milestones`)
        .send({ key: 'fire_inspection', name: '消防验收' })
        .expect(201)
    ).body;
    expect((await newRows()).map((r) => [r.action, r.entity, r.entityId])).toEqual([
      ['create', 'milestone', added.id],
    ]);

    // money: lines, payments and revisions with their old → new
    const line = (
      await finance
        .post(`/api/projects/${p.id}/funding`)
        .send({
          source: 'special_bond',
          committedWan: '1000.1',
          committedOn: '2025-05-01',
          note: '清财预〔2025〕12号',
        })
        .expect(201)
    ).body;
    const lineRows = await newRows();
    expect(lineRows).toEqual([
      {
        action: 'create',
        entity: 'funding_line',
        entityId: line.id,
        projectId: p.id,
        actorName: 'finance.audit',
        changes: {
          source: { old: null, new: 'special_bond' },
          sourceLabel: { old: null, new: '地方政府专项债券' },
          committedWan: { old: null, new: '1000.10' },
          committedOn: { old: null, new: '2025-05-01' },
          receivedWan: { old: null, new: '0.00' },
          note: { old: null, new: '清财预〔2025〕12号' },
        },
      },
    ]);
    await finance
      .patch(`/api/projects/${p.id}/funding/${line.id}`)
      .send({ version: 1, receivedWan: '600', receivedOn: '2025-06-01' })
      .expect(200);
    expect((await newRows()).map((r) => r.changes)).toEqual([
      { receivedWan: { old: '0.00', new: '600.00' }, receivedOn: { old: null, new: '2025-06-01' } },
    ]);
    const pay = (
      await finance
        .post(`/api/projects/${p.id}/payments`)
        .send({ paidOn: '2025-07-01', payee: '某建筑公司', amountWan: '300' })
        .expect(201)
    ).body;
    await finance
      .patch(`/api/projects/${p.id}/payments/${pay.id}`)
      .send({ version: 1, amountWan: '350.5' })
      .expect(200);
    await finance
      .delete(`/api/projects/${p.id}/payments/${pay.id}`)
      .send({ version: 2 })
      .expect(200);
    const payRows = await newRows();
    expect(payRows.map((r) => `${r.action}:${r.entity}`)).toEqual([
      'create:payment',
      'update:payment',
      'delete:payment',
    ]);
    expect(payRows[1].changes).toEqual({ amountWan: { old: '300.00', new: '350.50' } });
    expect(payRows[2].changes).toEqual({
      paidOn: { old: '2025-07-01', new: null },
      payee: { old: '某建筑公司', new: null },
      amountWan: { old: '350.50', new: null },
    });
    await finance
      .post(`/api/projects/${p.id}/budget-revisions`)
      .send({ effectiveOn: today, budgetWan: '3000', reason: '概算调整' })
      .expect(201);
    const revRows = await newRows();
    expect(revRows.map((r) => `${r.action}:${r.entity}`)).toEqual([
      'create:budget_revision',
      'budget:project',
    ]);
    expect(revRows[1].changes).toEqual({ budgetWan: { old: '2931.96', new: '3000.00' } });
    await finance
      .post(`/api/projects/${p.id}/funding`)
      .send({ source: 'county_budget', committedWan: '1e3', committedOn: '2025-01-01' })
      .expect(400);
    await infra
      .post(`/api/projects/${p.id}/payments`)
      .send({ paidOn: '2025-07-01', payee: 'x', amountWan: '1' })
      .expect(403);
    expect(await newRows()).toEqual([]);

    // refused writes: stale version, bad input, forbidden role, illegal transition, unknown id
    await finance.patch(`/api/projects/${p.id}`).send({ version: 1, budgetWan: '1' }).expect(409);
    await infra
      .patch(`/api/projects/${p.id}`)
      .send({ version: 3, plannedCompletion: '2026-13' })
      .expect(400);
    await infra.patch(`/api/projects/${p.id}`).send({ version: 3, budgetWan: '5' }).expect(403);
    await infra
      .post(`/api/projects/${p.id}/progress`)
      .send({ reportedOn: '2025-07-30', status: 'in_use', progressPercent: 100 })
      .expect(400);
    await infra
      .patch(`/api/projects/${p.id}/milestones/${ms[0].id}`)
      .send({ version: 1, owner: 'x' })
      .expect(409);
    await infra
      .post('/api/projects/999999/progress')
      .send({ reportedOn: '2025-07-30', status: 'preparing', progressPercent: 1 })
      .expect(404);
    await t
      .http()
      .post('/api/users')
      .send({
        username: 'infra.audit',
        password: 'Dup-Pass-123',
        role: 'viewer',
        regionId: liannan,
      })
      .expect(400);
    expect(await newRows()).toEqual([]);

    const v = (await infra.get(`/api/projects/${p.id}`).expect(200)).body.version;
    await infra
      .post(`/api/projects/${p.id}/archive`)
      .send({ version: v, reason: '项目取消' })
      .expect(201);
    const arch = await newRows();
    // archiving resolved its alert in the same write
    expect(arch).toHaveLength(2);
    expect(arch[1]).toMatchObject({
      action: 'scan',
      entity: 'alert_scan',
      changes: { resolved: { old: null, new: 2 } }, // project_overdue and stale_report
    });
    expect(arch[0]).toMatchObject({ action: 'archive', entity: 'project', entityId: p.id });
    expect(arch[0].changes.archivedAt.old).toBeNull();

    // the project's history holds all of it, oldest first
    const hist = (await infra.get(`/api/projects/${p.id}/history`).expect(200)).body;
    expect(hist.items.map((h: Row) => `${h.action}:${h.entity}:${h.actorName}`)).toEqual([
      'create:project:infra.audit',
      'create:budget_revision:finance.audit',
      'update:project:finance.audit',
      'create:progress_report:infra.audit',
      'progress:project:infra.audit',
      'update:milestone:infra.audit',
      'create:milestone:infra.audit',
      'create:funding_line:finance.audit',
      'update:funding_line:finance.audit',
      'create:payment:finance.audit',
      'update:payment:finance.audit',
      'delete:payment:finance.audit',
      'create:budget_revision:finance.audit',
      'budget:project:finance.audit',
      'archive:project:infra.audit',
    ]);
    // then the log filtered by user, entity and date (one narrative: it passes in any order)
    const byUser = (await t.http().get('/api/audit?username=finance.audit').expect(200)).body;
    expect(byUser.items.map((r: Row) => `${r.actorName}:${r.entity}`)).toEqual([
      'finance.audit:project',
      'finance.audit:budget_revision',
      'finance.audit:payment',
      'finance.audit:payment',
      'finance.audit:payment',
      'finance.audit:funding_line',
      'finance.audit:funding_line',
      'finance.audit:project',
      'finance.audit:budget_revision',
    ]);
    const users = (await t.http().get('/api/audit?entity=user&pageSize=3').expect(200)).body;
    expect(users.items).toHaveLength(3);
    expect(users.items[0].id).toBeGreaterThan(users.items[1].id);
    // each entry names what it is about (审计日志's 对象): the user, the project — not an id
    const userRows = users.items as { entityId: number; objectName: string | null }[];
    const names = await t.db.read.query(
      `SELECT id, username, display_name FROM "user" WHERE id IN (${userRows.map((u) => u.entityId).join(',')})`,
    );
    for (const u of userRows) {
      const row = (names as { id: number; username: string; display_name: string | null }[]).find(
        (n) => Number(n.id) === u.entityId,
      )!;
      expect(u.objectName).toBe(
        row.display_name ? `${row.display_name}（${row.username}）` : row.username,
      );
    }
    const archived = (
      await t.http().get(`/api/audit?entity=project&entityId=${p.id}&pageSize=1`).expect(200)
    ).body.items[0];
    expect(archived.objectName).toBe(p.name);
    const day = t.now().toISOString().slice(0, 10);
    expect(
      (await t.http().get(`/api/audit?from=${day}&to=${day}`).expect(200)).body.total,
    ).toBeGreaterThan(10);
    expect((await t.http().get('/api/audit?to=2020-01-01').expect(200)).body.total).toBe(0);
    await t.http().get('/api/audit?from=2021-02-30').expect(400);
  });

  it('records user administration without ever storing a password', async () => {
    await newRows();
    const u = (
      await t
        .http()
        .post('/api/users')
        .send({
          username: 'audited.user',
          password: 'Secret-Pass-77',
          role: 'viewer',
          regionId: liannan,
        })
        .expect(201)
    ).body;
    await t.http().patch(`/api/users/${u.id}`).send({ version: 1, role: 'finance' }).expect(200);
    await t
      .http()
      .post(`/api/users/${u.id}/reset-password`)
      .send({ password: 'Other-Pass-88' })
      .expect(200);
    await t.http().patch(`/api/users/${u.id}`).send({ version: 3, disabled: true }).expect(200);
    const rows = await newRows();
    expect(rows.map((r) => [r.action, r.entity, r.entityId, r.actorName])).toEqual([
      ['create', 'user', u.id, 'admin'],
      ['update', 'user', u.id, 'admin'],
      ['reset_password', 'user', u.id, 'admin'],
      ['disable', 'user', u.id, 'admin'],
    ]);
    expect(rows[0].changes).toMatchObject({
      username: { old: null, new: 'audited.user' },
      role: { old: null, new: 'viewer' },
      regionId: { old: null, new: liannan },
    });
    expect(rows[1].changes).toEqual({ role: { old: 'viewer', new: 'finance' } });
    expect(rows[3].changes).toEqual({ disabled: { old: false, new: true } });
    const all = JSON.stringify(rows);
    expect(all).not.toContain('Secret-Pass-77');
    expect(all).not.toContain('Other-Pass-88');
    expect(all).not.toContain('scrypt$');
  });

  it('refuses to edit or delete audit rows in the database itself', async () => {
    const id = await maxId();
    await expect(
      t.db.transaction((em) => em.query(`UPDATE audit_log SET actor_name = 'x' WHERE id = ${id}`)),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.transaction((em) => em.query(`DELETE FROM audit_log WHERE id = ${id}`)),
    ).rejects.toThrow(/append-only/);
    expect(await maxId()).toBe(id);
  });
});
