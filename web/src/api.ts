/**
 * Calls to the API. The session token is an HttpOnly cookie the server sets for this client
 * (`X-Tracker-Client: web`); nothing of it is kept where a script can read it.
 */
import type { FieldError, Job } from './api-types';

export type { FieldError, Job };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    /** The whole error body (e.g. `latestReport` of a 409 STALE_PROGRESS). */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Listener = (e: ApiError) => void;
const unauthenticated: Listener[] = [];
/** Called when the server answers 401 to a signed-in call (idle sign-out, revoked session). */
export const onUnauthenticated = (l: Listener) => unauthenticated.push(l);

/**
 * A fresh random key (UUID v4). `crypto.randomUUID` needs Chrome 92 and a secure context (a bureau
 * serves the tool over plain http on its LAN), so it is built from `getRandomValues` (Chrome 11+,
 * any context) when missing.
 */
export function newKey(): string {
  const c = globalThis.crypto as Crypto & { randomUUID?: () => string };
  if (typeof c.randomUUID === 'function' && globalThis.isSecureContext) return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** What every call says of itself: the web client (the session cookie's owner), JSON wanted. */
const CLIENT_HEADERS = { 'X-Tracker-Client': 'web', Accept: 'application/json' } as const;

/** One call; a form (a file upload) goes as multipart, anything else as JSON. */
async function send(method: string, url: string, body?: unknown, key?: string): Promise<Response> {
  const form = body instanceof FormData;
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      ...CLIENT_HEADERS,
      ...(body === undefined || form ? {} : { 'Content-Type': 'application/json' }),
      ...(key ? { 'Idempotency-Key': key } : {}),
    },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res, url);
  return res;
}

export async function api<T>(
  method: string,
  url: string,
  body?: unknown,
  key?: string,
): Promise<T> {
  const res = await send(method, url, body, key);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The POSTs still waiting for their answer, by url and body: a second click joins the first. */
const pending = new Map<string, Promise<unknown>>();

async function failure(res: Response, url: string): Promise<ApiError> {
  let data: { code?: string; message?: string; errors?: FieldError[]; [k: string]: unknown } = {};
  try {
    data = (await res.json()) as typeof data;
  } catch {
    // not JSON: keep the status
  }
  const err = new ApiError(
    res.status,
    data.code ?? String(res.status),
    data.message ?? '请求失败',
    data.errors,
    data,
  );
  if (res.status === 401 && !url.startsWith('/api/auth/login'))
    unauthenticated.forEach((l) => l(err));
  return err;
}

export const get = <T>(url: string) => api<T>('GET', url);
/**
 * A GET whose failure is nobody's business: its JSON answer, or null for any failure (a 401 here
 * signs no one out). For a request sent before it is known to be wanted (early.ts).
 */
export const peek = (url: string): Promise<unknown> =>
  fetch(url, { credentials: 'same-origin', headers: CLIENT_HEADERS }).then(
    (r) => (r.ok ? (r.json() as Promise<unknown>) : null),
    () => null,
  );
/**
 * A POST: one submission, one `Idempotency-Key` (fresh per submission; the server answers a repeat
 * of it with the first answer and writes nothing). The same POST (url and body) made again while
 * the first is still waiting — a double click that beat the disabled button — gets the first's
 * answer instead of a second request.
 */
export function post<T>(url: string, body?: unknown): Promise<T> {
  const b = body ?? {};
  const id = b instanceof FormData ? null : `${url}\n${JSON.stringify(b)}`;
  const running = id === null ? undefined : pending.get(id);
  if (running) return running as Promise<T>;
  const p = api<T>('POST', url, b, newKey());
  if (id !== null) {
    pending.set(id, p);
    const done = () => void pending.delete(id);
    p.then(done, done);
  }
  return p;
}
/**
 * A multipart POST with upload progress (0–100), which fetch cannot report: XMLHttpRequest, the same
 * headers and the same error answer as {@link post}. A network failure rejects with status 0.
 */
export function upload<T>(
  url: string,
  form: FormData,
  onProgress: (percent: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-Tracker-Client', 'web');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Idempotency-Key', newKey());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.floor((e.loaded * 100) / e.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试'));
    xhr.ontimeout = xhr.onerror;
    xhr.onload = () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        void res.json().then((v) => resolve(v as T), reject);
      } else void failure(res, url).then(reject, reject);
    };
    xhr.send(form);
  });
}
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const del = <T>(url: string, body?: unknown) => api<T>('DELETE', url, body);

/** The file name a download answer gives (`filename*=UTF-8''…`, the Chinese one), else `fallback`. */
function fileName(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

/** Saves a file the browser got from the API under the server's name. */
async function save(res: Response, fallback: string, as?: string): Promise<string> {
  const name = as ?? fileName(res, fallback);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  return name;
}

/**
 * A route that answers a file, or 202 and a job for a large one: follows the job (its percent to
 * `progress`) and saves the file either way. Returns the name it was saved under.
 */
export async function download(
  url: string,
  fallback: string,
  /** `as`: save under this name instead of the server's */
  opts: { method?: string; body?: unknown; progress?: (p: number) => void; as?: string } = {},
): Promise<string> {
  const res = await send(opts.method ?? 'GET', url, opts.body);
  if (res.status !== 202) return save(res, fallback, opts.as);
  const job = await followJob(((await res.json()) as { jobId: string }).jobId, opts.progress);
  return save(await send('GET', `/api/jobs/${job.id}/result`), fallback, opts.as);
}

/** Polls a job until it ends; a failed job is an error with its message. */
export async function followJob(id: string, progress?: (p: number) => void): Promise<Job> {
  for (;;) {
    const job = await get<Job>(`/api/jobs/${id}`);
    progress?.(job.percent ?? 0);
    if (job.status === 'done') return job;
    if (job.status === 'failed') {
      const e = (job.result ?? {}) as {
        statusCode?: number;
        code?: string;
        message?: string;
        errors?: FieldError[];
      };
      throw new ApiError(
        e.statusCode ?? 500,
        e.code ?? 'JOB_FAILED',
        e.message ?? '任务失败',
        e.errors,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

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

/**
 * A file of the API as an object URL, for an <img>, an <iframe> or a download link: the session's
 * cookie goes only with `X-Tracker-Client: web`, which a plain `src` cannot send.
 */
export async function objectUrl(url: string): Promise<string> {
  const res = await send('GET', url);
  return URL.createObjectURL(await res.blob());
}
