import express, { NextFunction, Request, Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The web front end (docs/web.md), built by Vite into `web/dist`, served at `/` by the same app: a file
 * that exists is sent (hashed assets cached for a year, the rest revalidated); `/api/*` and
 * `/assets/*` that match nothing fall through to the API's JSON 404 (a missing script must not
 * come back as the page); any other GET is the app (deep links such as /projects/7).
 * Plain express middleware rather than @nestjs/serve-static: that module's registration turned
 * body-parser errors (malformed JSON, 413) into 404s.
 */
export function serveWeb(
  app: { use: (fn: express.RequestHandler) => unknown },
  webDir: string,
): void {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) return;
  const files = express.static(webDir, {
    index: false,
    setHeaders: (res: Response, file: string) =>
      res.setHeader(
        'Cache-Control',
        file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      ),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    files(req, res, () => {
      if (req.path.startsWith('/assets/')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  });
}
