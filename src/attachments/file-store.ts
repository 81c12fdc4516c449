import type { S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';

/**
 * Where attachment bytes live, by key: `<sha256>` for an original (content-addressed: the same
 * bytes are stored once) and `thumbnails/<sha256>.jpg` for its thumbnail. Two implementations: a
 * folder (FILES_DIR, one instance) and an S3-compatible object store (several instances).
 */
export interface FileStore {
  readonly kind: 'folder' | 's3';
  /** Stores the bytes unless the key exists; true when they were written now. */
  put(key: string, bytes: Buffer): Promise<boolean>;
  /** Stores a complete file (an upload streamed to disk) unless the key exists; the file stays. */
  putFile(key: string, file: string): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /** The bytes as a stream, or null when the key is unknown. */
  open(key: string): Promise<Readable | null>;
}

export const FILE_STORE = Symbol('FILE_STORE');

export const originalKey = (sha256: string) => sha256;
export const thumbnailKey = (sha256: string) => `thumbnails/${sha256}.jpg`;

/** Keys are ours (hex and one folder name), checked all the same before they become paths. */
function checkKey(key: string): void {
  if (!/^(thumbnails\/)?[0-9a-f]{64}(\.jpg)?$/.test(key)) throw new Error(`bad file key ${key}`);
}

/**
 * FILES_DIR: `ab/abcdef….` (two-character fan-out), written to `tmp/` first and renamed into
 * place, so a reader never sees half a file and a crash leaves only a temp file behind.
 */
export class FolderStore implements FileStore {
  readonly kind = 'folder' as const;
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    checkKey(key);
    const base = path.basename(key);
    const folder = key.startsWith('thumbnails/') ? 'thumbnails' : '';
    return path.join(this.root, folder, base.slice(0, 2), base);
  }

  async put(key: string, bytes: Buffer): Promise<boolean> {
    const file = this.pathOf(key);
    if (await this.has(key)) return false;
    const tmpDir = path.join(this.root, 'tmp');
    await fs.promises.mkdir(tmpDir, { recursive: true });
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(8).toString('hex')}.part`);
    const handle = await fs.promises.open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // same bytes under the same name: a concurrent twin's rename is as good as ours
    await fs.promises.rename(tmp, file);
    return true;
  }

  /**
   * The upload's file flushed to disk, then hard-linked into place (atomic, nothing copied; the
   * upload folder is FILES_DIR/tmp, on the same file system); copied and renamed if it is not.
   */
  async putFile(key: string, file: string): Promise<boolean> {
    const dest = this.pathOf(key);
    if (await this.has(key)) return false;
    const handle = await fs.promises.open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    try {
      await fs.promises.link(file, dest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false; // a concurrent twin's: the same bytes
      if (code !== 'EXDEV' && code !== 'EPERM') throw e;
      const tmpDir = path.join(this.root, 'tmp');
      await fs.promises.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${randomBytes(8).toString('hex')}.part`);
      await fs.promises.copyFile(file, tmp);
      await fs.promises.rename(tmp, dest);
    }
    return true;
  }

  async has(key: string): Promise<boolean> {
    try {
      await fs.promises.access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async open(key: string): Promise<Readable | null> {
    if (!(await this.has(key))) return null;
    return fs.createReadStream(this.pathOf(key));
  }
}

/**
 * An S3-compatible object store (government clouds, MinIO, s3rver in the tests), path-style.
 * Checksums only when required: the SDK's default CRC32 trailers (aws-chunked) are refused by
 * many S3-compatible servers.
 */
export class S3Store implements FileStore {
  readonly kind = 's3' as const;
  /** The SDK (~20 MB resident) is loaded only where an object store is configured. */
  private readonly sdk = import('@aws-sdk/client-s3');
  private readonly client: Promise<S3Client>;

  constructor(private readonly options: NonNullable<AppConfig['filesS3']>) {
    this.client = this.sdk.then(
      ({ S3Client }) =>
        new S3Client({
          endpoint: options.endpoint,
          region: options.region,
          forcePathStyle: true,
          credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey },
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
    );
  }

  async put(key: string, bytes: Buffer): Promise<boolean> {
    checkKey(key);
    if (await this.has(key)) return false;
    const { PutObjectCommand } = await this.sdk;
    await (
      await this.client
    ).send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: bytes }));
    return true;
  }

  async putFile(key: string, file: string): Promise<boolean> {
    checkKey(key);
    if (await this.has(key)) return false;
    const { size } = await fs.promises.stat(file);
    const { PutObjectCommand } = await this.sdk;
    await (
      await this.client
    ).send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: fs.createReadStream(file),
        ContentLength: size,
      }),
    );
    return true;
  }

  async has(key: string): Promise<boolean> {
    checkKey(key);
    const { HeadObjectCommand, NotFound: S3NotFound } = await this.sdk;
    try {
      await (
        await this.client
      ).send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return true;
    } catch (e) {
      if (e instanceof S3NotFound || (e as { name?: string }).name === 'NotFound') return false;
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw e;
    }
  }

  async open(key: string): Promise<Readable | null> {
    checkKey(key);
    const { GetObjectCommand } = await this.sdk;
    try {
      const out = await (
        await this.client
      ).send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return out.Body as Readable;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return null;
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return null;
      throw e;
    }
  }

  destroy(): void {
    void this.client.then((c) => c.destroy());
  }
}

/** The store the configuration names: S3 when FILES_S3_* are set, else the folder. */
export function createFileStore(config: Pick<AppConfig, 'filesDir' | 'filesS3'>): FileStore {
  return config.filesS3 ? new S3Store(config.filesS3) : new FolderStore(config.filesDir);
}
