import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One request a fake robot received. */
export interface RobotCall {
  /** wecom-send · wecom-upload · dingtalk */
  kind: 'wecom-send' | 'wecom-upload' | 'dingtalk';
  /** The robot: 企业微信 `key`, 钉钉 `access_token`. */
  robot: string;
  body: Record<string, unknown>;
  /** upload_media: the multipart `media` part. */
  upload?: { fieldName: string; fileName: string; bytes: Buffer };
  /** upload_media: the media id it answered. */
  mediaId?: string;
  /** 钉钉: whether `timestamp` + `sign` matched the secret. */
  signed?: boolean;
  at: number;
}

/** Splits a multipart/form-data body into its parts (name, filename, bytes). */
function multipart(body: Buffer, contentType: string) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return [];
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: { name: string; fileName: string; bytes: Buffer }[] = [];
  let at = body.indexOf(sep);
  while (at >= 0) {
    const next = body.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = body.subarray(at + sep.length + 2, next - 2); // after CRLF, before CRLF
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const fileStar = /filename\*=UTF-8''([^;\r\n]+)/i.exec(head)?.[1];
    const fileName = fileStar
      ? decodeURIComponent(fileStar)
      : (/filename="([^"]*)"/.exec(head)?.[1] ?? '');
    parts.push({ name, fileName, bytes: part.subarray(headEnd + 4) });
    at = next;
  }
  return parts;
}

/**
 * An HTTP server on 127.0.0.1 behaving like the 企业微信 and 钉钉 group robots:
 * `POST /cgi-bin/webhook/upload_media?key=K&type=file` (multipart `media`) answers a media id that
 * only that robot knows; `POST /cgi-bin/webhook/send?key=K` takes markdown, or a `file` message that
 * must name one of its media ids (else errcode 40007); `POST /robot/send?access_token=T` checks the
 * 加签 signature (`timestamp`, `sign`) against `secrets[T]` (errcode 310000 otherwise). `answer` may
 * override a request's answer (an errcode, or 'hang').
 */
export async function startRobots(opts: {
  secrets: Record<string, string>;
  answer?: (call: RobotCall, n: number) => Record<string, unknown> | 'hang' | undefined;
}) {
  const calls: RobotCall[] = [];
  const media = new Map<string, string>(); // media id → robot key
  const hanging: http.ServerResponse[] = [];
  let mediaSeq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      let call: RobotCall;
      let answer: Record<string, unknown> = { errcode: 0, errmsg: 'ok' };
      if (u.pathname === '/cgi-bin/webhook/upload_media') {
        const part = multipart(raw, req.headers['content-type'] ?? '').find(
          (p) => p.name === 'media',
        );
        call = {
          kind: 'wecom-upload',
          robot: u.searchParams.get('key') ?? '',
          body: { type: u.searchParams.get('type') },
          upload: part
            ? { fieldName: part.name, fileName: part.fileName, bytes: part.bytes }
            : undefined,
          at: Date.now(),
        };
        if (!part || u.searchParams.get('type') !== 'file')
          answer = { errcode: 40004, errmsg: 'invalid media type' };
        else {
          const id = `MEDIA-${call.robot}-${++mediaSeq}`;
          media.set(id, call.robot);
          call.mediaId = id;
          answer = {
            errcode: 0,
            errmsg: 'ok',
            type: 'file',
            media_id: id,
            created_at: '1380000000',
          };
        }
      } else if (u.pathname === '/cgi-bin/webhook/send') {
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        call = { kind: 'wecom-send', robot: u.searchParams.get('key') ?? '', body, at: Date.now() };
        if (body.msgtype === 'file') {
          const id = (body.file as { media_id?: string } | undefined)?.media_id ?? '';
          if (media.get(id) !== call.robot)
            answer = { errcode: 40007, errmsg: `invalid media_id, hint: [${id}]` };
        }
      } else {
        const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        const token = u.searchParams.get('access_token') ?? '';
        const ts = u.searchParams.get('timestamp') ?? '';
        const secret = opts.secrets[token];
        const expected = secret
          ? createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64')
          : null;
        const signed =
          !!expected &&
          u.searchParams.get('sign') === expected &&
          Math.abs(Date.now() - Number(ts)) < 3_600_000;
        call = { kind: 'dingtalk', robot: token, body, signed, at: Date.now() };
        if (secret && !signed) answer = { errcode: 310000, errmsg: 'sign not match' };
      }
      const n = calls.length;
      calls.push(call);
      const override = opts.answer?.(call, n);
      if (override === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(override ?? answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    /** For ROBOT_ORIGINS: the app accepts robot addresses on this server only when told to. */
    origin: `http://127.0.0.1:${port}`,
    wecom: (key: string) => `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`,
    dingtalk: (token: string) => `http://127.0.0.1:${port}/robot/send?access_token=${token}`,
    calls,
    async close() {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SMTP server on 127.0.0.1 keeping every mail, parsed. */
export async function startSmtp() {
  const mails: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      envelopes.push(session.envelope.rcptTo.map((r) => r.address));
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          done();
        })
        .catch((e: Error) => done(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
