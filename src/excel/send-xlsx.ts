import type { Response } from 'express';
import { NO_STORE } from '../common/cache-control';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiOkResponse } from '@nestjs/swagger';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 5987 attr-chars: encodeURIComponent leaves ! ' ( ) * as they are, which the header grammar does not allow. */
const rfc5987 = (s: string) =>
  encodeURIComponent(s).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * `attachment` per RFC 6266: the real (Chinese) name as `filename*=UTF-8''…`, which browsers use,
 * and a plain ASCII `filename` for clients that know only that one: the given stem plus whatever
 * ASCII the name holds (`连南瑶族自治县…-2026-11.xlsx` → `monthly-report-2026-11.xlsx`).
 */
export function contentDisposition(
  name: string,
  asciiStem = 'download',
  type: 'attachment' | 'inline' = 'attachment',
): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot).replace(/[^A-Za-z0-9.]/g, '') : '';
  const rest = (dot > 0 ? name.slice(0, dot) : name)
    .replace(/[^A-Za-z0-9._-]+/g, '')
    .replace(/^[-._]+/, '');
  const fallback = `${asciiStem}${rest ? `-${rest}` : ''}${ext}`;
  return `${type}; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** A fresh temporary .xlsx path. */
export function tempXlsx(prefix: string): string {
  return path.join(
    os.tmpdir(),
    `${prefix}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`,
  );
}

/** Sends a workbook file as a download; `temporary` files are removed once sent. */
export function sendXlsx(
  res: Response,
  file: string,
  name: string,
  temporary = true,
  asciiStem?: string,
): void {
  res.setHeader('content-type', XLSX_MIME);
  res.setHeader('content-disposition', contentDisposition(name, asciiStem));
  // a workbook holds the money of a region: no cache keeps it (sendFile's own default is public)
  res.setHeader('Cache-Control', NO_STORE);
  res.sendFile(file, { cacheControl: false, etag: false, lastModified: false }, () => {
    if (temporary) fs.rm(file, { force: true }, () => undefined);
  });
}

/** The OpenAPI answer of a route that sends a workbook (sendXlsx): 200, the file's bytes. */
export const ApiXlsxResponse = (description: string) =>
  // the content type on the 200 alone (not @ApiProduces): a route's 202 job answer is JSON
  ApiOkResponse({
    description,
    content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } },
  });
