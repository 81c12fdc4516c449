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

/** One call; a form (a file upload) goes as multipart, anything else as JSON. */
async function send(method: string, url: string, body?: unknown): Promise<Response> {
  const form = body instanceof FormData;
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      'X-Tracker-Client': 'web',
      Accept: 'application/json',
      ...(body === undefined || form ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res, url);
  return res;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await send(method, url, body);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function failure(res: Response, url: string): Promise<ApiError> {
  let data: { code?: string; message?: string; errors?: FieldError[] } = {};
  try {
    data = await res.json();
  } catch {
    // not JSON: keep the status
  }
  const err = new ApiError(res.status, data.code ?? String(res.status), data.message ?? '请求失败', data.errors);
  if (res.status === 401 && !url.startsWith('/api/auth/login')) unauthenticated.forEach((l) => l(err));
  return err;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
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

export interface Job {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  percent: number;
  /** The import's summary, or for a failed job its error body (message, errors). */
  result: unknown;
  resultUrl?: string | null;
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
      const e = (job.result ?? {}) as { statusCode?: number; code?: string; message?: string; errors?: FieldError[] };
      throw new ApiError(e.statusCode ?? 500, e.code ?? 'JOB_FAILED', e.message ?? '任务失败', e.errors);
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
