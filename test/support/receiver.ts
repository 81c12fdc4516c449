import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: unknown;
  at: number;
}

/**
 * A local HTTP receiver for webhook tests, on 127.0.0.1 only. `respond` decides, per request
 * (0-based), the status and body, or `hang` to never answer.
 */
export async function startReceiver(
  respond: (n: number, path: string) => { status: number; body?: unknown } | 'hang',
) {
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const n = received.length;
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {
        /* keep text */
      }
      received.push({ path: req.url ?? '', body, at: Date.now() });
      const r = respond(n, req.url ?? '');
      if (r === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r.body ?? { ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    async close() {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
