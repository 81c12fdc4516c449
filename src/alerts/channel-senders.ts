import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

/**
 * The protocols of the channels (docs/alerts.md, 通知渠道): 企业微信 and 钉钉 group robots over
 * HTTPS with JSON (errcode 0 = accepted), 企业微信's `upload_media` for a file, 钉钉's 加签, and
 * SMTP through nodemailer. Each call answers ok or the receiver's own error text.
 */
export interface SendResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  /** 企业微信 upload_media: the media id. */
  mediaId?: string;
}

/** What an outbox row of a channel holds (the `payload` column). */
export interface ChannelPayload {
  /** The robot's message body (企业微信 / 钉钉 markdown). */
  body?: object;
  /** E-mail: subject and plain text. */
  subject?: string;
  text?: string;
  /** The frozen workbook: 企业微信 sends it after the summary, e-mail attaches it. */
  file?: { path: string; name: string; sizeBytes: number };
  /** 钉钉: the download link in the message. */
  link?: { token: string; url: string };
}

/** The path a robot's webhook ends with, and the query parameter that names the robot. */
const ROBOT_PATHS: Record<RobotKind, { path: string; param: string }> = {
  wecom: { path: '/cgi-bin/webhook/send', param: 'key' },
  dingtalk: { path: '/robot/send', param: 'access_token' },
};

/**
 * What is wrong with a robot address (null: nothing): not a URL → CHANNEL_URL_REQUIRED; an origin
 * not in ROBOT_ORIGINS → CHANNEL_URL_ORIGIN; not the robot's `send` path or without its key →
 * CHANNEL_URL_KIND.
 */
export function robotUrlProblem(
  kind: RobotKind,
  url: string | null | undefined,
  origins: readonly string[],
): 'CHANNEL_URL_REQUIRED' | 'CHANNEL_URL_ORIGIN' | 'CHANNEL_URL_KIND' | null {
  let u: URL;
  try {
    if (!url) return 'CHANNEL_URL_REQUIRED';
    u = new URL(url);
  } catch {
    return 'CHANNEL_URL_REQUIRED';
  }
  if (!/^https?:$/.test(u.protocol)) return 'CHANNEL_URL_REQUIRED';
  if (u.username || u.password || !origins.includes(u.origin.toLowerCase()))
    return 'CHANNEL_URL_ORIGIN';
  const want = ROBOT_PATHS[kind];
  // a private gateway may put the robot under a prefix (`/wecom/cgi-bin/webhook/send`)
  if (!u.pathname.endsWith(want.path) || !u.searchParams.get(want.param)) return 'CHANNEL_URL_KIND';
  return null;
}

/** 企业微信 takes files up to 20 MB. */
export const WECOM_FILE_MAX_BYTES = 20 * 1024 * 1024;
/** An uploaded media id lives 3 days; reuse one for less than 2½. */
export const WECOM_MEDIA_REUSE_MS = 60 * 60 * 60 * 1000;

/**
 * 钉钉 加签: `timestamp` (ms) and `sign` = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)),
 * URL-encoded, appended to the webhook URL.
 */
export function dingtalkSignedUrl(url: string, secret: string | null, timestamp: number): string {
  if (!secret) return url;
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', sign);
  return u.toString();
}

/** `…/cgi-bin/webhook/send?key=K` → `…/cgi-bin/webhook/upload_media?key=K&type=file`. */
export function wecomUploadUrl(sendUrl: string): string {
  const u = new URL(sendUrl);
  u.pathname = u.pathname.replace(/\/send$/, '/upload_media');
  u.searchParams.set('type', 'file');
  return u.toString();
}

export type RobotKind = 'wecom' | 'dingtalk';
const ROBOT_NAMES: Record<RobotKind, string> = { wecom: '企业微信', dingtalk: '钉钉' };

/** The robots' well-known error codes, in words an admin can act on (docs/alerts.md). */
const ROBOT_ERRORS: Record<RobotKind, Record<number, string>> = {
  wecom: {
    93000: '机器人地址无效，请重新复制 Webhook 地址',
    93004: '机器人已被停用或移出群聊',
    45009: '超过频率限制（每个机器人每分钟最多20条），稍后自动重试',
    40007: '文件已失效，请重新发送',
    40008: '消息类型无效',
    44004: '消息内容为空',
    40058: '消息参数不合法',
  },
  dingtalk: {
    310000: '钉钉加签/关键词校验失败：请核对加签密钥，或在机器人安全设置中改用“加签”',
    300001: '机器人地址无效（access_token 不存在），请重新复制 Webhook 地址',
    400013: '群已解散，机器人不可用',
    400101: '机器人已被停用',
    410100: '超过频率限制（每个机器人每分钟最多20条），稍后自动重试',
    130101: '超过频率限制（每个机器人每分钟最多20条），稍后自动重试',
  },
};

/** Who did not answer, in an error text (an ALERT_WEBHOOKS address is named otherwise). */
const ROBOT_SERVER = '机器人服务器';

const HTTP_WORDS: Record<number, string> = {
  400: '请求无效',
  401: '未授权',
  403: '拒绝访问',
  404: '地址不存在',
  405: '不接受此请求',
  413: '内容过大',
  429: '请求过多',
  500: '服务器内部错误',
  502: '网关错误',
  503: '服务暂不可用',
  504: '网关超时',
};

/**
 * A robot's refusal in Chinese: its errcode (with its errmsg only when the code is not a known
 * one) — never the raw body of a foreign server.
 */
export function robotErrorText(kind: RobotKind, code: number, errmsg: unknown): string {
  const known = ROBOT_ERRORS[kind][code];
  const msg = typeof errmsg === 'string' ? errmsg.replace(/\s+/g, ' ').slice(0, 100) : '';
  return `${ROBOT_NAMES[kind]}返回 ${code}：${known ?? (msg ? `未知错误（${msg}）` : '未知错误')}`;
}

/** An HTTP status that is not 2xx, in Chinese (the body is not shown). */
export function httpErrorText(status: number, receiver = ROBOT_SERVER): string {
  const words = HTTP_WORDS[status] ?? (status >= 500 ? '服务器错误' : '请求被拒绝');
  return `${receiver}答复 HTTP ${status}（${words}）`;
}

/** A request that got no answer (timeout, refused, unknown host), in Chinese. */
function failure(e: unknown, timeoutMs: number, receiver = ROBOT_SERVER): SendResult {
  // AbortSignal.timeout rejects with a DOMException named TimeoutError (not always an Error)
  const name = (e as { name?: string } | null)?.name;
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  return {
    ok: false,
    httpStatus: null,
    error:
      name === 'TimeoutError'
        ? `连接超时：${timeoutMs} 毫秒内没有应答`
        : `无法连接${receiver}${typeof cause === 'string' ? `（${cause}）` : ''}`,
  };
}

/**
 * A robot's answer: HTTP 2xx and `errcode` 0, or the error in Chinese. A `generic` receiver (an
 * ALERT_WEBHOOKS address of the plain format) needs only the 2xx.
 */
async function robotAnswer(
  res: Response,
  kind: RobotKind | 'generic',
  receiver = ROBOT_SERVER,
): Promise<SendResult & { json: Record<string, unknown> }> {
  const text = await res.text().catch(() => '');
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (!res.ok)
    return { ok: false, httpStatus: res.status, error: httpErrorText(res.status, receiver), json };
  const code = typeof json.errcode === 'number' ? json.errcode : 0;
  if (kind !== 'generic' && code !== 0)
    return {
      ok: false,
      httpStatus: res.status,
      error: robotErrorText(kind, code, json.errmsg),
      json,
    };
  return { ok: true, httpStatus: res.status, error: null, json };
}

/**
 * POSTs a JSON body (an object, or text already serialised) to a robot, or with `generic` to any
 * webhook; `receiver` names it in the error text.
 */
export async function postRobot(
  kind: RobotKind | 'generic',
  url: string,
  body: object | string,
  timeoutMs: number,
  receiver = ROBOT_SERVER,
): Promise<SendResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const { json: _json, ...r } = await robotAnswer(res, kind, receiver);
    return r;
  } catch (e) {
    return failure(e, timeoutMs, receiver);
  }
}

/** 企业微信 upload_media: the file as multipart `media`; answers its media id. */
export async function wecomUpload(
  sendUrl: string,
  file: string,
  name: string,
  timeoutMs: number,
): Promise<SendResult> {
  try {
    const bytes = await fs.promises.readFile(file);
    if (bytes.length > WECOM_FILE_MAX_BYTES)
      return {
        ok: false,
        httpStatus: null,
        error: `文件超过20MB（${bytes.length}字节），企业微信不能发送`,
      };
    const form = new FormData();
    form.append('media', new Blob([bytes]), name);
    const res = await fetch(wecomUploadUrl(sendUrl), {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const { json, ...r } = await robotAnswer(res, 'wecom');
    if (!r.ok) return { ...r, error: `上传文件：${r.error}` };
    if (typeof json.media_id !== 'string' || !json.media_id)
      return {
        ok: false,
        httpStatus: r.httpStatus,
        error: '上传文件：企业微信的应答中没有 media_id',
      };
    return { ...r, mediaId: json.media_id };
  } catch (e) {
    return failure(e, timeoutMs);
  }
}

const transports = new Map<string, Transporter>();

/** One e-mail through SMTP_URL; the workbook attached under its Chinese name. */
export async function sendMail(
  smtpUrl: string,
  mail: {
    from: string;
    to: string[];
    subject: string;
    text: string;
    attachment?: { path: string; name: string };
  },
  timeoutMs: number,
): Promise<SendResult> {
  let t = transports.get(smtpUrl);
  if (!t) {
    // loaded with the first e-mail (~10 MB resident), not with the app and its workbook workers
    const nodemailer = (await import('nodemailer')).default;
    t =
      transports.get(smtpUrl) ??
      nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs * 3,
      } as SMTPTransport.Options);
    transports.set(smtpUrl, t);
  }
  try {
    await t.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachment
        ? [{ filename: mail.attachment.name, path: mail.attachment.path }]
        : [],
    });
    return { ok: true, httpStatus: null, error: null };
  } catch (e) {
    return { ok: false, httpStatus: null, error: smtpErrorText(e) };
  }
}

/**
 * nodemailer's error in words an admin can act on: its code, and the mail server's reply code
 * (never the server's own English text, which the log keeps).
 */
export function smtpErrorText(e: unknown): string {
  const r = (e ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const code = typeof r.code === 'string' ? r.code : '';
  const reply = typeof r.responseCode === 'number' ? r.responseCode : null;
  const said = reply !== null ? `（答复 ${reply}）` : '';
  switch (code) {
    case 'EAUTH':
      return `邮件服务器拒绝登录${said}：请核对 SMTP_URL 中的用户名和密码（授权码）`;
    case 'ETIMEDOUT':
      return '连接邮件服务器超时：请核对 SMTP_URL 的地址和端口';
    case 'EDNS':
      return '找不到邮件服务器：请核对 SMTP_URL 中的服务器地址';
    case 'ECONNECTION':
    case 'ESOCKET':
      return `无法连接邮件服务器${said}：请核对 SMTP_URL 的地址、端口和加密方式`;
    case 'EENVELOPE':
      return `邮件服务器拒绝了发件人或收件人地址${said}：请核对 SMTP_FROM 和收件地址`;
    case 'EMESSAGE':
      return `邮件服务器拒收此邮件${said}（可能是附件过大或内容被拦截）`;
  }
  if (reply !== null)
    return `邮件服务器拒绝发送（答复 ${reply}）${reply >= 500 ? '' : '，稍后自动重试'}`;
  return `邮件发送失败${code ? `（${code}）` : ''}`;
}

/**
 * 20 messages a minute per robot (企业微信 and 钉钉 alike): a token bucket per channel, refilled
 * continuously. A message that finds it empty waits in the outbox for the next pass.
 */
export class RobotRateLimit {
  private readonly buckets = new Map<number, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `n` tokens of a channel's bucket if it holds them. */
  take(channelId: number, n: number): boolean {
    const t = this.now();
    const b = this.buckets.get(channelId) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + ((t - b.at) * this.perMinute) / 60_000);
    b.at = t;
    this.buckets.set(channelId, b);
    if (b.tokens < n) return false;
    b.tokens -= n;
    return true;
  }
}
