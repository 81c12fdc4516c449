import type { Response } from 'express';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `attachment` with the UTF-8 name (staff's file names are Chinese) and an ASCII fallback. */
export function contentDisposition(name: string): string {
  return `attachment; filename="${encodeURIComponent(name).replace(/%20/g, ' ')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A fresh temporary .xlsx path. */
export function tempXlsx(prefix: string): string {
  return path.join(os.tmpdir(), `${prefix}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`);
}

/** Sends a workbook file as a download; `temporary` files are removed once sent. */
export function sendXlsx(res: Response, file: string, name: string, temporary = true): void {
  res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('content-disposition', contentDisposition(name));
  res.sendFile(file, () => {
    if (temporary) fs.rm(file, { force: true }, () => undefined);
  });
}
