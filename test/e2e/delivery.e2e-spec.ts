import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AlertDelivery, AlertDeliveryAttempt } from '../../src/alerts/alert.entities';
import {
  NotificationChannel,
  SharedLink,
  SharedLinkDownload,
} from '../../src/alerts/channel.entities';
import { ChannelsService } from '../../src/alerts/channels.service';
import { DeliveryWorker } from '../../src/alerts/delivery.worker';
import { AppModule } from '../../src/app.module';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { User } from '../../src/auth/user.entity';
import { Clock } from '../../src/common/clock';
import { SubmissionFile } from '../../src/submissions/submission.entities';
import { Agent, binary, createTestApp, pinClock, regionIds, TestApp } from '../support/app';
import { RobotCall, startRobots, startSmtp } from '../support/robots';
import { DIALECT } from '../support/test-db';

const MONTH = '2026-11';
const LC_KEY = 'lc-wecom-key-7f3a9c21e5';
const HY_KEY = 'hy-wecom-key-0b8d44aa19';
const BAD_KEY = 'bad-wecom-key-93000000';
const LC_TOKEN = 'lc-dingtalk-token-5e6f7a8b';
const LC_SECRET = 'SEC7d1e0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1';
const HY_TOKEN = 'hy-dingtalk-token-1a2b3c4d';
const HY_SECRET = 'SECfeedfacecafebeef0123456789abcdef0123456789abcdef0123456789abcd';
const NAME = `龙川县学校建设项目月度进展报表-${MONTH}-第1次报送.xlsx`;

const markdownOf = (c: RobotCall): string => {
  const md = c.body.markdown as { content?: string; text?: string } | undefined;
  return md?.content ?? md?.text ?? '';
};

/**
 * Issue 34: the regions' channels — 企业微信 (the workbook uploaded, then a file message), 钉钉 (加签,
 * a download link), e-mail (the workbook attached) — against real protocol servers on 127.0.0.1.
 */
describe(`delivery to 企业微信, 钉钉 and e-mail (${DIALECT})`, () => {
  let t: TestApp;
  let dir: string;
  let ids: Record<string, number>;
  let robots: Awaited<ReturnType<typeof startRobots>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hyAdmin: Agent;
  let lcInfra: Agent & { userId: number };
  let cityInfra: Agent;
  /** K1's first file message hangs: the instance sending it is then "gone". */
  let hangFile = true;
  let frozen: Buffer;
  let submissionId: number;
  let second: INestApplicationContext | null = null;
  /** While true, the first instance never records 龙川's hung file message (it has "died"). */
  let hung = true;
  let lcWecomId = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-'));
    robots = await startRobots({
      secrets: { [LC_TOKEN]: LC_SECRET, [HY_TOKEN]: HY_SECRET },
      answer: (c) => {
        if (c.robot === BAD_KEY)
          return { errcode: 93000, errmsg: 'invalid webhook url, hint: [1733456789_abc]' };
        if (
          c.kind === 'wecom-send' &&
          c.robot === LC_KEY &&
          c.body.msgtype === 'file' &&
          hangFile
        ) {
          hangFile = false;
          return 'hang';
        }
        return undefined;
      },
    });
    smtp = await startSmtp();
    t = await createTestApp({
      env: {
        SUBMISSIONS_DIR: dir,
        SMTP_URL: smtp.url,
        SMTP_FROM: '县教育局 <jiaoyuju@example.cn>',
        PUBLIC_URL: 'https://tracker.example.cn/',
        ALERT_WEBHOOK_TIMEOUT_MS: '3000',
        ALERT_RETRY_BASE_MS: '0',
        ALERT_MAX_ATTEMPTS: '3',
        // the fake robots' server stands in for qyapi.weixin.qq.com and oapi.dingtalk.com
        ROBOT_ORIGINS: robots.origin,
      },
    });
    ids = await regionIds(t);
    hyAdmin = await t.as('admin', ids['河源市']);
    lcInfra = await t.as('infrastructure', ids['龙川县']);
    cityInfra = await t.as('infrastructure', ids['河源市']);
    // the groups read 姓名: 龙川's officer has one, the city's reviewer none (its login is used)
    await t.db.write.getRepository(User).update(lcInfra.userId, { displayName: '李基建' });
    const project = (
      await t
        .http()
        .post('/api/projects')
        .send({
          name: '龙川县通知测试小学',
          regionId: ids['龙川县'],
          planYear: 2026,
          budgetWan: '1234.5678',
          plannedCompletion: '2027-08',
        })
        .expect(201)
    ).body.id as number;
    await t
      .http()
      .post(`/api/projects/${project}/progress`)
      .send({ reportedOn: '2026-11-20', status: 'under_construction', progressPercent: 30 })
      .expect(201);
  });

  afterAll(async () => {
    await robots?.close();
    await smtp?.close();
    await second?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const steps: { name: string; run: () => Promise<void> }[] = [];
  const step = (name: string, run: () => Promise<void>) => steps.push({ name, run });

  step(
    'sets a county’s channels; secrets are write-only, URLs masked, audited without them',
    async () => {
      const lc = ids['龙川县'];
      const put = await hyAdmin
        .put(`/api/regions/${lc}/channels`)
        .send({
          channels: [
            {
              kind: 'wecom',
              name: '龙川局长群',
              url: robots.wecom(LC_KEY),
              topics: ['reports', 'submissions'],
            },
            {
              kind: 'dingtalk',
              url: robots.dingtalk(LC_TOKEN),
              secret: LC_SECRET,
              topics: ['reports', 'reminders'],
            },
            {
              kind: 'email',
              recipients: ['juzhang@lc.example.cn', 'caiwu@lc.example.cn'],
              topics: ['reports'],
            },
          ],
        })
        .expect(200);
      lcWecomId = put.body.channels[0].id as number;
      expect(
        put.body.channels.map((c: { kind: string; url: string | null; hasSecret: boolean }) => [
          c.kind,
          c.url,
          c.hasSecret,
        ]),
      ).toEqual([
        ['wecom', robots.wecom(`••••${LC_KEY.slice(-4)}`), false],
        ['dingtalk', robots.dingtalk(`••••${LC_TOKEN.slice(-4)}`), true],
        ['email', null, false],
      ]);
      const got = await hyAdmin.get(`/api/regions/${lc}/channels`).expect(200);
      for (const secret of [LC_SECRET, LC_KEY, LC_TOKEN]) {
        expect(JSON.stringify(put.body)).not.toContain(secret);
        expect(JSON.stringify(got.body)).not.toContain(secret);
      }
      expect(got.body).toMatchObject({
        regionName: '龙川县',
        emailConfigured: true,
        alertsFrom: null,
      });
      expect(got.body.channels[2]).toMatchObject({
        kindLabel: '邮件',
        recipients: ['juzhang@lc.example.cn', 'caiwu@lc.example.cn'],
        topics: ['reports'],
      });

      // saved again as the screen does (the masked URL, no secret): both are kept
      await hyAdmin
        .put(`/api/regions/${lc}/channels`)
        .send({
          channels: got.body.channels.map((c: Record<string, unknown>) => ({
            id: c.id,
            kind: c.kind,
            name: c.name,
            url: c.url ?? undefined,
            recipients: c.recipients,
            topics: c.topics,
          })),
        })
        .expect(200);
      const audit = await t.db.read
        .getRepository(AuditLog)
        .findBy({ entity: 'notification_channel', entityId: lc });
      expect(audit).toHaveLength(1); // the second save changed nothing
      for (const secret of [LC_SECRET, LC_KEY, LC_TOKEN])
        expect(JSON.stringify(audit)).not.toContain(secret);

      // the masked address edited (another host, a parameter appended) is refused, not dropped;
      // a complete new address replaces the stored one (QA issue 34, item 2)
      const masked = got.body.channels[0].url as string;
      const edit = (url: string) =>
        hyAdmin.put(`/api/regions/${lc}/channels`).send({
          channels: got.body.channels.map((c: Record<string, unknown>, i: number) => ({
            id: c.id,
            kind: c.kind,
            url: i === 0 ? url : (c.url ?? undefined),
            recipients: c.recipients,
            topics: c.topics,
          })),
        });
      for (const url of [`${masked}&debug=1`, masked.replace('127.0.0.1', 'localhost')]) {
        const r = await edit(url).expect(400);
        expect(r.body.errors).toEqual([
          expect.objectContaining({
            path: 'channels[0].url',
            code: 'CHANNEL_URL_MASKED',
            message: '修改地址须粘贴完整的机器人地址（显示的地址中密钥已隐藏，不能在其上修改）',
          }),
        ]);
      }
      const stored = async () =>
        (
          await t.db.read
            .getRepository(NotificationChannel)
            .findOneByOrFail({ id: got.body.channels[0].id })
        ).url;
      expect(await stored()).toBe(robots.wecom(LC_KEY));
      await edit(`${robots.wecom(LC_KEY)}&debug=1`).expect(200);
      expect(await stored()).toBe(`${robots.wecom(LC_KEY)}&debug=1`);
      await edit('').expect(200); // empty: kept
      expect(await stored()).toBe(`${robots.wecom(LC_KEY)}&debug=1`);
      await edit(robots.wecom(LC_KEY)).expect(200);
      expect(await stored()).toBe(robots.wecom(LC_KEY));

      // the city's own: a 企业微信 and a 钉钉 robot
      await hyAdmin
        .put(`/api/regions/${ids['河源市']}/channels`)
        .send({
          channels: [
            {
              kind: 'wecom',
              url: robots.wecom(HY_KEY),
              topics: ['reports', 'submissions', 'alerts'],
            },
            {
              kind: 'dingtalk',
              url: robots.dingtalk(HY_TOKEN),
              secret: HY_SECRET,
              topics: ['reports'],
            },
          ],
        })
        .expect(200);
      // 源城区 has none of its own: its alerts go to the city's
      const yc = await hyAdmin.get(`/api/regions/${ids['源城区']}/channels`).expect(200);
      expect(yc.body.alertsFrom).toEqual({ regionId: ids['河源市'], regionName: '河源市' });

      // refused: bad URLs and addresses, an officer, an admin of another city
      const bad = await hyAdmin
        .put(`/api/regions/${lc}/channels`)
        .send({
          channels: [
            { kind: 'wecom', url: robots.dingtalk('x'), topics: ['reports'] },
            { kind: 'email', recipients: ['不是邮箱'], topics: ['reports'] },
            { kind: 'dingtalk', url: 'ftp://x', topics: [] },
            // the app itself, and any server but the robots' (ROBOT_ORIGINS)
            { kind: 'wecom', url: 'http://127.0.0.1:3556/api/health?key=1', topics: ['alerts'] },
            {
              kind: 'dingtalk',
              url: 'https://oapi.dingtalk.com.example.cn/robot/send?access_token=1',
              topics: ['alerts'],
            },
          ],
        })
        .expect(400);
      expect(bad.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
        ['channels[0].url', 'CHANNEL_URL_KIND'],
        ['channels[1].recipients', 'CHANNEL_RECIPIENTS_REQUIRED'],
        ['channels[2].topics', 'CHANNEL_TOPICS_REQUIRED'],
        ['channels[2].url', 'CHANNEL_URL_REQUIRED'],
        ['channels[3].url', 'CHANNEL_URL_ORIGIN'],
        ['channels[4].url', 'CHANNEL_URL_ORIGIN'],
      ]);
      // ROBOT_ORIGINS replaces the defaults: the message names what is allowed here, not the robots'
      expect(bad.body.errors[4].message).toBe(
        `机器人地址须以本系统允许的地址开头：${robots.origin}（由运维在 ROBOT_ORIGINS 中设置）`,
      );
      await lcInfra.get(`/api/regions/${lc}/channels`).expect(403);
      const sg = await t.as('admin', ids['韶关市']);
      await sg.get(`/api/regions/${lc}/channels`).expect(404);
      await sg.get(`/api/deliveries?regionId=${lc}`).expect(404);
    },
  );

  step('发送测试消息: a signed 钉钉 message, sent at once and logged', async () => {
    const lc = ids['龙川县'];
    const channels = (await hyAdmin.get(`/api/regions/${lc}/channels`).expect(200)).body.channels;
    const r = await hyAdmin
      .post(`/api/regions/${lc}/channels/test`)
      .send({ channelId: channels[1].id })
      .expect(200);
    expect(r.body).toMatchObject({
      status: 'sent',
      statusLabel: '已发送',
      topic: 'test',
      topicLabel: '测试消息',
      title: '【测试消息】龙川县通知设置',
      channelKind: 'dingtalk',
      attempts: 1,
      lastError: null,
    });
    const call = robots.calls.filter((c) => c.kind === 'dingtalk');
    expect(call).toHaveLength(1);
    expect(call[0].signed).toBe(true);
    expect(call[0].body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '【测试消息】龙川县通知设置' },
    });
  });

  step(
    'approval sends the frozen workbook: 企业微信 file, 钉钉 link, e-mail attachment',
    async () => {
      const sub = await lcInfra
        .post('/api/submissions')
        .send({ month: MONTH, force: true, note: '测试' })
        .expect(201);
      submissionId = sub.body.id;
      const f = await t.db.read
        .getRepository(SubmissionFile)
        .findOneByOrFail({ submissionId, seq: 1 });
      frozen = fs.readFileSync(path.join(dir, f.filePath));
      await t.app.get(DeliveryWorker).runOnce();
      // the city hears of the submission (submissions topic)
      const hy = robots.calls.filter((c) => c.robot === HY_KEY);
      expect(hy.map(markdownOf)[0]).toMatch(
        /^### 【月报已报送】龙川县 2026年11月月报\n> 龙川县已报送2026年11月月报（第1次报送），请审核。\n> 报送人：李基建\n> 项目：/,
      );
      expect(markdownOf(hy[0])).toContain('> 资金测算：1,234.57万元');

      await cityInfra.get(`/api/submissions/${submissionId}`).expect(200);
      await cityInfra
        .post(`/api/submissions/${submissionId}/approve`)
        .send({ version: 1 })
        .expect(200);
      // a pass of this instance (as the background one would) hangs on 龙川's file message
      // and then "dies": it records nothing more for that message (a crash between the request and
      // its answer), while its other messages are recorded as usual
      const workerA = t.app.get(DeliveryWorker) as unknown as {
        record: (d: AlertDelivery, ...rest: unknown[]) => Promise<void>;
      };
      const record = workerA.record.bind(workerA);
      jest
        .spyOn(workerA, 'record')
        .mockImplementation((d, ...rest) =>
          d.channelId === lcWecomId &&
          d.stateKey.startsWith('report:') &&
          d.progress?.mediaId &&
          hung
            ? Promise.resolve()
            : record(d, ...rest),
        );
      void t.app.get(DeliveryWorker).runOnce();
      for (
        let i = 0;
        i < 100 && !robots.calls.some((c) => c.robot === LC_KEY && c.body.msgtype === 'file');
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < 100 && smtp.mails.length < 1; i++)
        await new Promise((r) => setTimeout(r, 50));

      // e-mail: the Chinese subject, the workbook attached byte for byte under its Chinese name
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0];
      expect(mail.subject).toBe('【月报】龙川县 2026年11月月报（已审核通过）');
      expect(smtp.envelopes[0]).toEqual(['juzhang@lc.example.cn', 'caiwu@lc.example.cn']);
      expect(mail.from?.text).toContain('jiaoyuju@example.cn');
      expect(mail.text).toMatch(/状态：已审核通过（审核人：infrastructure_\d+_\d+）/); // no 姓名: login
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0].filename).toBe(NAME);
      expect(Buffer.compare(mail.attachments[0].content, frozen)).toBe(0);

      // 钉钉: signed markdown carrying a link that downloads the exact bytes without a session
      const dt = robots.calls.filter((c) => c.robot === LC_TOKEN).slice(1); // after the test message
      expect(dt).toHaveLength(1);
      expect(dt[0].signed).toBe(true);
      const text = markdownOf(dt[0]);
      expect(text).toContain('### 【月报】龙川县 2026年11月月报（已审核通过）');
      const link =
        /\[(.+?)\]\((https:\/\/tracker\.example\.cn\/api\/shared\/([A-Za-z0-9_-]+))\)/.exec(text);
      expect(link?.[1]).toBe(NAME);
      const res = await t
        .anon()
        .get(`/api/shared/${link?.[3]}`)
        .buffer(true)
        .parse(binary as never)
        .expect(200);
      expect(Buffer.compare(res.body as Buffer, frozen)).toBe(0);
      expect(String(res.headers['content-disposition'])).toContain(
        encodeURIComponent('龙川县学校建设项目月度进展报表'),
      );
      const logged = await t.db.read
        .getRepository(SharedLinkDownload)
        .findBy({ token: link?.[3] ?? '' });
      expect(logged.map((d) => d.status)).toEqual([200]);

      // 企业微信 (city): summary, upload of the exact bytes, a file message naming that media id
      const hyCalls = robots.calls.filter((c) => c.robot === HY_KEY).slice(1);
      expect(hyCalls.map((c) => [c.kind, c.body.msgtype ?? c.body.type])).toEqual([
        ['wecom-send', 'markdown'],
        ['wecom-upload', 'file'],
        ['wecom-send', 'file'],
      ]);
      expect(markdownOf(hyCalls[0])).toContain('> 状态：已审核通过（审核人：');
      expect(hyCalls[1].upload?.fileName).toBe(NAME);
      expect(Buffer.compare(hyCalls[1].upload?.bytes ?? Buffer.alloc(0), frozen)).toBe(0);
      expect(hyCalls[1].mediaId).toMatch(/^MEDIA-hy-wecom-key-0b8d44aa19-\d$/);
      expect(hyCalls[2].body.file).toEqual({ media_id: hyCalls[1].mediaId });
    },
  );

  step(
    'a restart during the batch sends nothing twice: the other instance resumes at the file',
    async () => {
      const lcCalls = () => robots.calls.filter((c) => c.robot === LC_KEY);
      expect(lcCalls().map((c) => [c.kind, c.body.msgtype ?? c.body.type])).toEqual([
        ['wecom-send', 'markdown'], // 月报已通过 (submissions)
        ['wecom-send', 'markdown'], // the report's summary
        ['wecom-upload', 'file'],
        ['wecom-send', 'file'], // never answered: this instance is "gone"
      ]);
      const row = await t.db.write.getRepository(AlertDelivery).findOneByOrFail({
        target: `channel:${(await hyAdmin.get(`/api/regions/${ids['龙川县']}/channels`)).body.channels[0].id}`,
        stateKey: `report:${submissionId}:1`,
      });
      expect(row.status).toBe('sending');
      expect(row.progress).toEqual({
        summarySent: true,
        mediaId: lcCalls()[2].mediaId,
        mediaAt: expect.any(String),
      });

      // another instance on the same database, on the test's time (from its start on: its session
      // pruning must see the test's sessions as fresh): nothing to send while the claim holds
      // its clock: just before the claim runs out, then just after (however long it took to start)
      const lockedUntil = Date.parse(row.lockedUntil ?? '');
      let at = lockedUntil - 1000;
      const spy = jest.spyOn(Clock.prototype, 'now').mockImplementation(() => new Date(at));
      try {
        second = await NestFactory.createApplicationContext(AppModule.forRoot(t.config), {
          logger: false,
        });
        await second.init();
        expect(await second.get(DeliveryWorker).runOnce()).toBe(0);
        // the claim runs out: it sends the file message only, with the media id already uploaded
        at = lockedUntil + 1000;
        expect(await second.get(DeliveryWorker).runOnce()).toBe(1);
        await second.close();
        second = null;
      } finally {
        spy.mockRestore();
      }
      expect(lcCalls().map((c) => [c.kind, c.body.msgtype ?? c.body.type])).toEqual([
        ['wecom-send', 'markdown'],
        ['wecom-send', 'markdown'],
        ['wecom-upload', 'file'],
        ['wecom-send', 'file'],
        ['wecom-send', 'file'],
      ]);
      expect(lcCalls()[4].body.file).toEqual({ media_id: lcCalls()[2].mediaId });
      const after = await t.db.write.getRepository(AlertDelivery).findOneByOrFail({ id: row.id });
      expect([after.status, after.attempts]).toEqual(['sent', 1]);
      // the first instance's hung request ends; it does not overwrite what was sent
      await t.app.get(DeliveryWorker).runOnce();
      await new Promise((r) => setTimeout(r, 3500));
      hung = false;
      await t.app.get(DeliveryWorker).runOnce();
      const still = await t.db.write.getRepository(AlertDelivery).findOneByOrFail({ id: row.id });
      expect([still.status, still.attempts]).toEqual(['sent', 1]);
      expect(lcCalls()).toHaveLength(5);
      // every other robot got each message once
      expect(robots.calls.filter((c) => c.robot === HY_KEY)).toHaveLength(4);
      expect(robots.calls.filter((c) => c.robot === LC_TOKEN)).toHaveLength(2);
      expect(robots.calls.filter((c) => c.robot === HY_TOKEN)).toHaveLength(1);
      expect(smtp.mails).toHaveLength(1);
    },
  );

  step(
    'a failing robot is retried, then `failed` with its own errcode text in the log',
    async () => {
      const lc = ids['龙川县'];
      const current = (await hyAdmin.get(`/api/regions/${lc}/channels`).expect(200)).body.channels;
      await hyAdmin
        .put(`/api/regions/${lc}/channels`)
        .send({
          channels: [
            ...current.map((c: Record<string, unknown>) => ({
              id: c.id,
              kind: c.kind,
              url: c.url ?? undefined,
              recipients: c.recipients,
              topics: c.topics,
            })),
            {
              kind: 'wecom',
              name: '失效机器人',
              url: robots.wecom(BAD_KEY),
              topics: ['reminders'],
            },
          ],
        })
        .expect(200);
      await cityInfra
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: lc })
        .expect(202);
      const worker = t.app.get(DeliveryWorker);
      for (let i = 0; i < 4; i++) await worker.runOnce();
      expect(robots.calls.filter((c) => c.robot === BAD_KEY)).toHaveLength(3);
      const log = (await hyAdmin.get(`/api/deliveries?regionId=${lc}&status=dead`).expect(200))
        .body;
      expect(log.items).toHaveLength(1);
      expect(log.items[0]).toMatchObject({
        channelLabel: '失效机器人',
        topic: 'reminders',
        topicLabel: '催报',
        status: 'dead',
        statusLabel: '失败',
        attempts: 3,
        // in Chinese, not the robot's raw body
        lastError: '企业微信返回 93000：机器人地址无效，请重新复制 Webhook 地址',
      });
      expect(log.items[0].title).toMatch(/^【催报】龙川县 2026年10月月报$/);
      const attempts = await t.db.read
        .getRepository(AlertDeliveryAttempt)
        .findBy({ deliveryId: log.items[0].id });
      expect(attempts.map((a) => [a.ok, a.error?.slice(0, 12)])).toEqual([
        [false, '企业微信返回 93000'],
        [false, '企业微信返回 93000'],
        [false, '企业微信返回 93000'],
      ]);
      // the same reminder reached the signed 钉钉 robot once
      const dt = robots.calls.filter((c) => c.robot === LC_TOKEN);
      expect(dt).toHaveLength(3);
      expect(dt[2].signed).toBe(true);
      expect(markdownOf(dt[2])).toContain('催报：龙川县2026年10月月报尚未报送');
      // 发送测试消息 to the failing robot: one attempt, the answer in Chinese, no retry after
      const bad = (await hyAdmin.get(`/api/regions/${lc}/channels`).expect(200)).body.channels.find(
        (c: { name: string | null }) => c.name === '失效机器人',
      );
      const calls = robots.calls.filter((c) => c.robot === BAD_KEY).length;
      const tested = await hyAdmin
        .post(`/api/regions/${lc}/channels/test`)
        .send({ channelId: bad.id })
        .expect(200);
      expect(tested.body).toMatchObject({
        status: 'dead',
        statusLabel: '失败',
        attempts: 1,
        lastError: '企业微信返回 93000：机器人地址无效，请重新复制 Webhook 地址',
      });
      for (let i = 0; i < 3; i++) await worker.runOnce();
      expect(robots.calls.filter((c) => c.robot === BAD_KEY)).toHaveLength(calls + 1);
      const testRow = await t.db.read
        .getRepository(AlertDelivery)
        .findOneByOrFail({ id: tested.body.id });
      expect([testRow.status, testRow.attempts]).toEqual(['dead', 1]);

      // the log: newest first, secrets nowhere
      const all = (await hyAdmin.get('/api/deliveries?pageSize=50').expect(200)).body;
      expect(all.items[0].id).toBeGreaterThan(all.items[1].id);
      for (const secret of [LC_SECRET, LC_KEY, LC_TOKEN, HY_SECRET, HY_KEY, BAD_KEY])
        expect(JSON.stringify(all)).not.toContain(secret);
    },
  );

  step(
    'alerts of a region without channels go to its nearest ancestor’s (源城区 → 河源市)',
    async () => {
      const before = robots.calls.length;
      await t
        .http()
        .post('/api/projects')
        .send({
          name: '源城区通知测试中学',
          regionId: ids['源城区'],
          planYear: 2025,
          budgetWan: '800',
          plannedCompletion: '2026-06',
        })
        .expect(201);
      await t.app.get(DeliveryWorker).runOnce();
      const sent = robots.calls.slice(before);
      // only the city's robot subscribed to 预警 (龙川's channels are its own, and not for alerts)
      expect([...new Set(sent.map((c) => c.robot))]).toEqual([HY_KEY]);
      const overdue = sent.map(markdownOf).find((m) => m.includes('项目逾期：源城区通知测试中学'));
      expect(overdue).toMatch(
        /^### <font color="warning">【红色预警】项目逾期：源城区通知测试中学<\/font>\n> 地区：源城区\n> 项目：源城区通知测试中学\n/,
      );
      const log = (await hyAdmin.get(`/api/deliveries?regionId=${ids['源城区']}`).expect(200)).body
        .items as { topic: string; status: string; title: string }[];
      expect(log.find((d) => d.title === '【红色预警】项目逾期：源城区通知测试中学')).toMatchObject(
        {
          topic: 'alerts',
          status: 'sent',
        },
      );
    },
  );

  step(
    'a 催报 that finds no channel is logged as 未发送, and the list says it reached no one',
    async () => {
      const yc = ids['源城区'];
      const r = await cityInfra
        .post('/api/submissions/remind')
        .send({ month: '2026-10', regionId: yc })
        .expect(202);
      const log = (await hyAdmin.get(`/api/deliveries?regionId=${yc}&status=skipped`).expect(200))
        .body.items;
      expect(log).toEqual([
        expect.objectContaining({
          regionName: '源城区',
          channelId: null,
          channelKind: 'none',
          channelLabel: '未设置通知渠道',
          topic: 'reminders',
          topicLabel: '催报',
          title: '【催报】源城区 2026年10月月报',
          status: 'skipped',
          statusLabel: '未发送',
          attempts: 0,
          lastError: '未发送：未设置通知渠道',
        }),
      ]);
      const row = await t.db.read
        .getRepository(AlertDelivery)
        .findOneByOrFail({ stateKey: `remind:${r.body.eventId}` });
      expect(row.status).toBe('skipped');
      await t.app.get(DeliveryWorker).runOnce(); // never picked up
      expect(
        (await t.db.read.getRepository(AlertDelivery).findOneByOrFail({ id: row.id })).status,
      ).toBe('skipped');
      const list = (await cityInfra.get('/api/submissions?month=2026-10').expect(200)).body.items;
      const item = (id: number) => list.find((i: { regionId: number }) => i.regionId === id);
      expect([item(yc).reminders, item(yc).remindersNote]).toEqual([1, '未送达：未设置通知渠道']);
      // 龙川县's 催报 of October reached its signed 钉钉 robot (the 失效机器人 failed): delivered
      expect([item(ids['龙川县']).reminders, item(ids['龙川县']).remindersNote]).toEqual([1, null]);
    },
  );

  step(
    'deleting a channel cancels its queued messages at once; 加签密钥 checked; the log filter takes sub-regions',
    async () => {
      const yc = ids['源城区'];
      const YC_KEY = 'yc-wecom-key-5d6e7f8a9b';
      // a 加签密钥 that is not one
      const badSecret = await hyAdmin
        .put(`/api/regions/${yc}/channels`)
        .send({
          channels: [
            { kind: 'dingtalk', url: robots.dingtalk('yc-t'), secret: 'abc', topics: ['alerts'] },
          ],
        })
        .expect(400);
      expect(badSecret.body.errors).toEqual([
        expect.objectContaining({
          path: 'channels[0].secret',
          code: 'CHANNEL_SECRET_FORMAT',
          message:
            '加签密钥格式不对：须为钉钉机器人安全设置中“加签”下显示的密钥（SEC 开头，后接约64位字母和数字）',
        }),
      ]);
      const put = await hyAdmin
        .put(`/api/regions/${yc}/channels`)
        .send({ channels: [{ kind: 'wecom', url: robots.wecom(YC_KEY), topics: ['alerts'] }] })
        .expect(200);
      const channelId = put.body.channels[0].id as number;
      await t.db.transaction((em) =>
        t.app.get(ChannelsService).enqueue(em, {
          regionId: yc,
          topic: 'alerts',
          key: 'cancel-test:1',
          title: '【测试】删除渠道前排队的消息',
          lines: ['> 不应发出'],
        }),
      );
      const queued = await t.db.read
        .getRepository(AlertDelivery)
        .findOneByOrFail({ channelId, stateKey: 'cancel-test:1' });
      expect(queued.status).toBe('pending');
      await hyAdmin.put(`/api/regions/${yc}/channels`).send({ channels: [] }).expect(200);
      const after = await t.db.read.getRepository(AlertDelivery).findOneByOrFail({ id: queued.id });
      expect([after.status, after.attempts, after.lastError]).toEqual([
        'cancelled',
        0,
        '已取消：通知渠道已删除',
      ]);
      await t.app.get(DeliveryWorker).runOnce();
      expect(robots.calls.filter((c) => c.robot === YC_KEY)).toEqual([]);
      const shown = (
        await hyAdmin.get(`/api/deliveries?regionId=${yc}&status=cancelled`).expect(200)
      ).body.items;
      expect(
        shown.map((d: { statusLabel: string; channelLabel: string }) => [
          d.statusLabel,
          d.channelLabel,
        ]),
      ).toEqual([['已取消', '（已删除的渠道）']]);
      const audit = await t.db.read
        .getRepository(AuditLog)
        .find({ where: { entity: 'notification_channel', entityId: yc }, order: { id: 'ASC' } });
      expect(audit.at(-1)?.changes.cancelledDeliveries).toEqual({ old: null, new: 1 });

      // 发送记录 for 河源市: its own rows and its counties' (源城区, 龙川县)
      const city = (
        await hyAdmin.get(`/api/deliveries?regionId=${ids['河源市']}&pageSize=200`).expect(200)
      ).body.items as { regionName: string }[];
      expect([...new Set(city.map((d) => d.regionName))].sort()).toEqual(
        ['河源市', '源城区', '龙川县'].sort(),
      );
      const county = (
        await hyAdmin.get(`/api/deliveries?regionId=${ids['龙川县']}&pageSize=200`).expect(200)
      ).body.items as { regionName: string }[];
      expect([...new Set(county.map((d) => d.regionName))]).toEqual(['龙川县']);
    },
  );

  step('a link answers 410 once revoked or expired; every request is logged', async () => {
    const links = await t.db.read
      .getRepository(SharedLink)
      .find({ order: { createdAt: 'ASC', token: 'ASC' } });
    expect(links.map((l) => [l.regionId, l.fileName])).toEqual(
      expect.arrayContaining([
        [ids['龙川县'], NAME],
        [ids['河源市'], NAME],
      ]),
    );
    const [lcLink, hyLink] = [
      links.find((l) => l.regionId === ids['龙川县'])!,
      links.find((l) => l.regionId === ids['河源市'])!,
    ];
    // revoked by the city's admin (an officer may not)
    await lcInfra.delete(`/api/shared/${lcLink.token}`).expect(403);
    const revoked = await hyAdmin.delete(`/api/shared/${lcLink.token}`).expect(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const gone = await t.anon().get(`/api/shared/${lcLink.token}`).expect(410);
    expect(gone.body).toMatchObject({ code: 'LINK_REVOKED', message: '下载链接已被撤销' });
    // expired after REPORT_LINK_DAYS (7)
    await t
      .anon()
      .get(`/api/shared/${hyLink.token}`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const clock = t.app.get(Clock);
    pinClock(clock, new Date(Date.parse(hyLink.createdAt) + 7 * 86_400_000 + 1000).toISOString());
    const expired = await t.anon().get(`/api/shared/${hyLink.token}`).expect(410);
    expect(expired.body.code).toBe('LINK_EXPIRED');
    await t.anon().get('/api/shared/no-such-token').expect(404);
    const log = await t.db.read.getRepository(SharedLinkDownload).find({ order: { id: 'ASC' } });
    expect(log.map((d) => [d.token === lcLink.token ? 'lc' : 'hy', d.status])).toEqual([
      ['lc', 200],
      ['lc', 410],
      ['hy', 200],
      ['hy', 410],
    ]);
    const after = await t.db.read
      .getRepository(SharedLink)
      .findOneByOrFail({ token: hyLink.token });
    expect(after.downloads).toBe(1);
    expect(
      (await t.db.read.getRepository(AuditLog).findBy({ entity: 'shared_link' })).map(
        (a) => a.action,
      ),
    ).toEqual(['revoke']);

    // opened by a browser: a plain Chinese page, same status; JSON for API clients as above
    const html = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (const [token, status, words] of [
      [
        lcLink.token,
        410,
        '链接已被撤销</h1><p>这个下载链接已被发送人撤销，请向发送人索取新的链接。',
      ],
      [hyLink.token, 410, '链接已过期</h1><p>这个下载链接已过有效期，请向发送人索取新的链接。'],
      ['no-such-token', 404, '链接不存在</h1><p>没有找到这个下载链接，请向发送人索取新的链接。'],
    ] as const) {
      const page = await t.anon().get(`/api/shared/${token}`).set('Accept', html).expect(status);
      expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
      expect(page.text).toContain(words);
      expect(page.text).not.toContain('LINK_');
    }
  });

  it('runs the story in order', async () => {
    for (const s of steps) {
      try {
        await s.run();
      } catch (e) {
        if (e instanceof Error) e.message = `step「${s.name}」: ${e.message}`;
        throw e;
      }
    }
  });
});
