import type { Request, Response } from 'express';

/**
 * The web front end keeps no token in script-readable storage: its session token travels in an
 * HttpOnly, SameSite=Strict cookie scoped to /api. A cookie is read only on a request that also
 * carries `X-Tracker-Client: web` — a header a cross-site form or image cannot send, and a
 * cross-origin script cannot send without a CORS grant — so the cookie alone never authorizes.
 * API clients go on sending `Authorization: Bearer`.
 */
export const WEB_CLIENT_HEADER = 'x-tracker-client';
export const SESSION_COOKIE = 'tracker_session';

export const isWebClient = (req: Request): boolean => req.headers[WEB_CLIENT_HEADER] === 'web';

/** The bearer token of the request: the Authorization header, or the web session's cookie. */
export function requestToken(req: Request): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (m) return m[1];
  if (!isWebClient(req)) return null;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE)
      return part.slice(at + 1).trim() || null;
  }
  return null;
}

/** Sets (or, with null, clears) the web session's cookie, for a web client's request only. */
export function setSessionCookie(
  req: Request,
  res: Response,
  token: { accessToken: string; expiresIn: number } | null,
): void {
  if (!isWebClient(req)) return;
  const options = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.secure,
    path: '/api',
  };
  if (token)
    res.cookie(SESSION_COOKIE, token.accessToken, { ...options, maxAge: token.expiresIn * 1000 });
  else res.clearCookie(SESSION_COOKIE, options);
}
