import type { NextFunction, Request, Response } from 'express';

/**
 * Every answer under /api (signed-in JSON with money, the login and refresh answers with their
 * token or cookie, errors, downloads of workbooks and job files) may be stored by no cache, shared
 * or private. A route that revalidates by ETag (the project list) replaces it with
 * `private, no-cache`; static files of the web front end set their own (web-static.ts).
 */
export const NO_STORE = 'no-store';
export const REVALIDATE_PRIVATE = 'private, no-cache';

export function apiNoStore(req: Request, res: Response, next: NextFunction): void {
  if (req.path === '/api' || req.path.startsWith('/api/')) res.setHeader('Cache-Control', NO_STORE);
  next();
}
