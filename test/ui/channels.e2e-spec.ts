import type { Browser } from 'playwright-core';
import { regionIds, TestApp } from '../support/app';
import { NotificationChannel, SharedLink } from '../../src/alerts/channel.entities';
import { startRobots } from '../support/robots';
import { TEST_NOW } from '../support/app';
import { expectClean, officerContext, screenshot, startApp, stopApp } from './browser';

/**
 * Issue 34: 系统管理 → 通知设置 and 发送记录 in a real browser at 1366×768 — a city admin adds a
 * 钉钉 robot with its 加签 secret, sees it masked, sends a test message to a local receiver that
 * checks the signature, and finds it in 发送记录.
 */
describe('通知设置 and 发送记录, in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let robots: Awaited<ReturnType<typeof startRobots>>;
  const PASSWORD = 'User-Pass-123';
  const TOKEN = 'hy-dingtalk-ui-token-9f8e7d6c';
  const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

  beforeAll(async () => {
    robots = await startRobots({ secrets: { [TOKEN]: SECRET } });
    ({ t, browser, base } = await startApp({ env: { ROBOT_ORIGINS: robots.origin } }));
    const ids = await regionIds(t);
    const u = await t
      .http()
      .post('/api/users')
      .send({
        username: 'hy.admin',
        displayName: '王磊',
        password: PASSWORD,
        role: 'admin',
        regionId: ids['河源市'],
      })
      .expect(201);
    await t.passwordChosen(u.body.id as number);
  });
  afterAll(async () => {
    await stopApp({ t, browser });
    await robots?.close();
  });

  it('adds a 钉钉 robot, masks its secret, sends a signed test message, logs it', async () => {
    // the city has no projects yet: signed in by hand (signIn waits for the project list's rows)
    const ctx = await officerContext(browser, base);
    const page = await ctx.newPage();
    await page.clock.setFixedTime(new Date(TEST_NOW));
    await page.goto('/');
    await page.getByLabel('用户名').fill('hy.admin');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/admin');
    await page.getByRole('tab', { name: '通知设置' }).click();
    const panel = page.locator('[data-test="channels"]');
    await panel.getByText('河源市尚未设置通知渠道。').waitFor();
    await panel.getByRole('button', { name: '新增渠道' }).click();
    const dialog = page.locator('.el-dialog', { hasText: '新增渠道' });
    await dialog
      .locator('.el-form-item', { hasText: '类型' })
      .locator('.el-select__wrapper')
      .click();
    await page.locator('.el-select-dropdown__item', { hasText: '钉钉群机器人' }).click();
    await dialog.getByLabel('名称').fill('局领导群');
    await dialog.getByLabel('机器人地址').fill(robots.dingtalk(TOKEN));
    await dialog.getByLabel('加签密钥').fill(SECRET);
    await screenshot(page, 'channels-01-add-dingtalk');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = panel.locator('[data-table="channels"] .el-table__row');
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 5).map((c) => c.trim())).toEqual([
      '钉钉群机器人',
      '局领导群',
      robots.dingtalk(`••••${TOKEN.slice(-4)}`),
      '••••',
      '预警\n催报\n报送/审核结果\n月报分发',
    ]);
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.content()).not.toContain(TOKEN);

    await row.getByRole('button', { name: '发送测试消息' }).click();
    await panel
      .locator('[data-test="test-result"]')
      .filter({ hasText: '测试消息已发送' })
      .waitFor();
    expect(robots.calls).toHaveLength(1);
    expect(robots.calls[0]).toMatchObject({
      kind: 'dingtalk',
      signed: true,
      body: { msgtype: 'markdown', markdown: { title: '【测试消息】河源市通知设置' } },
    });
    // who sent it, by 姓名
    expect((robots.calls[0].body.markdown as { text: string }).text).toContain('> 发送人：王磊');
    await screenshot(page, 'channels-02-tested');
    await expectClean(page, '通知设置', ['hy.admin', robots.dingtalk(`••••${TOKEN.slice(-4)}`)]);

    await page.getByRole('tab', { name: '发送记录' }).click();
    const log = page.locator('[data-table="deliveries"] .el-table__row');
    await log.first().waitFor();
    const first = (await log.first().locator('td').allInnerTexts()).map((c) => c.trim());
    expect(first.slice(1, 7)).toEqual([
      '河源市',
      '局领导群',
      '测试消息',
      '【测试消息】河源市通知设置',
      '已发送',
      '1',
    ]);
    await screenshot(page, 'channels-03-deliveries');
    await expectClean(page, '发送记录', ['hy.admin']);

    // the tab and the region are in the URL: a reload comes back to 通知设置 of 龙川县
    const ids = await regionIds(t);
    await page.getByRole('tab', { name: '通知设置' }).click();
    await panel.locator('.el-select__wrapper').first().click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '龙川县' }).click();
    await page.waitForURL(
      (u) =>
        u.searchParams.get('tab') === 'channels' &&
        u.searchParams.get('region') === String(ids['龙川县']),
    );
    await page.reload();
    await panel.getByText('龙川县尚未设置通知渠道，预警发送到上级“河源市”的渠道。').waitFor();
    await expect(
      page.getByRole('tab', { name: '通知设置' }).getAttribute('aria-selected'),
    ).resolves.toBe('true');

    // editing the robot: the address field is empty (留空则保持原地址); the masked text edited is refused
    await page.goto(`/admin?tab=channels&region=${ids['河源市']}`);
    await row.getByRole('button', { name: '编辑' }).click();
    const edit = page.locator('.el-dialog', { hasText: '编辑渠道' });
    const url = edit.getByLabel('机器人地址');
    await expect(url.inputValue()).resolves.toBe('');
    await expect(url.getAttribute('placeholder')).resolves.toBe('留空则保持原地址');
    await url.fill(`${robots.dingtalk(`••••${TOKEN.slice(-4)}`)}&debug=1`);
    await edit.getByRole('button', { name: '确定' }).click();
    await edit.getByText('修改地址须粘贴完整的机器人地址').waitFor();
    // emptied again: saved, the stored address kept
    await url.fill('');
    await edit.getByRole('button', { name: '确定' }).click();
    await edit.waitFor({ state: 'hidden' });
    expect((await row.locator('td').allInnerTexts())[2].trim()).toBe(
      robots.dingtalk(`••••${TOKEN.slice(-4)}`),
    );
    const stored = await t.db.read.getRepository(NotificationChannel).findOneByOrFail({
      regionId: ids['河源市'],
    });
    expect([stored.url, stored.secret]).toEqual([robots.dingtalk(TOKEN), SECRET]);

    // a half-filled dialog: a reload asks (the browser's question), staying keeps what was typed
    await panel.getByRole('button', { name: '新增渠道' }).click();
    const add = page.locator('.el-dialog', { hasText: '新增渠道' });
    await add.getByLabel('名称').fill('半截的渠道');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.type();
      void d.dismiss();
    });
    await page.reload({ timeout: 3000 }).catch(() => undefined);
    expect(asked).toBe('beforeunload');
    await expect(add.getByLabel('名称').inputValue()).resolves.toBe('半截的渠道');
    // 取消 asks too; 离开 drops it
    await add.getByRole('button', { name: '取消' }).click();
    const box = page.locator('.el-message-box');
    await box.getByText('有未提交的内容，确定离开吗？').waitFor();
    await box.getByRole('button', { name: '离开' }).click();
    await add.waitFor({ state: 'hidden' });

    // a revoked 钉钉 link opened in the browser: a plain Chinese page
    const token = 'ui-revoked-link-token-0001';
    await t.db.write.getRepository(SharedLink).insert({
      token,
      regionId: ids['河源市'],
      submissionId: 1,
      filePath: 'none.xlsx',
      fileName: '河源市学校建设项目月度进展报表.xlsx',
      createdAt: TEST_NOW,
      expiresAt: '2099-01-01T00:00:00.000Z',
      revokedAt: TEST_NOW,
      revokedBy: 'hy.admin',
      downloads: 0,
    });
    const res = await page.goto(`/api/shared/${token}`);
    expect(res?.status()).toBe(410);
    await page.getByRole('heading', { name: '链接已被撤销' }).waitFor();
    expect(await page.locator('body').innerText()).toContain('请向发送人索取新的链接');
    await screenshot(page, 'channels-04-revoked-link');
  });
});
