import type { Request, Response } from 'express';

/**
 * The web front end keeps no token in script-readable storage: its session token travels in an
 * HttpOnly, SameSite=Strict cookie scoped to /api. A cookie is read only on a request that also
 * carries `X-Tracker-Client: web` — a header a cross-site form or image cannot send, and a
 * cross-origin script cannot send without a CORS grant — so the cookie alone never authorizes.
 * API clients go on sending `Authorization: Bearer`.
 */
const WEB_CLIENT_HEADER = 'x-tracker-client';
const SESSION_COOKIE = 'tracker_session';

const isWebClient = (req: Request): boolean => req.headers[WEB_CLIENT_HEADER] === 'web';

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

/**
 * The answer of a sign-in, refresh or password change: for a web client the token goes only into
 * the HttpOnly cookie and the body keeps everything but `accessToken` (a script, an injected one
 * included, never sees it); an API client gets the token in the body (docs/api.md).
 */
export function sessionAnswer<T extends { accessToken: string; expiresIn: number }>(
  req: Request,
  res: Response,
  answer: T,
): T | Omit<T, 'accessToken'> {
  setSessionCookie(req, res, answer);
  if (!isWebClient(req)) return answer;
  const { accessToken: _token, ...rest } = answer;
  return rest;
}
