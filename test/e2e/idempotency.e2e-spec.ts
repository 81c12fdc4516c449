import { createHook } from 'node:async_hooks';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Payment } from '../../src/funding/funding.entities';
import { IdempotencyKey } from '../../src/idempotency/idempotency-key.entity';
import { IdempotencyService } from '../../src/idempotency/idempotency';
import { ProgressReport } from '../../src/projects/progress-report.entity';
import { Project } from '../../src/projects/project.entity';
import { Agent, createTestApp, TestApp } from '../support/app';
import { DIALECT } from '../support/test-db';

/**
 * Issue 30 points 3 and 4: one write per click (`Idempotency-Key`, kept in the database per user)
 * and a stale progress form that cannot overwrite a newer report. Runs on PostgreSQL too.
 */
describe(`Idempotency-Key and stale progress (${DIALECT})`, () => {
  let t: TestApp;
  let countyId: number;
  let fin: Agent & { userId: number };
  let fin2: Agent & { userId: number };

  beforeAll(async () => {
    t = await createTestApp();
    countyId = (await t.http().get('/api/regions').expect(200)).body.find(
      (r: { level: string; name: string }) => r.level === 'county' && r.name === '连南瑶族自治县',
    ).id;
    fin = await t.as('finance', countyId);
    fin2 = await t.as('finance', countyId);
  });
  afterAll(() => t.close());

  const newProject = async (name: string) =>
    (
      await t
        .http()
        .post('/api/projects')
        .send({ name, regionId: countyId, budgetWan: '500.00' })
        .expect(201)
    ).body.id as number;
  const payments = (projectId: number) => t.db.read.getRepository(Payment).countBy({ projectId });
  const pay = {
    paidOn: '2025-03-01',
    payee: '某建设工程有限公司',
    amountWan: '1200.50',
    reference: '记-2025-031',
  };

  it('puts only the @Idempotent routes through an interceptor (a list page binds no async resource)', async () => {
    // Nest's interceptor chain wraps each step in AsyncResource.bind (type 'bound-anonymous-fn');
    // as a global interceptor it did so for every request, a list page and /api/health included
    const bound: string[] = [];
    const hook = createHook({
      init: (_id, type) => {
        if (type === 'bound-anonymous-fn') bound.push(type);
      },
    }).enable();
    try {
      await fin.get(`/api/projects?regionId=${countyId}&pageSize=5`).expect(200);
      await t.http().get('/api/health').expect(200);
      expect(bound).toEqual([]);
      const id = await newProject('幂等测试项目链');
      expect(bound.length).toBeGreaterThanOrEqual(2); // the creating POST is intercepted
      expect(id).toBeGreaterThan(0);
    } finally {
      hook.disable();
    }
  });

  it('answers a repeated key with the first answer and writes once', async () => {
    const id = await newProject('幂等测试项目甲');
    const first = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-a-1')
      .send(pay)
      .expect(201);
    expect(first.body).toMatchObject({
      amountWan: '1200.50',
      reference: '记-2025-031',
      version: 1,
    });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // the same body with its keys in another order is the same request
    const again = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-a-1')
      .send({
        reference: pay.reference,
        amountWan: pay.amountWan,
        payee: pay.payee,
        paidOn: pay.paidOn,
      })
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await payments(id)).toBe(1);
    const audits = await t.db.read
      .getRepository(AuditLog)
      .countBy({ projectId: id, entity: 'payment', action: 'create' });
    expect(audits).toBe(1);
    const money = (await t.http().get(`/api/projects/${id}/funding`).expect(200)).body;
    expect(money.summary.paidWan).toBe('1200.50');
  });

  it('gives 20 concurrent repeats one row and the same answer', async () => {
    const id = await newProject('幂等测试项目乙');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fin.post(`/api/projects/${id}/payments`).set('Idempotency-Key', 'pay-b-20').send(pay),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const bodies = new Set(answers.map((a) => JSON.stringify(a.body)));
    expect(bodies.size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await payments(id)).toBe(1);
    const keys = await t.db.read
      .getRepository(IdempotencyKey)
      .findBy({ userId: fin.userId, key: 'pay-b-20' });
    expect(keys.map((k) => k.statusCode)).toEqual([201]);
  });

  it('also for 20 concurrent project creations', async () => {
    const body = { name: '幂等并发新建项目', regionId: countyId, budgetWan: '88.88' };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http().post('/api/projects').set('Idempotency-Key', 'proj-20').send(body),
      ),
    );
    expect(new Set(answers.map((a) => `${a.status} ${JSON.stringify(a.body)}`)).size).toBe(1);
    expect(answers[0].status).toBe(201);
    expect(await t.db.read.getRepository(Project).countBy({ name: '幂等并发新建项目' })).toBe(1);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing written', async () => {
    const id = await newProject('幂等测试项目丙');
    await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-c-1')
      .send(pay)
      .expect(201);
    const other = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-c-1')
      .send({ ...pay, amountWan: '1200.51' })
      .expect(422);
    expect(other.body).toMatchObject({
      statusCode: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: '本次提交与同一标识的首次提交内容不一致，未保存；请刷新后重新提交',
    });
    // another route with the same key is another request too
    await fin
      .post(`/api/projects/${id}/funding`)
      .set('Idempotency-Key', 'pay-c-1')
      .send(pay)
      .expect(422);
    expect(await payments(id)).toBe(1);
  });

  it('keeps keys per user', async () => {
    const id = await newProject('幂等测试项目丁');
    const a = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'same-key')
      .send(pay)
      .expect(201);
    const b = await fin2
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'same-key')
      .send(pay)
      .expect(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.id).not.toBe(a.body.id);
    expect(await payments(id)).toBe(2);
  });

  it('writes every request without a key, stores a refused answer, refuses a malformed key', async () => {
    const id = await newProject('幂等测试项目戊');
    await fin.post(`/api/projects/${id}/payments`).send(pay).expect(201);
    await fin.post(`/api/projects/${id}/payments`).send(pay).expect(201);
    expect(await payments(id)).toBe(2);
    const bad = { ...pay, amountWan: '0' };
    const r1 = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-e-bad')
      .send(bad)
      .expect(400);
    const r2 = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-e-bad')
      .send(bad)
      .expect(400);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(r2.body).toEqual(r1.body);
    expect(r1.body.errors[0]).toMatchObject({ path: 'amountWan', code: 'AMOUNT_MUST_BE_POSITIVE' });
    const malformed = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'x'.repeat(101))
      .send(pay)
      .expect(400);
    expect(malformed.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await payments(id)).toBe(2);
  });

  it('forgets a key after 24 hours and purges it', async () => {
    const id = await newProject('幂等测试项目己');
    const keys = t.db.write.getRepository(IdempotencyKey);
    const first = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-f-1')
      .send(pay)
      .expect(201);
    const row = await keys.findOneByOrFail({ userId: fin.userId, key: 'pay-f-1' });
    // kept exactly 24 hours from the first arrival
    expect(Date.parse(row.expiresAt) - Date.parse(row.createdAt)).toBe(24 * 3_600_000);
    const past = new Date(t.now().getTime() - 1000).toISOString();
    await t.db.transaction((em) => em.update(IdempotencyKey, { id: row.id }, { expiresAt: past }));
    const later = await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-f-1')
      .send(pay)
      .expect(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.body.id).not.toBe(first.body.id);
    expect(await payments(id)).toBe(2);
    // the purge deletes exactly the expired keys
    await fin
      .post(`/api/projects/${id}/payments`)
      .set('Idempotency-Key', 'pay-f-2')
      .send(pay)
      .expect(201);
    await t.db.transaction((em) =>
      em.update(IdempotencyKey, { userId: fin.userId, key: 'pay-f-2' }, { expiresAt: past }),
    );
    expect(await t.app.get(IdempotencyService).purgeExpired()).toBe(1);
    expect(await keys.countBy({ userId: fin.userId, key: 'pay-f-2' })).toBe(0);
    expect(await keys.countBy({ userId: fin.userId, key: 'pay-f-1' })).toBe(1);
  });

  it('warns of a 凭证号 already used on the project', async () => {
    const id = await newProject('幂等测试项目庚');
    const check = (reference: string) =>
      fin
        .get(
          `/api/projects/${id}/payments/reference-check?reference=${encodeURIComponent(reference)}`,
        )
        .expect(200);
    expect((await check('记-2025-031')).body).toEqual({
      reference: '记-2025-031',
      used: false,
      message: null,
      payments: [],
    });
    await fin.post(`/api/projects/${id}/payments`).send(pay).expect(201);
    const used = (await check(' 记-2025-031 ')).body;
    expect(used).toMatchObject({
      reference: '记-2025-031',
      used: true,
      message: '该凭证号已用于本项目的其他支付记录',
    });
    expect(used.payments.map((p: { amountWan: string }) => p.amountWan)).toEqual(['1200.50']);
  });

  describe('expectedLatestReportId', () => {
    const report = (id: number, body: object) =>
      t.http().post(`/api/projects/${id}/progress`).send(body);

    it('refuses a form filled against an older latest report: 409 STALE_PROGRESS', async () => {
      const id = await newProject('陈旧填报测试项目');
      const first = await report(id, {
        reportedOn: '2026-11-10',
        status: 'preparing',
        progressPercent: 0,
        expectedLatestReportId: null,
      }).expect(201);
      // tab A files on top of the first report
      const a = await report(id, {
        reportedOn: '2026-11-20',
        status: 'under_construction',
        progressPercent: 20,
        expectedLatestReportId: first.body.id,
      }).expect(201);
      // tab B still shows the first report
      const stale = await report(id, {
        reportedOn: '2026-11-25',
        status: 'under_construction',
        progressPercent: 10,
        expectedLatestReportId: first.body.id,
      }).expect(409);
      expect(stale.body).toMatchObject({
        statusCode: 409,
        code: 'STALE_PROGRESS',
        message: '该项目已有更新的填报（2026-11-20 在建 20%），请刷新后再填',
        latestReport: {
          id: a.body.id,
          reportedOn: '2026-11-20',
          status: 'under_construction',
          progressPercent: 20,
        },
      });
      // "none shown" while one exists is stale too
      await report(id, {
        reportedOn: '2026-11-25',
        status: 'under_construction',
        progressPercent: 10,
        expectedLatestReportId: null,
      }).expect(409);
      const rows = await t.db.read.getRepository(ProgressReport).findBy({ projectId: id });
      expect(rows.map((r) => r.progressPercent).sort()).toEqual([0, 20]);
      const p = (await t.http().get(`/api/projects/${id}`).expect(200)).body;
      expect(p).toMatchObject({ status: 'under_construction', progressPercent: 20 });
      // refreshed, the form files
      await report(id, {
        reportedOn: '2026-11-25',
        status: 'under_construction',
        progressPercent: 25,
        expectedLatestReportId: a.body.id,
      }).expect(201);
      // without the field nothing is checked (older clients)
      await report(id, {
        reportedOn: '2026-11-26',
        status: 'under_construction',
        progressPercent: 26,
      }).expect(201);
    });
  });
});
