import { createInflateRaw } from 'node:zlib';

/** Limits on an uploaded archive, checked before any of it is parsed (docs/limits.md). */
export interface ArchiveCaps {
  /** Entries in the central directory. */
  maxEntries: number;
  /** One part's uncompressed size, declared and actual. */
  maxPartBytes: number;
  /** All parts together, uncompressed. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed, for parts larger than {@link ratioFloorBytes}. */
  maxRatio: number;
  /** Parts up to this size may compress better than maxRatio (a small XML file often does). */
  ratioFloorBytes: number;
}

export const DEFAULT_ARCHIVE_CAPS: ArchiveCaps = {
  maxEntries: 1_000,
  maxPartBytes: 128 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

/** Why an archive is refused; `part` names the entry where there is one. */
type ArchiveProblem =
  'not_zip' | 'entries' | 'part_size' | 'total_size' | 'ratio' | 'size_mismatch' | 'unsupported';

export class ArchiveRefused extends Error {
  constructor(
    readonly problem: ArchiveProblem,
    readonly part?: string,
    readonly detail?: string,
  ) {
    super(`${problem}${part ? ` (${part})` : ''}${detail ? `: ${detail}` : ''}`);
  }
}

interface ArchiveEntry {
  name: string;
  method: 0 | 8;
  compressedSize: number;
  /** The size the central directory declares. */
  size: number;
  /** Where the entry's data starts in the buffer. */
  dataStart: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * A zip archive held in memory, read from its central directory only (never from local headers
 * that the directory does not name), so what is checked is exactly what is later parsed.
 * Zip64, encryption and compression other than stored/deflate are refused: .xlsx files under the
 * upload cap use none of them.
 */
export class ZipArchive {
  private constructor(
    private readonly buffer: Buffer,
    readonly entries: Map<string, ArchiveEntry>,
  ) {}

  /** Reads the central directory and checks every declared size and ratio. */
  static open(buffer: Buffer, caps: ArchiveCaps = DEFAULT_ARCHIVE_CAPS): ZipArchive {
    const eocd = findEocd(buffer);
    const count = buffer.readUInt16LE(eocd + 10);
    const cdSize = buffer.readUInt32LE(eocd + 12);
    const cdOffset = buffer.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
      throw new ArchiveRefused('unsupported', undefined, 'zip64');
    if (count > caps.maxEntries) throw new ArchiveRefused('entries', undefined, String(count));
    if (cdOffset + cdSize > eocd)
      throw new ArchiveRefused('not_zip', undefined, 'central directory out of bounds');
    const entries = new Map<string, ArchiveEntry>();
    let total = 0;
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > buffer.length || buffer.readUInt32LE(p) !== CENTRAL)
        throw new ArchiveRefused('not_zip', undefined, 'bad central header');
      const flags = buffer.readUInt16LE(p + 8);
      const method = buffer.readUInt16LE(p + 10);
      const compressedSize = buffer.readUInt32LE(p + 20);
      const size = buffer.readUInt32LE(p + 24);
      const nameLen = buffer.readUInt16LE(p + 28);
      const extraLen = buffer.readUInt16LE(p + 30);
      const commentLen = buffer.readUInt16LE(p + 32);
      const localOffset = buffer.readUInt32LE(p + 42);
      const name = buffer.toString('utf8', p + 46, p + 46 + nameLen);
      p += 46 + nameLen + extraLen + commentLen;
      if (flags & 1) throw new ArchiveRefused('unsupported', name, 'encrypted');
      if (method !== 0 && method !== 8)
        throw new ArchiveRefused('unsupported', name, `method ${method}`);
      if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff)
        throw new ArchiveRefused('unsupported', name, 'zip64');
      if (entries.has(name)) throw new ArchiveRefused('not_zip', name, 'duplicate entry');
      if (size > caps.maxPartBytes) throw new ArchiveRefused('part_size', name, String(size));
      total += size;
      if (total > caps.maxTotalBytes) throw new ArchiveRefused('total_size', name, String(total));
      if (size > caps.ratioFloorBytes && size > compressedSize * caps.maxRatio)
        throw new ArchiveRefused('ratio', name, `${size}/${compressedSize}`);
      if (method === 0 && size !== compressedSize) throw new ArchiveRefused('size_mismatch', name);
      if (localOffset + 30 > buffer.length || buffer.readUInt32LE(localOffset) !== LOCAL)
        throw new ArchiveRefused('not_zip', name, 'bad local header');
      const dataStart =
        localOffset +
        30 +
        buffer.readUInt16LE(localOffset + 26) +
        buffer.readUInt16LE(localOffset + 28);
      if (dataStart + compressedSize > buffer.length)
        throw new ArchiveRefused('not_zip', name, 'data out of bounds');
      entries.set(name, { name, method, compressedSize, size, dataStart });
    }
    return new ZipArchive(buffer, entries);
  }

  /**
   * Inflates every entry once, discarding the output, to check that no entry holds more than it
   * declares: a lying header is the usual shape of a zip bomb. Runs on zlib's thread pool, so the
   * event loop keeps serving other requests.
   */
  async verifySizes(): Promise<void> {
    for (const e of this.entries.values()) {
      for await (const chunk of this.raw(e)) void chunk;
    }
  }

  /** The entry's bytes, chunk by chunk, never more than it declares (or it throws). */
  async *raw(e: ArchiveEntry, chunkBytes = 64 * 1024): AsyncGenerator<Buffer> {
    const data = this.buffer.subarray(e.dataStart, e.dataStart + e.compressedSize);
    if (e.method === 0) {
      for (let i = 0; i < data.length; i += chunkBytes) {
        yield data.subarray(i, i + chunkBytes);
        await new Promise((r) => setImmediate(r));
      }
      return;
    }
    const inflate = createInflateRaw({ chunkSize: Math.max(64, chunkBytes) });
    inflate.end(data);
    let seen = 0;
    try {
      for await (const chunk of inflate as AsyncIterable<Buffer>) {
        seen += chunk.length;
        if (seen > e.size)
          throw new ArchiveRefused(
            'size_mismatch',
            e.name,
            `more than the declared ${e.size} bytes`,
          );
        yield chunk;
      }
    } catch (err) {
      if (err instanceof ArchiveRefused) throw err;
      throw new ArchiveRefused('not_zip', e.name, err instanceof Error ? err.message : String(err));
    } finally {
      inflate.destroy();
    }
    if (seen !== e.size)
      throw new ArchiveRefused('size_mismatch', e.name, `${seen} bytes, ${e.size} declared`);
  }

  /**
   * The entry as text, decoded across chunk boundaries: a UTF-8 character split between two
   * chunks is joined, never turned into U+FFFD (docs/stack.md pitfall 13).
   */
  async *text(name: string, chunkBytes?: number): AsyncGenerator<string> {
    const e = this.entries.get(name);
    if (!e) return;
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of this.raw(e, chunkBytes)) {
      const s = decoder.decode(chunk, { stream: true });
      if (s) yield s;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}

function findEocd(buffer: Buffer): number {
  const min = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= min; i--) {
    if (buffer.readUInt32LE(i) === EOCD) return i;
  }
  throw new ArchiveRefused('not_zip', undefined, 'no end of central directory');
}
