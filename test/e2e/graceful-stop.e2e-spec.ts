import * as http from 'node:http';
import * as net from 'node:net';
import { call, errorLines, exitWithin, login, realServers } from '../support/real-server';

/**
 * Issue 31, point 3, on the real built server (`npx nest build` first): a SIGTERM under load
 * answers every request it accepted without a 5xx, logs no error, and loses no acknowledged write.
 */
describe('graceful stop (real server)', () => {
  const { fresh, serve, cleanup } = realServers();
  afterAll(cleanup);

  it('SIGTERM under 50 connections of reads and writes: no 5xx, no error logged, every acknowledged write there after restart', async () => {
    const { db, jobsDir } = await fresh();
    const s = await serve(db, jobsDir);
    const token = await login(s.port);
    const regions = JSON.parse((await call(s.port, 'GET', '/api/regions', { token })).body) as {
      id: number;
      name: string;
    }[];
    const county = regions.find((r) => r.name === '乐昌市')!.id;

    const answers: { status: number; at: number }[] = [];
    const acknowledged = new Map<number, string>();
    let signalledAt = Infinity;
    let serverGone = false;
    const worker = async (w: number) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; !serverGone; i++) {
        try {
          const write = i % 2 === 1;
          const name = `停机测试学校${w}-${i}`;
          const r = write
            ? await call(s.port, 'POST', '/api/projects', {
                token,
                agent,
                body: { name, regionId: county, planYear: 2026, budgetWan: '100.5' },
              })
            : await call(s.port, 'GET', `/api/projects?regionId=${county}&pageSize=20`, {
                token,
                agent,
              });
          answers.push({
            status: r.status,
            at: Date.now(),
          });
          if (write && r.status === 201)
            acknowledged.set((JSON.parse(r.body) as { id: number }).id, name);
        } catch {
          // a connection refused or closed before an answer: no answer, not a wrong one
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      agent.destroy();
    };
    const load = Promise.all(Array.from({ length: 50 }, (_, w) => worker(w)));
    // let the load run until a good number of writes were acknowledged, then stop the server
    const until = Date.now() + 20_000;
    while (acknowledged.size < 100 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    // one write in flight across the signal: its headers and half its body now, the rest after
    const slowName = '停机时在途的写入';
    const body = JSON.stringify({ name: slowName, regionId: county });
    const socket = net.connect(s.port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (raw += d));
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    // first one answered request on this socket, so the server has accepted the connection before
    // the signal (a connection still waiting to be accepted is refused by a stop, as it should be)
    socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    const accepted = Date.now() + 10_000;
    while (!/^HTTP\/1\.1 200 [\s\S]*\r\n\r\n/.test(raw) && Date.now() < accepted)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    raw = '';
    socket.write(
      `POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n` +
        `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    signalledAt = Date.now();
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    socket.write(body.slice(10));
    await ended;
    const code = await exitWithin(s, 30_000);
    serverGone = true;
    await load;

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(code).toBe(0);
    expect(answers.filter((a) => ![200, 201].includes(a.status))).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(100);
    // the requests in flight at the signal were answered; the slow one with Connection: close
    const after = answers.filter((a) => a.at >= signalledAt);
    expect(after.length).toBeGreaterThan(0);
    expect(raw).toMatch(/^HTTP\/1\.1 201 /);
    expect(raw).toMatch(/\r\nconnection: close\r\n/i);
    const slowId = (JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { id: number }).id;
    acknowledged.set(slowId, slowName);
    expect(errorLines(s.log())).toEqual([]);
    expect(s.log()).toMatch(/SIGTERM: stopping/);
    expect(s.log()).toMatch(/stopped in \d+ ms/);

    const again = await serve(db, jobsDir);
    const token2 = await login(again.port);
    const ids = [...acknowledged.keys()];
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map(async (id) => {
          const r = await call(again.port, 'GET', `/api/projects/${id}`, { token: token2 });
          if (
            r.status !== 200 ||
            (JSON.parse(r.body) as { name: string }).name !== acknowledged.get(id)
          )
            missing.push(id);
        }),
      );
    }
    expect(missing).toEqual([]);
    again.child.kill('SIGTERM');
    expect(await exitWithin(again, 30_000)).toBe(0);
    expect(errorLines(again.log())).toEqual([]);
  });
});
