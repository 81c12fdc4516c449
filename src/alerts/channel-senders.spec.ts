import { createHmac } from 'node:crypto';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DEFAULT_ROBOT_ORIGINS } from '../config/app-config';
import {
  dingtalkSignedUrl,
  httpErrorText,
  robotErrorText,
  robotUrlProblem,
  RobotRateLimit,
  sendMail,
  wecomUploadUrl,
} from './channel-senders';
import { maskUrl } from './channels.service';

describe('channel senders', () => {
  it('signs a 钉钉 URL with 加签: timestamp and base64(HMAC-SHA256(secret, "timestamp\\nsecret"))', () => {
    const secret = 'SEC000000000000000000000000000000000000000000000000000000000001';
    const url = dingtalkSignedUrl(
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
      secret,
      1733456789000,
    );
    const u = new URL(url);
    expect(u.searchParams.get('access_token')).toBe('abc');
    expect(u.searchParams.get('timestamp')).toBe('1733456789000');
    expect(u.searchParams.get('sign')).toBe(
      createHmac('sha256', secret).update(`1733456789000\n${secret}`).digest('base64'),
    );
    // without a secret the URL is as given
    expect(dingtalkSignedUrl('https://x/robot/send?access_token=abc', null, 1)).toBe(
      'https://x/robot/send?access_token=abc',
    );
  });

  it('derives 企业微信 upload_media from the webhook URL', () => {
    expect(wecomUploadUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/upload_media?key=K1&type=file',
    );
  });

  it('accepts only the robots’ own https addresses by default, and the origins ROBOT_ORIGINS adds', () => {
    const d = DEFAULT_ROBOT_ORIGINS;
    const wecom = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6';
    const ding = 'https://oapi.dingtalk.com/robot/send?access_token=abc123';
    expect(robotUrlProblem('wecom', wecom, d)).toBeNull();
    expect(robotUrlProblem('dingtalk', ding, d)).toBeNull();
    expect(
      [
        ['wecom', 'http://127.0.0.1:3556/api/health?key=1'],
        ['wecom', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1'],
        ['wecom', 'https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=1'],
        ['wecom', 'https://u:p@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1'],
        ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send'],
        ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/gettoken?key=1'],
        ['wecom', ding],
        ['dingtalk', wecom],
        ['dingtalk', 'ftp://oapi.dingtalk.com/robot/send?access_token=1'],
        ['dingtalk', '不是地址'],
        ['dingtalk', ''],
      ].map(([k, u]) => robotUrlProblem(k as 'wecom', u, d)),
    ).toEqual([
      'CHANNEL_URL_ORIGIN',
      'CHANNEL_URL_ORIGIN',
      'CHANNEL_URL_ORIGIN',
      'CHANNEL_URL_ORIGIN',
      'CHANNEL_URL_KIND',
      'CHANNEL_URL_KIND',
      'CHANNEL_URL_KIND',
      'CHANNEL_URL_KIND',
      'CHANNEL_URL_REQUIRED',
      'CHANNEL_URL_REQUIRED',
      'CHANNEL_URL_REQUIRED',
    ]);
    // a 政务云 gateway, added by the operator
    const gov = [...d, 'https://robot.gov.example.cn:8443'];
    expect(
      robotUrlProblem(
        'wecom',
        'https://robot.gov.example.cn:8443/wecom/cgi-bin/webhook/send?key=k',
        gov,
      ),
    ).toBeNull();
    expect(
      robotUrlProblem('wecom', 'https://robot.gov.example.cn/cgi-bin/webhook/send?key=k', gov),
    ).toBe('CHANNEL_URL_ORIGIN');
  });

  it('says a robot’s refusal in Chinese, never its raw body', () => {
    expect(robotErrorText('wecom', 93000, 'invalid webhook url, hint: [1733456789_abc]')).toBe(
      '企业微信返回 93000：机器人地址无效，请重新复制 Webhook 地址',
    );
    expect(robotErrorText('wecom', 45009, 'api freq out of limit')).toBe(
      '企业微信返回 45009：超过频率限制（每个机器人每分钟最多20条），稍后自动重试',
    );
    expect(robotErrorText('dingtalk', 310000, 'sign not match')).toBe(
      '钉钉返回 310000：钉钉加签/关键词校验失败：请核对加签密钥，或在机器人安全设置中改用“加签”',
    );
    expect(robotErrorText('dingtalk', 123, 'something new')).toBe(
      '钉钉返回 123：未知错误（something new）',
    );
    expect(httpErrorText(404)).toBe('机器人服务器答复 HTTP 404（地址不存在）');
    expect(httpErrorText(599)).toBe('机器人服务器答复 HTTP 599（服务器错误）');
  });

  it('says a mail server’s refusal in Chinese (nodemailer against a real SMTP server), never its English text', async () => {
    const server = new SMTPServer({
      allowInsecureAuth: true,
      closeTimeout: 100, // its close timer is not unref'd
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, done) =>
        auth.username === 'tracker' && auth.password === 'right'
          ? done(null, { user: auth.username })
          : done(new Error('Invalid username or password')),
      onRcptTo: (address, _session, done) =>
        address.address.endsWith('@nowhere.cn')
          ? done(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }))
          : done(),
      onData: (stream, _session, done) => {
        stream.resume();
        stream.on('end', () => done());
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    // a port nothing listens on
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const mail = (to: string) => ({
      from: 'tracker@bureau.cn',
      to: [to],
      subject: '测试',
      text: '测试',
    });
    try {
      const errors = [
        await sendMail(`smtp://tracker:wrong@127.0.0.1:${port}`, mail('a@bureau.cn'), 3000),
        await sendMail(`smtp://tracker:right@127.0.0.1:${port}`, mail('a@nowhere.cn'), 3000),
        await sendMail(`smtp://127.0.0.1:${closed}`, mail('a@bureau.cn'), 3000),
        await sendMail(`smtp://tracker:right@127.0.0.1:${port}`, mail('a@bureau.cn'), 3000),
      ].map((r) => r.error);
      expect(errors).toEqual([
        '邮件服务器拒绝登录（答复 535）：请核对 SMTP_URL 中的用户名和密码（授权码）',
        '邮件服务器拒绝了发件人或收件人地址（答复 550）：请核对 SMTP_FROM 和收件地址',
        '无法连接邮件服务器：请核对 SMTP_URL 的地址、端口和加密方式',
        null,
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('masks a robot key, keeping its last 4 characters', () => {
    expect(
      maskUrl(
        'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
      ),
    ).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••5aaa');
    expect(maskUrl('https://oapi.dingtalk.com/robot/send?access_token=short')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=••••',
    );
    expect(maskUrl(null)).toBeNull();
  });

  it('allows 20 messages a minute per robot, refilled over the minute', () => {
    let now = 0;
    const limit = new RobotRateLimit(20, () => now);
    let sent = 0;
    for (let i = 0; i < 25; i++) if (limit.take(1, 1)) sent++;
    expect(sent).toBe(20);
    expect(limit.take(2, 1)).toBe(true); // another robot has its own bucket
    now = 3_000; // 3 s: one message's worth
    expect(limit.take(1, 1)).toBe(true);
    expect(limit.take(1, 1)).toBe(false);
    expect(limit.take(1, 2)).toBe(false);
    now = 63_000;
    let again = 0;
    for (let i = 0; i < 25; i++) if (limit.take(1, 1)) again++;
    expect(again).toBe(20);
  });
});
