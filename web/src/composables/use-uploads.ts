/**
 * Files being uploaded as attachments, each with its progress; a failed one stays in the list with
 * the reason, to retry (重试) or remove — the officer on site with a weak signal loses nothing.
 */
import { reactive } from 'vue';
import { ApiError, upload } from '../api';
import type { Attachment } from '../api-types';

export interface UploadItem {
  key: number;
  file: File;
  fields: Record<string, string>;
  percent: number;
  state: 'uploading' | 'done' | 'failed';
  error: string;
  result: Attachment | null;
}

let next = 1;

export function useUploads(url: () => string, onDone: (a: Attachment) => void) {
  const items = reactive<UploadItem[]>([]);

  async function send(item: UploadItem): Promise<void> {
    item.state = 'uploading';
    item.percent = 0;
    item.error = '';
    const form = new FormData();
    for (const [k, v] of Object.entries(item.fields)) if (v !== '') form.append(k, v);
    form.append('file', item.file, item.file.name);
    try {
      item.result = await upload<Attachment>(url(), form, (p) => (item.percent = p));
      item.state = 'done';
      onDone(item.result);
    } catch (e) {
      item.state = 'failed';
      item.error = e instanceof ApiError ? e.message : '上传失败，请重试';
    }
  }

  /** Starts one upload per file (one after another: a phone's uplink is narrow). */
  async function add(files: Iterable<File>, fields: Record<string, string>): Promise<void> {
    const added = [...files].map((file) =>
      reactive<UploadItem>({
        key: next++,
        file,
        fields: { ...fields },
        percent: 0,
        state: 'uploading',
        error: '',
        result: null,
      }),
    );
    items.unshift(...added);
    for (const item of added) await send(items.find((i) => i.key === item.key) ?? item);
  }

  const retry = (item: UploadItem) => send(item);
  const remove = (item: UploadItem) => {
    const i = items.indexOf(item);
    if (i >= 0) items.splice(i, 1);
  };
  const clearDone = () => {
    for (let i = items.length - 1; i >= 0; i--) if (items[i].state === 'done') items.splice(i, 1);
  };
  return { items, add, retry, remove, clearDone };
}

/** 1.2 MB, 356 KB. */
export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(Math.round((bytes * 10) / (1024 * 1024)) / 10).toString()} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What the file input accepts (the server checks the content all the same). */
export const ACCEPT =
  '.pdf,.ofd,.jpg,.jpeg,.png,.webp,.heic,.heif,.docx,.xlsx,image/*,application/pdf';
