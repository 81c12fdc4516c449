import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { SubmissionEvent } from '../../src/submissions/submission.entities';
import { SUBMISSION_TRANSITIONS } from '../../src/submissions/submission-types';
import { SubmissionTransition } from '../../src/submissions/submission.entities';
import { dueOn } from '../../src/submissions/due-date';
import { Agent, createTestApp, downloadXlsx, regionIds, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

const MONTH = '2026-11';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Who = Agent & { userId: number };

/**
 * The monthly reporting cycle (issue 33, points 1–4 and 7): two counties of 河源市 and the city,
 * on the test clock (2026-12-02: November has ended, December has not).
 */
describe(`submissions: 报送 → 审核 → 退回 / 通过, the frozen file, the lock (${DIALECT})`, () => {
  let t: TestApp;
  let dir: string;
  let ids: Record<string, number>;
  let lcProject: number;
  let ycProject: number;
  let lc: { infra: Who; fin: Who; viewer: Who };
  let yc: { infra: Who };
  let city: { infra: Who; fin: Who; viewer: Who };
  let prov: { infra: Who };
  let other: { infra: Who };
  let lcId: number;
  let first: { raw: Buffer; sha256: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'submissions-'));
    t = await createTestApp({ env: { SUBMISSIONS_DIR: dir } });
    ids = await regionIds(t);
    const admin = t.http();
    const project = async (name: string, regionId: number) =>
      (
        await admin
          .post('/api/projects')
          .send({ name, regionId, planYear: 2026, budgetWan: '1000', plannedCompletion: '2027-08' })
          .expect(201)
      ).body.id as number;
    lcProject = await project('龙川县报送测试小学', ids['龙川县']);
    ycProject = await project('源城区报送测试中学', ids['源城区']);
    for (const [id, day] of [
      [lcProject, '2026-11-20'],
      [ycProject, '2026-11-18'],
    ] as const)
      await admin
        .post(`/api/projects/${id}/progress`)
        .send({ reportedOn: day, status: 'under_construction', progressPercent: 30 })
        .expect(201);
    // 龙川: 已支付 90 over 已到位 80 — an error of the checks; 源城: clean
    await admin
      .post(`/api/projects/${lcProject}/funding`)
      .send({
        source: 'county_budget',
        committedWan: '100',
        committedOn: '2026-10-01',
        receivedWan: '80',
        receivedOn: '2026-11-10',
      })
      .expect(201);
    await admin
      .post(`/api/projects/${lcProject}/payments`)
      .send({ paidOn: '2026-11-15', payee: '某建设公司', amountWan: '90' })
      .expect(201);
    await admin
      .post(`/api/projects/${ycProject}/funding`)
      .send({
        source: 'county_budget',
        committedWan: '200',
        committedOn: '2026-10-01',
        receivedWan: '150',
        receivedOn: '2026-11-05',
      })
      .expect(201);
    lc = {
      infra: await t.as('infrastructure', ids['龙川县']),
      fin: await t.as('finance', ids['龙川县']),
      viewer: await t.as('viewer', ids['龙川县']),
    };
    yc = { infra: await t.as('infrastructure', ids['源城区']) };
    city = {
      infra: await t.as('infrastructure', ids['河源市']),
      fin: await t.as('finance', ids['河源市']),
      viewer: await t.as('viewer', ids['河源市']),
    };
    prov = { infra: await t.as('infrastructure', ids['广东省']) };
    other = { infra: await t.as('infrastructure', ids['韶关市']) };
  });

  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The cycle is one story (each step builds on the last) and `--randomize` shuffles the tests of a
   * file: the steps run in order inside one test, each named in a failure.
   */
  const steps: { name: string; run: () => Promise<void> }[] = [];
  const step = (name: string, run: () => Promise<void>) => steps.push({ name, run });

  it('seeds the state machine table exactly as SUBMISSION_TRANSITIONS', async () => {
    const rows = await t.db.reader(SubmissionTransition).find();
    const key = (a: string, f: string, to: string) => `${a}:${f}→${to}`;
    expect(rows.map((r) => key(r.action, r.fromStatus, r.toStatus)).sort()).toEqual(
      SUBMISSION_TRANSITIONS.map((r) => key(r.action, r.from, r.to)).sort(),
    );
  });

  step('lists the city and its counties as 未报送, with the month’s due day', async () => {
    const res = await city.infra.get(`/api/submissions?month=${MONTH}`).expect(200);
    expect(res.body.dueOn).toBe(dueOn(MONTH));
    const rows = res.body.items.map(
      (i: { regionName: string; status: string; id: number | null }) =>
        `${i.regionName}:${i.status}:${i.id}`,
    );
    // the caller's own region first, then the regions below it
    expect(rows[0]).toBe('河源市:not_submitted:null');
    expect(rows.slice(1).sort()).toEqual(
      ['源城区:not_submitted:null', '龙川县:not_submitted:null'].sort(),
    );
    const county = await lc.infra.get(`/api/submissions?month=${MONTH}`).expect(200);
    expect(county.body.items).toHaveLength(1);
    expect(county.body.items[0]).toMatchObject({
      regionName: '龙川县',
      status: 'not_submitted',
      statusLabel: '未报送',
      version: 0,
      lateDays: null,
      forced: false,
    });
  });

  step('refuses a month that has not ended, in Chinese', async () => {
    const res = await lc.infra.post('/api/submissions').send({ month: '2026-12' }).expect(400);
    expect(res.body.code).toBe('MONTH_NOT_ENDED');
    expect(res.body.message).toContain('2026年12月尚未结束');
  });

  step('lists the checks; errors block unless forced with a 说明', async () => {
    const checks = await lc.infra.get(`/api/submissions/checks?month=${MONTH}`).expect(200);
    expect(checks.body).toMatchObject({ regionName: '龙川县', asOf: '2026-11-30', errors: 1 });
    expect(checks.body.items[0]).toEqual({
      level: 'error',
      code: 'PAID_OVER_ARRIVED',
      message: '龙川县报送测试小学：已支付90.00万元，超过已到位80.00万元',
      projectId: lcProject,
      projectName: '龙川县报送测试小学',
    });
    const blocked = await lc.infra.post('/api/submissions').send({ month: MONTH }).expect(400);
    expect(blocked.body.code).toBe('SUBMISSION_CHECKS_FAILED');
    expect(blocked.body.errors.map((e: { message: string }) => e.message)).toEqual([
      '龙川县报送测试小学：已支付90.00万元，超过已到位80.00万元',
    ]);
    const noNote = await lc.infra
      .post('/api/submissions')
      .send({ month: MONTH, force: true })
      .expect(400);
    expect(noNote.body.code).toBe('FORCE_NOTE_REQUIRED');
    // nothing was stored by the refusals
    expect((await lc.infra.get(`/api/submissions?month=${MONTH}`)).body.items[0].id).toBeNull();
  });

  step(
    'submits with force: 201, forced, the note stored and shown, a frozen file with its hash',
    async () => {
      const res = await lc.infra
        .post('/api/submissions')
        .send({ month: MONTH, force: true, note: '支付凭证已补，资金下月到位' })
        .expect(201);
      lcId = res.body.id;
      expect(res.body).toMatchObject({
        regionId: ids['龙川县'],
        regionName: '龙川县',
        month: MONTH,
        status: 'submitted',
        version: 1,
        seq: 1,
        forced: true,
        forceNote: '支付凭证已补，资金下月到位',
        dueOn: dueOn(MONTH),
        lateDays: 0,
      });
      expect(res.body.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body.checks.map((c: { code: string }) => c.code)).toEqual(['PAID_OVER_ARRIVED']);
      expect(res.body.snapshot.regions).toEqual([
        {
          regionId: ids['龙川县'],
          regionName: '龙川县',
          projects: {
            planned: 0,
            preparing: 0,
            under_construction: 1,
            completed: 0,
            in_use: 0,
            suspended: 0,
            cancelled: 0,
          },
          projectTotal: 1,
          budgetWan: '1000.00',
          committedWan: '100.00',
          arrivedWan: '80.00',
          paidWan: '90.00',
          gapWan: '900.00',
          overdue: 0,
        },
      ]);
      const dl = await downloadXlsx(lc.infra, `/api/submissions/${lcId}/workbook`);
      expect(sha(dl.raw)).toBe(res.body.sha256);
      expect(dl.name).toBe('龙川县学校建设项目月度进展报表-2026-11-第1次报送.xlsx');
      first = { raw: dl.raw, sha256: res.body.sha256 };
      // a second submission of a submitted month: 409
      const again = await lc.fin.post('/api/submissions').send({ month: MONTH }).expect(409);
      expect(again.body.code).toBe('SUBMISSION_STATE');
      const list = await city.infra.get(`/api/submissions?month=${MONTH}`).expect(200);
      expect(
        list.body.items.find((i: { regionName: string }) => i.regionName === '龙川县'),
      ).toMatchObject({
        id: lcId,
        status: 'submitted',
        statusLabel: '已报送（待审核）',
        forced: true,
        version: 1,
      });
    },
  );

  step(
    'locks the month: a backdated write is 409 PERIOD_SUBMITTED, a later one goes through',
    async () => {
      const res = await lc.infra
        .post(`/api/projects/${lcProject}/progress`)
        .send({ reportedOn: '2026-11-25', status: 'under_construction', progressPercent: 40 })
        .expect(409);
      expect(res.body.code).toBe('PERIOD_SUBMITTED');
      expect(res.body.message).toBe('2026年11月月报已报送（待审核），需上级退回后才能修改');
      const line = await lc.fin
        .post(`/api/projects/${lcProject}/funding`)
        .send({ source: 'county_budget', receivedWan: '20', receivedOn: '2026-11-28' })
        .expect(409);
      expect(line.body.code).toBe('PERIOD_SUBMITTED');
      await lc.fin
        .post(`/api/projects/${lcProject}/payments`)
        .send({ paidOn: '2026-10-03', payee: '某建设公司', amountWan: '1' })
        .expect(409);
      // every dated write path: a milestone's actual date, a budget revision, a withdrawal (更正),
      // a November payment's deletion, 实际竣工 — old or new day inside November
      const ms = (await lc.infra.get(`/api/projects/${lcProject}/milestones`).expect(200)).body
        .items[0] as { id: number; version: number };
      const m = await lc.infra
        .patch(`/api/projects/${lcProject}/milestones/${ms.id}`)
        .send({ version: ms.version, actualDate: '2026-11-10' })
        .expect(409);
      expect(m.body.code).toBe('PERIOD_SUBMITTED');
      await lc.fin
        .post(`/api/projects/${lcProject}/budget-revisions`)
        .send({ effectiveOn: '2026-11-15', budgetWan: '1100', reason: '增加围墙' })
        .expect(409);
      const reports = (await lc.infra.get(`/api/projects/${lcProject}/progress`).expect(200)).body
        .items as { id: number }[];
      // (filed by the admin, who may withdraw it)
      await t
        .http()
        .post(`/api/projects/${lcProject}/progress/${reports[0].id}/withdraw`)
        .send({ reason: '填报有误' })
        .expect(409);
      const pays = (await lc.fin.get(`/api/projects/${lcProject}/payments`).expect(200)).body
        .items as { id: number; version: number }[];
      await lc.fin
        .delete(`/api/projects/${lcProject}/payments/${pays[0].id}`)
        .send({ version: pays[0].version })
        .expect(409);
      // nothing of it was written
      expect(
        (await lc.infra.get(`/api/projects/${lcProject}/progress`).expect(200)).body.items,
      ).toHaveLength(1);
      // December is open
      await lc.fin
        .post(`/api/projects/${lcProject}/payments`)
        .send({ paidOn: '2026-12-01', payee: '某建设公司', amountWan: '5' })
        .expect(201);
    },
  );

  step(
    'refuses every cross-region and role attempt; out of scope is 404 exactly like unknown',
    async () => {
      const unknown = await other.infra.get('/api/submissions/999999').expect(404);
      const foreign = await other.infra.get(`/api/submissions/${lcId}`).expect(404);
      expect(foreign.body).toEqual(unknown.body);
      await yc.infra.get(`/api/submissions/${lcId}`).expect(404);
      await yc.infra.get(`/api/submissions/${lcId}/workbook`).expect(404);
      for (const action of ['approve', 'withdraw'])
        await yc.infra.post(`/api/submissions/${lcId}/${action}`).send({ version: 1 }).expect(404);
      await other.infra
        .post(`/api/submissions/${lcId}/return`)
        .send({ version: 1, reason: '越权' })
        .expect(404);
      // a viewer reads, never writes
      await lc.viewer.get(`/api/submissions/${lcId}`).expect(200);
      await lc.viewer.post('/api/submissions').send({ month: MONTH }).expect(403);
      await city.viewer.post(`/api/submissions/${lcId}/approve`).send({ version: 1 }).expect(403);
      // nobody reviews their own region; the province is not the county's reviewer
      const own = await lc.infra
        .post(`/api/submissions/${lcId}/approve`)
        .send({ version: 1 })
        .expect(403);
      expect(own.body.code).toBe('SUBMISSION_OWN_REGION');
      await prov.infra.post(`/api/submissions/${lcId}/approve`).send({ version: 1 }).expect(403);
      // submitting for another region
      await city.infra
        .post('/api/submissions')
        .send({ month: MONTH, regionId: ids['源城区'] })
        .expect(403);
      await lc.infra
        .post('/api/submissions')
        .send({ month: MONTH, regionId: ids['源城区'] })
        .expect(404);
      const list = await other.infra.get(`/api/submissions?month=${MONTH}`).expect(200);
      expect(list.body.items.map((i: { regionName: string }) => i.regionName)).toEqual([
        '韶关市',
        '乐昌市',
      ]);
      // none of it changed anything
      const d = await lc.infra.get(`/api/submissions/${lcId}`).expect(200);
      expect(d.body).toMatchObject({ status: 'submitted', version: 1, reviewerOpenedAt: null });
    },
  );

  step(
    'a reviewer opening it ends withdrawing; return needs a reason and the current version',
    async () => {
      const opened = await city.infra.get(`/api/submissions/${lcId}`).expect(200);
      expect(opened.body.canReview).toBe(true);
      expect(opened.body.reviewerOpenedAt).not.toBeNull();
      const w = await lc.infra
        .post(`/api/submissions/${lcId}/withdraw`)
        .send({ version: 1 })
        .expect(409);
      expect(w.body.code).toBe('SUBMISSION_OPENED');
      const noReason = await city.infra
        .post(`/api/submissions/${lcId}/return`)
        .send({ version: 1 })
        .expect(400);
      expect(noReason.body.code).toBe('REASON_REQUIRED');
      await city.infra
        .post(`/api/submissions/${lcId}/return`)
        .send({ version: 7, reason: '已支付超过已到位，请核实' })
        .expect(409);
      const ret = await city.infra
        .post(`/api/submissions/${lcId}/return`)
        .send({ version: 1, reason: '已支付超过已到位，请核实' })
        .expect(200);
      expect(ret.body).toMatchObject({
        status: 'returned',
        statusLabel: '已退回',
        version: 2,
        returnReason: '已支付超过已到位，请核实',
        returnCount: 1,
      });
      // returned: the backdated writes go through
      await lc.infra
        .post(`/api/projects/${lcProject}/progress`)
        .send({ reportedOn: '2026-11-25', status: 'under_construction', progressPercent: 40 })
        .expect(201);
      await lc.fin
        .post(`/api/projects/${lcProject}/funding`)
        .send({ source: 'county_budget', receivedWan: '20', receivedOn: '2026-11-28' })
        .expect(201);
    },
  );

  step(
    'resubmits the returned month: same id, version up, a new file, both kept byte-identical',
    async () => {
      const res = await lc.fin.post('/api/submissions').send({ month: MONTH }).expect(201);
      expect(res.body).toMatchObject({
        id: lcId,
        status: 'submitted',
        version: 3,
        seq: 2,
        forced: false,
      });
      expect(res.body.checks).toEqual([]);
      expect(res.body.sha256).not.toBe(first.sha256);
      expect(res.body.snapshot.regions[0]).toMatchObject({
        arrivedWan: '100.00',
        paidWan: '90.00',
        committedWan: '100.00',
        gapWan: '900.00',
      });
      expect(res.body.files.map((f: { seq: number; sha256: string }) => [f.seq, f.sha256])).toEqual(
        [
          [1, first.sha256],
          [2, res.body.sha256],
        ],
      );
      const now = await downloadXlsx(city.infra, `/api/submissions/${lcId}/workbook`);
      expect(sha(now.raw)).toBe(res.body.sha256);
      const old = await downloadXlsx(city.infra, `/api/submissions/${lcId}/workbook?seq=1`);
      expect(old.raw.equals(first.raw)).toBe(true);
    },
  );

  step('20 concurrent approve/return calls on one version: exactly one wins', async () => {
    const sub = await yc.infra.post('/api/submissions').send({ month: MONTH }).expect(201);
    expect(sub.body.forced).toBe(false);
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? city.fin
            .post(`/api/submissions/${sub.body.id}/return`)
            .send({ version: 1, reason: '请核实' })
        : city.infra.post(`/api/submissions/${sub.body.id}/approve`).send({ version: 1 }),
    );
    const statuses = (await Promise.all(calls)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const d = await city.infra.get(`/api/submissions/${sub.body.id}`).expect(200);
    expect(d.body.version).toBe(2);
    expect(d.body.events.map((e: { action: string }) => e.action)).toHaveLength(2);
  });

  step(
    'approves; the approved month stays locked; reopening takes the approving level and a reason',
    async () => {
      const ok = await city.fin
        .post(`/api/submissions/${lcId}/approve`)
        .send({ version: 3 })
        .expect(200);
      expect(ok.body).toMatchObject({ status: 'approved', statusLabel: '已通过', version: 4 });
      expect(ok.body.approvedAt).not.toBeNull();
      const locked = await lc.infra
        .post(`/api/projects/${lcProject}/progress`)
        .send({ reportedOn: '2026-11-27', status: 'under_construction', progressPercent: 45 })
        .expect(409);
      expect(locked.body.message).toBe('2026年11月月报已通过审核，需上级重新打开后才能修改');
      await city.infra
        .post(`/api/submissions/${lcId}/return`)
        .send({ version: 4, reason: 'x' })
        .expect(409);
      await lc.infra
        .post(`/api/submissions/${lcId}/reopen`)
        .send({ version: 4, reason: 'x' })
        .expect(403);
      await city.infra.post(`/api/submissions/${lcId}/reopen`).send({ version: 4 }).expect(400);
      const re = await city.infra
        .post(`/api/submissions/${lcId}/reopen`)
        .send({ version: 4, reason: '发现支付记录有误，重新打开' })
        .expect(200);
      expect(re.body).toMatchObject({
        status: 'returned',
        version: 5,
        returnCount: 2,
        returnReason: '发现支付记录有误，重新打开',
      });
    },
  );

  step(
    'withdraws a resubmission before the reviewer opened it; the events tell the whole story',
    async () => {
      const sub = await lc.infra.post('/api/submissions').send({ month: MONTH }).expect(201);
      expect(sub.body).toMatchObject({ version: 6, seq: 3, canWithdraw: true });
      const w = await lc.fin
        .post(`/api/submissions/${lcId}/withdraw`)
        .send({ version: 6 })
        .expect(200);
      expect(w.body).toMatchObject({ status: 'withdrawn', statusLabel: '已撤回', version: 7 });
      expect(
        w.body.events.map((e: { action: string; fromStatus: string; toStatus: string }) =>
          [e.action, e.fromStatus, e.toStatus].join(':'),
        ),
      ).toEqual([
        'submit:not_submitted:submitted',
        'return:submitted:returned',
        'submit:returned:submitted',
        'approve:submitted:approved',
        'reopen:approved:returned',
        'submit:returned:submitted',
        'withdraw:submitted:withdrawn',
      ]);
      expect(w.body.events[1].comment).toBe('已支付超过已到位，请核实');
      expect(w.body.events[0].comment).toBe('支付凭证已补，资金下月到位');
      // every transition audited
      const audited = await t.db
        .reader(AuditLog)
        .find({ where: { entity: 'submission', entityId: lcId }, order: { id: 'ASC' } });
      expect(audited.map((a) => a.action).filter((a) => a !== 'update')).toEqual([
        'submit',
        'return',
        'submit',
        'approve',
        'reopen',
        'submit',
        'withdraw',
      ]);
      expect(await t.db.reader(SubmissionEvent).countBy({ submissionId: lcId })).toBe(7);
    },
  );

  step('the first frozen file is unchanged after all the later writes', async () => {
    const again = await downloadXlsx(lc.infra, `/api/submissions/${lcId}/workbook?seq=1`);
    expect(again.raw.equals(first.raw)).toBe(true);
    expect(sha(again.raw)).toBe(first.sha256);
    const d = await lc.infra.get(`/api/submissions/${lcId}`).expect(200);
    expect(d.body.files).toHaveLength(3);
    expect(d.body.files[0]).toMatchObject({ seq: 1, sha256: first.sha256, forced: true });
  });

  step(
    'a city’s submission locks its counties’ projects; the province reviews the city',
    async () => {
      const sub = await city.infra.post('/api/submissions').send({ month: MONTH }).expect(201);
      const names = sub.body.snapshot.regions.map((r: { regionName: string }) => r.regionName);
      expect(names[0]).toBe('河源市');
      expect(names.slice(1).sort()).toEqual(['源城区', '龙川县'].sort());
      expect(sub.body.snapshot.regions[0]).toMatchObject({
        projectTotal: 2,
        budgetWan: '2000.00',
        arrivedWan: '250.00',
        paidWan: '90.00',
      });
      const res = await yc.infra
        .post(`/api/projects/${ycProject}/progress`)
        .send({ reportedOn: '2026-11-26', status: 'under_construction', progressPercent: 50 })
        .expect(409);
      expect(res.body.message).toBe('河源市2026年11月月报已报送（待审核），需上级退回后才能修改');
      const own = await city.fin
        .post(`/api/submissions/${sub.body.id}/approve`)
        .send({ version: 1 })
        .expect(403);
      expect(own.body.code).toBe('SUBMISSION_OWN_REGION');
      await prov.infra
        .post(`/api/submissions/${sub.body.id}/approve`)
        .send({ version: 1 })
        .expect(200);
    },
  );

  it('runs the cycle in order: 未报送 → checks → 强制报送 → lock → refusals → 退回 → 重新报送 → concurrent reviews → 通过 → 重新打开 → 撤回 → the frozen file → a city’s submission', async () => {
    for (const s of steps) {
      try {
        await s.run();
      } catch (e) {
        if (e instanceof Error) e.message = `step「${s.name}」: ${e.message}`;
        throw e;
      }
    }
  }, 600_000);
});
