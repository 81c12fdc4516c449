import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { REVALIDATE_PRIVATE } from './cache-control';

/**
 * A JSON response serialized once, with its ETag: what a cached read sends again and again.
 * Serializing a page of 50 projects and hashing it for the ETag was a third of a cached list
 * request's CPU. The ETag has express's weak form, so conditional GETs get 304 as elsewhere.
 */
export class JsonBody {
  readonly bytes: Buffer;
  readonly etag: string;

  constructor(value: unknown) {
    this.bytes = Buffer.from(JSON.stringify(value), 'utf8');
    this.etag = `W/"${this.bytes.length.toString(16)}-${createHash('sha1').update(this.bytes).digest('base64').slice(0, 27)}"`;
  }

  /** What it holds, for ReadCache's byte budget. */
  get byteLength(): number {
    return this.bytes.length;
  }

  send(res: Response): void {
    res.setHeader('ETag', this.etag);
    // revalidated on every use, and only by the signed-in browser: never stored by a shared cache
    res.setHeader('Cache-Control', REVALIDATE_PRIVATE);
    res.type('application/json').send(this.bytes);
  }
}
