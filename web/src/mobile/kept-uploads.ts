/**
 * The phone's photo uploads (issue 35 point 5): each photo taken with a report is written to this
 * browser's IndexedDB before it is sent and deleted once the server has it, so a failed upload — a
 * weak signal on site, a closed page, a reload — stays listed with 重试 until it goes through or the
 * officer removes it. One store for the whole app: an upload goes on while the officer moves between
 * the phone screens. Where IndexedDB is missing or refused (a private window, an old built-in
 * browser), the list is kept only while the page is open.
 */
import { reactive } from 'vue';
import { ApiError, upload } from '../api';
import type { Attachment } from '../api-types';
import { useSession } from '../stores/session';

export interface KeptUpload {
  key: string;
  /** Who took it: a phone shared by two officers shows each only their own. */
  username: string;
  projectId: number;
  /** The form fields sent with the file: kind=photo, progressReportId. */
  fields: Record<string, string>;
  /** What the photo belongs to, in words: 2026-12-02 的填报. */
  label: string;
  name: string;
  file: Blob;
  percent: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  error: string;
  result: Attachment | null;
}

/** What IndexedDB holds of an upload (no progress, no answer). */
type Stored = Pick<
  KeptUpload,
  'key' | 'username' | 'projectId' | 'fields' | 'label' | 'name' | 'file'
>;

const DB = 'tracker-phone';
const STORE = 'uploads';

let opening: Promise<IDBDatabase | null> | null = null;
/** The database, or null where IndexedDB cannot be used (then the list lives in memory only). */
function database(): Promise<IDBDatabase | null> {
  if (!opening)
    opening = new Promise((resolve) => {
      try {
        const req = indexedDB.open(DB, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
        req.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
  return opening;
}

/** One request in its own transaction; failures are swallowed (the memory list still works). */
async function request<T>(
  mode: IDBTransactionMode,
  run: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T | null> {
  const db = await database();
  if (!db) return null;
  return new Promise((resolve) => {
    try {
      const req = run(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
}

const keep = (u: Stored) =>
  request('readwrite', (s) =>
    s.put({
      key: u.key,
      username: u.username,
      projectId: u.projectId,
      fields: { ...u.fields },
      label: u.label,
      name: u.name,
      file: u.file,
    }),
  );
const forget = (key: string) => request('readwrite', (s) => s.delete(key));

const items = reactive<KeptUpload[]>([]);
let restored: Promise<void> | null = null;
let queue: Promise<void> = Promise.resolve();
let next = 0;

/**
 * The uploads a previous page left unfinished (read once): listed as failed, to retry. One still
 * `uploading` when the page closed did not finish as far as this browser knows.
 */
function restore(): Promise<void> {
  if (!restored)
    restored = request<Stored[]>('readonly', (s) => s.getAll() as IDBRequest<Stored[]>).then(
      (rows) => {
        for (const r of rows ?? []) {
          if (items.some((i) => i.key === r.key)) continue;
          items.push({
            ...r,
            percent: 0,
            state: 'failed',
            error: '上次未上传完成，请重试',
            result: null,
          });
        }
      },
    );
  return restored;
}

async function send(item: KeptUpload, onDone?: (a: Attachment) => void): Promise<void> {
  item.state = 'uploading';
  item.percent = 0;
  item.error = '';
  const form = new FormData();
  for (const [k, v] of Object.entries(item.fields)) if (v !== '') form.append(k, v);
  form.append('file', item.file, item.name);
  try {
    item.result = await upload<Attachment>(
      `/api/projects/${item.projectId}/attachments`,
      form,
      (p) => (item.percent = p),
    );
    item.state = 'done';
    await forget(item.key);
    onDone?.(item.result);
  } catch (e) {
    item.state = 'failed';
    item.error = e instanceof ApiError && e.status !== 0 ? e.message : '上传失败，请检查网络后重试';
  }
}

/** Sends one after another (a phone's uplink is narrow); the order they were added in. */
function enqueue(item: KeptUpload, onDone?: (a: Attachment) => void): Promise<void> {
  item.state = 'waiting';
  queue = queue.then(() => send(item, onDone));
  return queue;
}

export function useKeptUploads() {
  void restore();

  /** Keeps the files, then sends them one by one. Resolves when the last has been tried. */
  async function add(
    projectId: number,
    files: File[],
    fields: Record<string, string>,
    label: string,
    onDone?: (a: Attachment) => void,
  ): Promise<void> {
    await restore();
    const added = files.map((file) =>
      reactive<KeptUpload>({
        key: `${Date.now().toString(36)}-${(next++).toString(36)}-${file.name}`,
        username: useSession().user?.username ?? '',
        projectId,
        fields: { ...fields },
        label,
        name: file.name,
        file,
        percent: 0,
        state: 'waiting',
        error: '',
        result: null,
      }),
    );
    items.push(...added);
    // kept before anything is sent: a reload during the upload loses nothing
    await Promise.all(added.map((a) => keep(a)));
    const live = added.map((a) => items.find((i) => i.key === a.key) ?? a);
    await Promise.all(live.map((i) => enqueue(i, onDone)));
  }

  const retry = (item: KeptUpload, onDone?: (a: Attachment) => void) => enqueue(item, onDone);

  async function remove(item: KeptUpload): Promise<void> {
    const i = items.indexOf(item);
    if (i >= 0) items.splice(i, 1);
    await forget(item.key);
  }

  /** The signed-in user's uploads for the project: under way, failed, finished while the page is open. */
  const of = (projectId: number) =>
    items.filter(
      (i) => i.projectId === projectId && i.username === (useSession().user?.username ?? ''),
    );

  return { items, add, retry, remove, of, restored: restore };
}
