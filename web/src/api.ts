/**
 * Calls to the API. The session token is an HttpOnly cookie the server sets for this client
 * (`X-Tracker-Client: web`); nothing of it is kept where a script can read it.
 */
export interface FieldError {
  /** the body field, e.g. `investmentCompletedWan` or `seats.primary` */
  path: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

type Listener = (e: ApiError) => void;
const unauthenticated: Listener[] = [];
/** Called when the server answers 401 to a signed-in call (idle sign-out, revoked session). */
export const onUnauthenticated = (l: Listener) => unauthenticated.push(l);

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      'X-Tracker-Client': 'web',
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  let data: { code?: string; message?: string; errors?: FieldError[] } = {};
  try {
    data = await res.json();
  } catch {
    // not JSON: keep the status
  }
  const err = new ApiError(res.status, data.code ?? String(res.status), data.message ?? '请求失败', data.errors);
  if (res.status === 401 && !url.startsWith('/api/auth/login')) unauthenticated.forEach((l) => l(err));
  throw err;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);

/** A query string from the set values of an object. */
export function query(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
