import { AuditLog } from '../../src/audit/audit-log.entity';
import { createTestApp, TestApp } from '../support/app';

describe('progress reports and milestones', () => {
  let t: TestApp;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    const items = (await t.http().get('/api/projects?pageSize=100').expect(200)).body.items as {
      id: number;
      name: string;
      planYear: number;
    }[];
    ids = Object.fromEntries(items.map((p) => [`${p.name}/${p.planYear}`, p.id]));
  });
  afterAll(() => t.close());

  const report = (id: number, body: object) =>
    t.http().post(`/api/projects/${id}/progress`).send(body);

  it('drives status, progress, investment and lastReportedOn through the transition table', async () => {
    const id = ids['寨岗中学（初中）/2023'];
    await report(id, { reportedOn: '2023-03-01', status: 'preparing', progressPercent: 0 }).expect(
      201,
    );
    const r2 = await report(id, {
      reportedOn: '2023-09-30',
      status: 'under_construction',
      progressPercent: 35,
      investmentCompletedWan: '7000.5',
      note: '主体施工',
    }).expect(201);
    expect(r2.body).toMatchObject({
      reportedOn: '2023-09-30',
      status: 'under_construction',
      progressPercent: 35,
      investmentCompletedWan: '7000.50',
      note: '主体施工',
      reportedBy: 'admin',
    });
    const p = (await t.http().get(`/api/projects/${id}`).expect(200)).body;
    expect(p).toMatchObject({
      status: 'under_construction',
      progressPercent: 35,
      investmentCompletedWan: '7000.50',
      lastReportedOn: '2023-09-30',
      version: 3,
    });

    // completing needs an actual completion date …
    const noDate = await report(id, {
      reportedOn: '2024-09-05',
      status: 'completed',
      progressPercent: 100,
    }).expect(400);
    expect(noDate.body.errors).toEqual([
      {
        path: 'actualCompletion',
        code: 'ACTUAL_COMPLETION_REQUIRED',
        message: '变更为已竣工须填写实际竣工日期：状态“已竣工”须有实际竣工日期',
      },
    ]);
    // … not later than the report
    const late = await report(id, {
      reportedOn: '2024-09-05',
      status: 'completed',
      progressPercent: 100,
      actualCompletion: '2024-09-06',
    }).expect(400);
    expect(late.body.errors[0]).toMatchObject({
      path: 'actualCompletion',
      code: 'ACTUAL_COMPLETION_AFTER_REPORT',
    });
    await report(id, {
      reportedOn: '2024-09-05',
      status: 'completed',
      progressPercent: 100,
      actualCompletion: '2024-08-28',
      investmentCompletedWan: 20240,
    }).expect(201);
    const done = (await t.http().get(`/api/projects/${id}`).expect(200)).body;
    expect(done).toMatchObject({
      status: 'completed',
      actualCompletion: '2024-08-28',
      investmentCompletedWan: '20240.00',
      version: 4,
    });

    // a completed project does not go back under construction
    const back = await report(id, {
      reportedOn: '2024-10-01',
      status: 'under_construction',
      progressPercent: 90,
    }).expect(400);
    expect(back.body).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(back.body.errors[0]).toMatchObject({
      path: 'status',
      message: '不允许的状态变更：不能从“已竣工”变更为“在建”（可变更为：已交付使用）',
    });

    const list = (await t.http().get(`/api/projects/${id}/progress`).expect(200)).body;
    expect(
      list.items.map((r: { reportedOn: string; status: string }) => `${r.reportedOn}:${r.status}`),
    ).toEqual(['2024-09-05:completed', '2023-09-30:under_construction', '2023-03-01:preparing']);
    const audit = await t.db.read
      .getRepository(AuditLog)
      .findBy({ projectId: id, entity: 'project', action: 'progress' });
    expect(audit).toHaveLength(3);
    expect(audit[2].changes.status).toEqual({ old: 'under_construction', new: 'completed' });
  });

  it('rejects a jump, a back-dated report, a future report and bad values, and writes nothing', async () => {
    const id = ids['顺德希望小学/2023'];
    const jump = await report(id, {
      reportedOn: '2024-01-10',
      status: 'completed',
      progressPercent: 100,
      actualCompletion: '2024-01-05',
    }).expect(400);
    expect(jump.body.errors[0].message).toBe(
      '不允许的状态变更：不能从“谋划储备”变更为“已竣工”（可变更为：前期工作、在建、暂停、取消）',
    );
    await report(id, {
      reportedOn: '2024-01-10',
      status: 'under_construction',
      progressPercent: 10,
    }).expect(201);
    const before = await report(id, {
      reportedOn: '2024-01-09',
      status: 'under_construction',
      progressPercent: 20,
    }).expect(400);
    expect(before.body.errors[0]).toMatchObject({
      path: 'reportedOn',
      code: 'REPORT_BEFORE_LATEST',
    });
    const future = await report(id, {
      reportedOn: '2099-01-01',
      status: 'under_construction',
      progressPercent: 20,
    }).expect(400);
    expect(future.body.errors[0]).toMatchObject({ path: 'reportedOn', code: 'REPORT_IN_FUTURE' });
    const bad = await report(id, {
      reportedOn: '2024-02-30',
      status: 'built',
      progressPercent: 101,
      investmentCompletedWan: '-1',
      extra: true,
    }).expect(400);
    expect(
      bad.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort(),
    ).toEqual([
      'extra:FIELD_UNKNOWN',
      'investmentCompletedWan:NEGATIVE_AMOUNT',
      'progressPercent:PROGRESS_PERCENT_INVALID',
      'reportedOn:NOT_A_DATE',
      'status:NOT_IN_LIST',
    ]);
    const list = (await t.http().get(`/api/projects/${id}/progress`).expect(200)).body;
    expect(list.total).toBe(1);
    expect((await t.http().get(`/api/projects/${id}`).expect(200)).body).toMatchObject({
      status: 'under_construction',
      progressPercent: 10,
      version: 2,
    });
  });

  it('records a status change made by PATCH as a progress report dated today', async () => {
    const id = ids['民族小学/2022'];
    const p = (await t.http().get(`/api/projects/${id}`).expect(200)).body;
    const r = await t
      .http()
      .patch(`/api/projects/${id}`)
      .send({ version: p.version, status: 'preparing' })
      .expect(200);
    expect(r.body).toMatchObject({ status: 'preparing', version: p.version + 1 });
    const list = (await t.http().get(`/api/projects/${id}/progress`).expect(200)).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      status: 'preparing',
      note: '状态变更',
      reportedOn: r.body.lastReportedOn,
    });
    const illegal = await t
      .http()
      .patch(`/api/projects/${id}`)
      .send({ version: p.version + 1, status: 'in_use' })
      .expect(400);
    expect(illegal.body.code).toBe('ILLEGAL_TRANSITION');
  });

  it('adds and edits milestones with versions', async () => {
    const id = ids['三江镇中心幼儿园/2022'];
    const ms = (await t.http().get(`/api/projects/${id}/milestones`).expect(200)).body.items;
    expect(ms).toHaveLength(10);
    const gb = ms.find((m: { key: string }) => m.key === 'groundbreaking');
    const ok = await t
      .http()
      .patch(`/api/projects/${id}/milestones/${gb.id}`)
      .send({ version: 1, plannedDate: '2022-03', owner: '王主任' })
      .expect(200);
    expect(ok.body).toMatchObject({
      key: 'groundbreaking',
      name: '开工',
      plannedDate: '2022-03',
      plannedDue: '2022-03-31',
      owner: '王主任',
      version: 2,
    });
    const stale = await t
      .http()
      .patch(`/api/projects/${id}/milestones/${gb.id}`)
      .send({ version: 1, owner: '别人' })
      .expect(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect(
      (await t.http().get(`/api/projects/${id}/milestones`).expect(200)).body.items.find(
        (m: { key: string }) => m.key === 'groundbreaking',
      ).owner,
    ).toBe('王主任');

    const added = await t
      .http()
      .post(`/api/projects/${id}/milestones`)
      .send({ key: 'fire_inspection', name: '消防验收', plannedDate: '2022-11-15' })
      .expect(201);
    expect(added.body).toMatchObject({
      key: 'fire_inspection',
      name: '消防验收',
      plannedDue: '2022-11-15',
      sortOrder: 110,
      version: 1,
    });
    const dup = await t
      .http()
      .post(`/api/projects/${id}/milestones`)
      .send({ key: 'fire_inspection', name: '又一个' })
      .expect(400);
    expect(dup.body.errors[0]).toMatchObject({ path: 'key', code: 'MILESTONE_KEY_EXISTS' });
    const bad = await t
      .http()
      .post(`/api/projects/${id}/milestones`)
      .send({ key: 'Bad Key', plannedDate: '2022-13' })
      .expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'key',
      'name',
      'plannedDate',
    ]);
    // another project's milestone through this project's URL is not found
    const other = (
      await t.http().get(`/api/projects/${ids['淳溪小学/2022']}/milestones`).expect(200)
    ).body.items[0];
    await t
      .http()
      .patch(`/api/projects/${id}/milestones/${other.id}`)
      .send({ version: 1, owner: 'x' })
      .expect(404);
    const audit = await t.db.read
      .getRepository(AuditLog)
      .findBy({ entity: 'milestone', entityId: gb.id });
    expect(audit.map((a) => a.changes)).toEqual([
      {
        plannedDate: { old: null, new: '2022-03' },
        plannedDue: { old: null, new: '2022-03-31' },
        owner: { old: null, new: '王主任' },
      },
    ]);
  });
});
