import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { AppConfig } from '../config/app-config';

/**
 * The bytes of an upload's start kept in memory: the magic bytes, a JPEG's metadata segments up to
 * the 512 KB cap and a bit (the cap is checked on them) and its EXIF.
 */
export const UPLOAD_HEAD_BYTES = 640 * 1024;

/** An upload as {@link HashingDiskStorage} leaves it: on disk, hashed, its start in memory. */
export interface StreamedUpload {
  originalname: string;
  /** The temporary file (removed by whoever takes it over). */
  path: string;
  size: number;
  sha256: string;
  /** The first {@link UPLOAD_HEAD_BYTES} bytes (all of a smaller file). */
  head: Buffer;
}

/**
 * Where uploads are written while they arrive: inside FILES_DIR (`tmp/`, beside the files, so
 * storing one is a link on the same file system), or the system's temporary folder for an S3 store.
 */
export function uploadDir(config: Pick<AppConfig, 'filesDir' | 'filesS3'>): string {
  return config.filesS3
    ? path.join(os.tmpdir(), 'tracker-uploads')
    : path.join(config.filesDir, 'tmp');
}

/**
 * multer's storage for attachments: each upload streamed to a temporary file as it arrives and
 * hashed (SHA-256) on the way, chunk by chunk, keeping only its start in memory. Buffering a whole
 * upload instead (multer's memory storage) costs a contiguous copy of up to ATTACHMENT_MAX_BYTES on
 * the event loop, then a hash of it all at once: with ten 12 MB photos arriving together that
 * stalled every other request for seconds. Limits (ATTACHMENT_MAX_BYTES) stay multer's: a
 * truncated file is removed through {@link _removeFile}.
 */
export class HashingDiskStorage implements StorageEngine {
  constructor(private readonly dir: string) {}

  _handleFile(
    _req: Request,
    file: Express.Multer.File,
    cb: (error?: unknown, info?: Partial<Express.Multer.File & StreamedUpload>) => void,
  ): void {
    void this.receive(file.stream).then(
      (info) => cb(null, info),
      (e: unknown) => cb(e),
    );
  }

  private async receive(
    stream: NodeJS.ReadableStream,
  ): Promise<Omit<StreamedUpload, 'originalname'>> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `${randomBytes(12).toString('hex')}.upload`);
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        if (headBytes < UPLOAD_HEAD_BYTES) {
          const part = chunk.subarray(0, UPLOAD_HEAD_BYTES - headBytes);
          head.push(Buffer.from(part));
          headBytes += part.length;
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, tap, fs.createWriteStream(tmp, { flags: 'wx' }));
    } catch (e) {
      await fs.promises.rm(tmp, { force: true });
      throw e;
    }
    return { path: tmp, size, sha256: hash.digest('hex'), head: Buffer.concat(head) };
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    if (!file.path) return cb(null);
    fs.promises.rm(file.path, { force: true }).then(
      () => cb(null),
      (e: Error) => cb(e),
    );
  }
}
