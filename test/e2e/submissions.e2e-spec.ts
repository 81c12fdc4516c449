import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { User } from '../../src/auth/user.entity';
import { SubmissionEvent } from '../../src/submissions/submission.entities';
import { SUBMISSION_TRANSITIONS } from '../../src/submissions/submission-types';
import { SubmissionTransition } from '../../src/submissions/submission.entities';
import { dueOn } from '../../src/submissions/due-date';
import { daysBetween } from '../../src/common/dates';
import { Agent, createTestApp, downloadXlsx, regionIds, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

const MONTH = '2026-11';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Who = Agent & { userId: number };
type Snapshot = {
  monthChanges?: number;
  corrections?: number;
  sheets?: { name: string; rows: number; sha256: string }[];
};
/** The sheets whose digest differs between two frozen versions. */
const differing = (a: Snapshot, b: Snapshot) =>
  b.sheets!.filter((x, i) => x.sha256 !== a.sheets![i].sha256).map((x) => x.name);

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
  /** where the 20 concurrent approve/return calls left 源城区's month */
  let raceOutcome: 'approved' | 'returned';

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
      infra: await t.as('infrastructure', ids['龙川县'], 'lc_jijian'),
      fin: await t.as('finance', ids['龙川县'], 'lc_jicai'),
      viewer: await t.as('viewer', ids['龙川县']),
    };
    yc = { infra: await t.as('infrastructure', ids['源城区']) };
    city = {
      infra: await t.as('infrastructure', ids['河源市'], 'hy_jijian'),
      fin: await t.as('finance', ids['河源市'], 'hy_jicai'),
      viewer: await t.as('viewer', ids['河源市']),
    };
    prov = { infra: await t.as('infrastructure', ids['广东省']) };
    other = { infra: await t.as('infrastructure', ids['韶关市']) };
    // 姓名 (issue 30): the county's 基建股 officer and the city's reviewers have one, 计财股 of 龙川 not
    for (const [who, name] of [
      [lc.infra, '李报送'],
      [city.infra, '王审核'],
      [city.fin, '赵财审'],
    ] as const)
      await t.db.transaction((em) => em.update(User, who.userId, { displayName: name }));
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

  it('names the signed-in officer by 姓名 (GET /api/auth/me), null when none was given', async () => {
    const me = await lc.infra.get('/api/auth/me').expect(200);
    expect(me.body).toMatchObject({ username: 'lc_jijian', displayName: '李报送' });
    const fin = await lc.fin.get('/api/auth/me').expect(200);
    expect(fin.body).toMatchObject({ username: 'lc_jicai', displayName: null });
  });

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
      lateDays: 0, // due 2026-12-07, today 2026-12-02
      forced: false,
    });
    // a month past its due day and still 未报送: late by the days so far, as 月报报送 says
    const october = await city.infra.get('/api/submissions?month=2026-10').expect(200);
    expect(october.body.dueOn).toBe(dueOn('2026-10'));
    const late = daysBetween(dueOn('2026-10'), '2026-12-02');
    expect(late).toBeGreaterThan(20);
    expect(
      october.body.items.map((i: { regionName: string; lateDays: number }) => i.lateDays),
    ).toEqual([late, late, late]);
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
      projectCode: null,
      planYear: 2026,
      regionId: ids['龙川县'],
      regionName: '龙川县',
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
      // 报送人: the username kept, the 姓名 beside it (on the submission, its event and its file)
      expect([res.body.submittedBy, res.body.submittedByDisplayName]).toEqual([
        'lc_jijian',
        '李报送',
      ]);
      expect(
        res.body.events.map((e: { actorName: string; actorDisplayName: string | null }) => [
          e.actorName,
          e.actorDisplayName,
        ]),
      ).toEqual([['lc_jijian', '李报送']]);
      expect(res.body.files[0].submittedByDisplayName).toBe('李报送');
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
      // the error names the field the client sent (the form puts the message under it)
      const field = (r: { body: { errors: { path: string; code: string }[] } }) =>
        r.body.errors.map((e) => `${e.path}:${e.code}`);
      expect(field(res)).toEqual(['reportedOn:PERIOD_SUBMITTED']);
      const line = await lc.fin
        .post(`/api/projects/${lcProject}/funding`)
        .send({ source: 'county_budget', receivedWan: '20', receivedOn: '2026-11-28' })
        .expect(409);
      expect(line.body.code).toBe('PERIOD_SUBMITTED');
      expect(field(line)).toEqual(['receivedOn:PERIOD_SUBMITTED']);
      const pay = await lc.fin
        .post(`/api/projects/${lcProject}/payments`)
        .send({ paidOn: '2026-10-03', payee: '某建设公司', amountWan: '1' })
        .expect(409);
      expect(field(pay)).toEqual(['paidOn:PERIOD_SUBMITTED']);
      // every dated write path: a milestone's actual date, a budget revision, a withdrawal (更正),
      // a November payment's deletion, 实际竣工 — old or new day inside November
      const ms = (await lc.infra.get(`/api/projects/${lcProject}/milestones`).expect(200)).body
        .items[0] as { id: number; version: number };
      const m = await lc.infra
        .patch(`/api/projects/${lcProject}/milestones/${ms.id}`)
        .send({ version: ms.version, actualDate: '2026-11-10' })
        .expect(409);
      expect(m.body.code).toBe('PERIOD_SUBMITTED');
      expect(field(m)).toEqual(['actualDate:PERIOD_SUBMITTED']);
      const rev = await lc.fin
        .post(`/api/projects/${lcProject}/budget-revisions`)
        .send({ effectiveOn: '2026-11-15', budgetWan: '1100', reason: '增加围墙' })
        .expect(409);
      expect(field(rev)).toEqual(['effectiveOn:PERIOD_SUBMITTED']);
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
      // a viewer reads (the county's and the city's: list, detail, the frozen file), never writes
      await lc.viewer.get(`/api/submissions/${lcId}`).expect(200);
      const read = await city.viewer.get(`/api/submissions?month=${MONTH}`).expect(200);
      expect(
        read.body.items.map((i: { regionName: string; status: string }) => i.status).sort(),
      ).toEqual(['not_submitted', 'not_submitted', 'submitted']);
      const seen = await city.viewer.get(`/api/submissions/${lcId}`).expect(200);
      expect(seen.body).toMatchObject({
        canReview: false,
        canReopen: false,
        canWithdraw: false,
        reviewerOpenedAt: null, // a viewer reading it is not the reviewer opening it
      });
      const viewed = await downloadXlsx(city.viewer, `/api/submissions/${lcId}/workbook?seq=1`);
      expect(sha(viewed.raw)).toBe(first.sha256);
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
        returnedBy: 'hy_jijian',
        returnedByDisplayName: '王审核',
      });
      expect(ret.body.events.at(-1)).toMatchObject({
        action: 'return',
        actorName: 'hy_jijian',
        actorDisplayName: '王审核',
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
        // 计财股 of 龙川 has no 姓名: the username only
        submittedBy: 'lc_jicai',
        submittedByDisplayName: null,
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
      const [v1, v2] = (res.body.files as { snapshot: Snapshot }[]).map((f) => f.snapshot);
      // what the frozen workbooks differ in beyond the figures: a 进度填报 and a 到位 more in
      // 本月变动 (4 → 6 rows), and the sheets they show in; 项目明细 and the rest unchanged
      expect([v1.monthChanges, v2.monthChanges]).toEqual([4, 6]);
      expect([v1.corrections, v2.corrections]).toEqual([0, 0]);
      expect(differing(v1, v2)).toEqual(['汇总', '进度与资金', '资金来源', '本月变动']);
      expect(v2.sheets!.map((x) => x.name)).toEqual([
        '汇总',
        '项目明细',
        '项目联系人',
        '进度与资金',
        '逾期预警',
        '里程碑',
        '资金来源',
        '本月变动',
        '规划目标',
      ]);
      expect(v2.sheets!.find((x) => x.name === '本月变动')!.rows).toBe(15);
      expect(v2.sheets![0].sha256).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  step('20 concurrent approve/return calls on one version: exactly one wins', async () => {
    const sub = await yc.infra.post('/api/submissions').send({ month: MONTH }).expect(201);
    expect(sub.body.forced).toBe(false);
    const returns = (i: number) => i % 2 === 1; // odd calls return, even ones approve
    const calls = Array.from({ length: 20 }, (_, i) =>
      returns(i)
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
    // the month is where the winning call put it
    raceOutcome = returns(statuses.findIndex((s) => s === 200)) ? 'returned' : 'approved';
    expect(d.body.status).toBe(raceOutcome);
  });

  step(
    'approves; the approved month stays locked; reopening takes the approving level and a reason',
    async () => {
      const ok = await city.fin
        .post(`/api/submissions/${lcId}/approve`)
        .send({ version: 3 })
        .expect(200);
      expect(ok.body).toMatchObject({
        status: 'approved',
        statusLabel: '已通过',
        version: 4,
        approvedBy: 'hy_jicai',
        approvedByDisplayName: '赵财审',
      });
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
        // one 退回 and one 重新打开, told apart
        returnCount: 2,
        reopenCount: 1,
        returnReason: '发现支付记录有误，重新打开',
      });
      const listed = (await city.infra.get(`/api/submissions?month=${MONTH}`).expect(200)).body
        .items as { regionId: number; status: string; returnCount: number; reopenCount: number }[];
      expect(listed.find((s) => s.regionId === ids['龙川县'])).toMatchObject({
        returnCount: 2,
        reopenCount: 1,
      });
      // 源城区's month went through the race above: one 退回 if a return won it, none if an approve did
      expect(listed.find((s) => s.regionId === ids['源城区'])).toMatchObject({
        status: raceOutcome,
        returnCount: raceOutcome === 'returned' ? 1 : 0,
        reopenCount: 0,
      });
    },
  );

  step(
    'withdraws a resubmission before the reviewer opened it; the events tell the whole story',
    async () => {
      const sub = await lc.infra.post('/api/submissions').send({ month: MONTH }).expect(201);
      expect(sub.body).toMatchObject({ version: 6, seq: 3, canWithdraw: true });
      const [, v2, v3] = (sub.body.files as { snapshot: Snapshot }[]).map((f) => f.snapshot);
      // nothing written since the last version: every sheet's digest the same (生成时间 left out)
      expect(differing(v2, v3)).toEqual([]);
      expect([v2.monthChanges, v3.monthChanges]).toEqual([6, 6]);
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
    'a city’s month is checked against its counties (强制报送), locks their projects; the province reviews it',
    async () => {
      // 源城区 was approved or returned by the race above; 龙川县 withdrew
      const yuancheng = (
        await city.infra.get(`/api/submissions?month=${MONTH}`).expect(200)
      ).body.items.find((i: { regionName: string }) => i.regionName === '源城区') as {
        status: string;
      };
      const expected = [
        ...(yuancheng.status === 'approved'
          ? []
          : [`CHILD_NOT_APPROVED:源城区:源城区2026年11月月报已退回，尚未通过审核`]),
        `CHILD_NOT_APPROVED:龙川县:龙川县2026年11月月报已撤回，尚未通过审核`,
      ];
      const checks = await city.infra.get(`/api/submissions/checks?month=${MONTH}`).expect(200);
      const found = (items: { code: string; regionName: string; message: string }[]) =>
        items.map((c) => `${c.code}:${c.regionName}:${c.message}`).sort();
      expect(found(checks.body.items)).toEqual(expected.sort());
      expect(checks.body.items[0]).toMatchObject({ level: 'error', projectId: null });
      const blocked = await city.infra.post('/api/submissions').send({ month: MONTH }).expect(400);
      expect(blocked.body.code).toBe('SUBMISSION_CHECKS_FAILED');
      const sub = await city.infra
        .post('/api/submissions')
        .send({ month: MONTH, force: true, note: '龙川县已撤回，先报市本级' })
        .expect(201);
      expect(sub.body).toMatchObject({ forced: true, forceNote: '龙川县已撤回，先报市本级' });
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

  step('催报 names who reminded: the list and the month’s events', async () => {
    await city.infra
      .post('/api/submissions/remind')
      .send({ month: MONTH, regionId: ids['龙川县'] })
      .expect(202);
    const row = (
      await city.viewer.get(`/api/submissions?month=${MONTH}`).expect(200)
    ).body.items.find((i: { regionName: string }) => i.regionName === '龙川县');
    expect(row).toMatchObject({
      reminders: 1,
      lastRemindedBy: 'hy_jijian',
      lastRemindedByDisplayName: '王审核',
    });
    const d = await lc.infra.get(`/api/submissions/${lcId}`).expect(200);
    expect(d.body.events.at(-1)).toMatchObject({
      action: 'remind',
      actorName: 'hy_jijian',
      actorDisplayName: '王审核',
    });
    expect(d.body.lastRemindedByDisplayName).toBe('王审核');
  });

  step(
    'every frozen version stays downloadable by the county; another county gets 404',
    async () => {
      const d = await lc.infra.get(`/api/submissions/${lcId}`).expect(200);
      expect(d.body.status).toBe('withdrawn');
      for (const f of d.body.files as { seq: number; sha256: string; url: string }[]) {
        const dl = await downloadXlsx(lc.infra, f.url);
        expect([f.seq, sha(dl.raw)]).toEqual([f.seq, f.sha256]);
      }
      await yc.infra.get(`/api/submissions/${lcId}/workbook?seq=2`).expect(404);
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
