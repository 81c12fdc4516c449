import { AuditLog } from '../../src/audit/audit-log.entity';
import { createTestApp, regionIds, TestApp } from '../support/app';

/** Issue 31, item 8: the password rule everywhere a password is set, and 须修改密码. */
describe('passwords: at least 10 characters, not the username, not common; an admin’s must be changed', () => {
  let t: TestApp;
  let region: number;

  beforeAll(async () => {
    t = await createTestApp();
    const regions = await regionIds(t);
    region = regions['连南瑶族自治县'];
  });
  afterAll(() => t.close());

  const TOO_SHORT = { code: 'PASSWORD_TOO_SHORT', message: '密码至少10位' };
  const HAS_NAME = { code: 'PASSWORD_CONTAINS_USERNAME', message: '密码不能包含用户名' };
  const COMMON = { code: 'PASSWORD_TOO_COMMON', message: '密码过于常见，请换一个' };
  const SIMPLE = {
    code: 'PASSWORD_TOO_SIMPLE',
    message: '密码过于简单：不能主要由重复或连续的字母、数字组成（如 1111、1234）',
  };
  /** The three weak passwords of the issue for a user, with what each is told. */
  const weak = (username: string) =>
    [
      ['password1', TOO_SHORT],
      ['Abc12345', TOO_SHORT],
      [username, HAS_NAME],
      // long enough, so the other two rules show on their own
      ['password123', COMMON],
      ['P@ssw0rd123', COMMON],
      [`${username.toUpperCase()}-2026`, HAS_NAME],
      // a common word with a year around it, and runs of keys
      ['Password2026', COMMON],
      ['aaaaaaaaaa', SIMPLE],
      ['Abc1234567', SIMPLE],
    ] as const;

  const create = (username: string, password: string) =>
    t
      .http()
      .post('/api/users')
      .send({ username, password, role: 'infrastructure', regionId: region });
  const login = (username: string, password: string) =>
    t.anon().post('/api/auth/login').send({ username, password });

  it('refuses the weak passwords on create with a 400 naming the field, and creates nothing', async () => {
    for (const [password, error] of weak('ln.keyuan')) {
      const r = await create('ln.keyuan', password).expect(400);
      expect([password, r.body.code, r.body.errors]).toEqual([
        password,
        'VALIDATION_FAILED',
        [{ path: 'password', ...error }],
      ]);
    }
    const users = (await t.http().get('/api/users').expect(200)).body.items as {
      username: string;
    }[];
    expect(users.map((u) => u.username)).not.toContain('ln.keyuan');
    await create('ln.keyuan', 'Initial-Pass-2026').expect(201);
  });

  it('refuses them on an admin’s reset, and the old password still works', async () => {
    const u = (await create('ln.caiwu', 'Initial-Pass-2026').expect(201)).body as { id: number };
    for (const [password, error] of weak('ln.caiwu')) {
      const r = await t
        .http()
        .post(`/api/users/${u.id}/reset-password`)
        .send({ password })
        .expect(400);
      expect([password, r.body.errors]).toEqual([password, [{ path: 'password', ...error }]]);
    }
    await login('ln.caiwu', 'Initial-Pass-2026').expect(200);
  });

  it('refuses them on the user’s own change, and the old password still works', async () => {
    await create('ln.jiaoyan', 'Initial-Pass-2026').expect(201);
    const token = (await login('ln.jiaoyan', 'Initial-Pass-2026').expect(200)).body
      .accessToken as string;
    for (const [password, error] of weak('ln.jiaoyan')) {
      const r = await t
        .withToken(token)
        .post('/api/auth/password')
        .send({ oldPassword: 'Initial-Pass-2026', newPassword: password })
        .expect(400);
      expect([password, r.body.errors]).toEqual([password, [{ path: 'newPassword', ...error }]]);
    }
    await t.withToken(token).get('/api/auth/me').expect(200);
  });

  it('an admin-created user signs in with mustChangePassword true, changes it, and it is false', async () => {
    const created = await create('ln.jijian2', 'Initial-Pass-2026').expect(201);
    expect(created.body.mustChangePassword).toBe(true);
    const first = await login('ln.jijian2', 'Initial-Pass-2026').expect(200);
    expect(first.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
      mustChangePassword: true,
    });
    const token = first.body.accessToken as string;
    // the flag blocks nothing on the API: a script keeps working
    const me = (await t.withToken(token).get('/api/auth/me').expect(200)).body;
    expect(me).toMatchObject({ username: 'ln.jijian2', mustChangePassword: true });
    expect((await t.withToken(token).get('/api/projects').expect(200)).body.total).toBeGreaterThan(
      0,
    );
    const refreshed = await t.withToken(token).post('/api/auth/refresh').expect(200);
    expect(refreshed.body.mustChangePassword).toBe(true);

    const changed = await t
      .withToken(token)
      .post('/api/auth/password')
      .send({ oldPassword: 'Initial-Pass-2026', newPassword: 'Own-Choice-Jijian-7' })
      .expect(200);
    expect(changed.body.mustChangePassword).toBe(false);
    const again = await login('ln.jijian2', 'Own-Choice-Jijian-7').expect(200);
    expect(again.body.mustChangePassword).toBe(false);
    expect(
      (await t.withToken(again.body.accessToken).get('/api/auth/me').expect(200)).body
        .mustChangePassword,
    ).toBe(false);
    const row = (await t.http().get(`/api/users/${created.body.id}`).expect(200)).body;
    expect(row.mustChangePassword).toBe(false);

    // an admin's reset sets it again, until the user changes it once more
    await t
      .http()
      .post(`/api/users/${created.body.id}/reset-password`)
      .send({ password: 'Reset-By-Admin-88' })
      .expect(200);
    expect(
      (await login('ln.jijian2', 'Reset-By-Admin-88').expect(200)).body.mustChangePassword,
    ).toBe(true);

    // audited as every password write: set, cleared, set again — never the password itself
    const entries = await t.db.read.getRepository(AuditLog).find({
      where: { entity: 'user', entityId: created.body.id },
      order: { id: 'ASC' },
    });
    expect(entries.map((e) => [e.action, e.actorName, e.changes.mustChangePassword])).toEqual([
      ['create', 'admin', { old: null, new: true }],
      ['change_password', 'ln.jijian2', { old: true, new: false }],
      ['reset_password', 'admin', { old: false, new: true }],
    ]);
    expect(JSON.stringify(entries.map((e) => e.changes))).not.toMatch(
      /Initial-Pass-2026|Own-Choice-Jijian-7|Reset-By-Admin-88/,
    );
  });
});
