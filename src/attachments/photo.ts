import exifr from 'exifr';
import type { Metadata } from 'sharp';
import { AcceptedType, ContentRefused, isDecodable, jpegMetadataBytes } from './content-type';

/**
 * sharp (libvips, ~20 MB resident) is loaded with the first picture, not with the app: a server
 * that never receives one — and every workbook worker — does without it.
 */
const loadSharp = () => import('sharp').then((m) => m.default);

/** Images larger than this are refused from their header, before a pixel is decoded. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** A JPEG's metadata segments (EXIF, XMP, ICC…) beyond this are refused (a padded file). */
export const MAX_JPEG_METADATA_BYTES = 512 * 1024;
/** The thumbnail's longer side. */
export const THUMBNAIL_PX = 480;

/**
 * The checks of an image before anything decodes it: the JPEG's metadata size (from `b`, the file
 * or its first {@link MAX_JPEG_METADATA_BYTES} and more), then the declared width × height read
 * from the header of `source` (the file's path, or its bytes) by `sharp(...).metadata()`, which
 * decodes nothing. HEIC/HEIF are never decoded here, so only their EXIF is read.
 */
export async function checkImage(
  b: Buffer,
  type: AcceptedType,
  source: Buffer | string = b,
): Promise<void> {
  if (type === 'jpeg' && jpegMetadataBytes(b) > MAX_JPEG_METADATA_BYTES)
    throw new ContentRefused(
      'ATTACHMENT_IMAGE',
      `照片的附加信息（EXIF等）超过${MAX_JPEG_METADATA_BYTES / 1024} KB，疑似异常文件`,
    );
  if (!isDecodable(type)) return;
  let meta: Metadata;
  const sharp = await loadSharp();
  try {
    // the header only: nothing is decoded, so the declared size is read whatever it is
    meta = await sharp(source, { limitInputPixels: false }).metadata();
  } catch {
    throw new ContentRefused('ATTACHMENT_IMAGE', '图片文件已损坏或无法识别');
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!meta.width || !meta.height || pixels > MAX_IMAGE_PIXELS)
    throw new ContentRefused(
      'ATTACHMENT_IMAGE',
      `图片尺寸${meta.width ?? 0}×${meta.height ?? 0}像素，超过${MAX_IMAGE_PIXELS / 10_000}万像素的上限`,
    );
}

/** A decimal string of a non-negative JS number as written (shortest round-trip), as a fraction. */
function fraction(n: number): { num: bigint; den: bigint } {
  if (!Number.isFinite(n) || n < 0) throw new RangeError('not a coordinate part');
  const s = n.toString();
  if (/e/i.test(s)) return { num: 0n, den: 1n }; // 1e-7 and smaller: nothing at 7 places
  const [int, frac = ''] = s.split('.');
  return { num: BigInt(int + frac), den: 10n ** BigInt(frac.length) };
}

/**
 * Degrees, minutes, seconds (EXIF's three rationals, as exifr reads them) → decimal degrees as an
 * exact string with 7 places (about 1 cm), rounded half up, negative for S and W. No float arithmetic.
 */
export function dmsToDecimal(dms: readonly number[], ref: string | undefined): string | null {
  if (dms.length !== 3) return null;
  const [d, m, s] = dms.map(fraction);
  // d + m/60 + s/3600 over a common denominator
  const den = d.den * m.den * s.den * 3600n;
  const num = d.num * m.den * s.den * 3600n + m.num * d.den * s.den * 60n + s.num * d.den * m.den;
  const scaled = (num * 10_000_000n * 2n + den) / (den * 2n); // round half up
  const whole = scaled / 10_000_000n;
  const frac = (scaled % 10_000_000n).toString().padStart(7, '0');
  const negative = ref === 'S' || ref === 'W';
  if (scaled === 0n) return '0.0000000';
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

export interface PhotoFacts {
  /** `2026-11-20T10:30:15`, the camera's wall clock. */
  takenAt: string | null;
  lat: string | null;
  lng: string | null;
}

interface IsoBox {
  type: string;
  /** Where the body starts (after the header) and ends. */
  start: number;
  end: number;
}

/** The boxes laid end to end in b[from, to), at most `max` of them; a malformed size ends the walk. */
function isoBoxes(b: Buffer, from: number, to: number, max = 64): IsoBox[] {
  const out: IsoBox[] = [];
  let p = from;
  while (p + 8 <= to && out.length < max) {
    let size = b.readUInt32BE(p);
    let header = 8;
    if (size === 1) {
      if (p + 16 > to) break;
      const big = b.readBigUInt64BE(p + 8);
      if (big > BigInt(to - p)) break;
      size = Number(big);
      header = 16;
    } else if (size === 0) size = to - p;
    if (size < header || p + size > to) break;
    out.push({ type: b.toString('latin1', p + 4, p + 8), start: p + header, end: p + size });
    p += size;
  }
  return out;
}

/** An unsigned big-endian integer of 0, 4 or 8 bytes (iloc's field sizes), or null if unsupported. */
function uintN(b: Buffer, at: number, size: number): number | null {
  if (size === 0) return 0;
  if (size === 4) return b.readUInt32BE(at);
  if (size === 8) {
    const v = b.readBigUInt64BE(at);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  }
  return null;
}

/**
 * The TIFF block of a HEIC/HEIF's `Exif` item: `meta` → `iinf` names the item, `iloc` places its
 * extents (in the file, or in `idat`), whose first 4 bytes give the offset of the TIFF header. Read
 * here rather than by exifr, which only opens files listing the `heic` brand (a plain `mif1` HEIF
 * is accepted as image/heif too) and reads `iinf` version 0 only. Null when anything is missing.
 */
export function heifExifTiff(b: Buffer): Buffer | null {
  try {
    const meta = isoBoxes(b, 0, b.length, 16).find((x) => x.type === 'meta');
    if (!meta) return null;
    const inner = isoBoxes(b, meta.start + 4, meta.end);
    const iinf = inner.find((x) => x.type === 'iinf');
    const iloc = inner.find((x) => x.type === 'iloc');
    if (!iinf || !iloc) return null;
    // iinf: entry count (16 bits in version 0, else 32), then infe boxes
    const iinfVersion = b[iinf.start];
    const infes = isoBoxes(b, iinf.start + 4 + (iinfVersion === 0 ? 2 : 4), iinf.end, 4096);
    let exifId: number | null = null;
    for (const infe of infes.filter((x) => x.type === 'infe')) {
      const version = b[infe.start];
      if (version < 2) continue;
      const at = infe.start + 4;
      const idSize = version === 3 ? 4 : 2;
      if (b.toString('latin1', at + idSize + 2, at + idSize + 6) !== 'Exif') continue;
      exifId = idSize === 4 ? b.readUInt32BE(at) : b.readUInt16BE(at);
      break;
    }
    if (exifId === null) return null;
    // iloc: field sizes, then per item its extents (file offsets, or idat's with method 1)
    const version = b[iloc.start];
    let p = iloc.start + 4;
    const offsetSize = b[p] >> 4;
    const lengthSize = b[p] & 0xf;
    const baseSize = b[p + 1] >> 4;
    const indexSize = version === 1 || version === 2 ? b[p + 1] & 0xf : 0;
    p += 2;
    const count = version === 2 ? b.readUInt32BE(p) : b.readUInt16BE(p);
    p += version === 2 ? 4 : 2;
    for (let i = 0; i < count && p < iloc.end; i++) {
      const id = version === 2 ? b.readUInt32BE(p) : b.readUInt16BE(p);
      p += version === 2 ? 4 : 2;
      const method = version === 1 || version === 2 ? b.readUInt16BE(p) & 0xf : 0;
      if (version === 1 || version === 2) p += 2;
      p += 2; // data_reference_index
      const base = uintN(b, p, baseSize);
      p += baseSize;
      const extents = b.readUInt16BE(p);
      p += 2;
      const parts: Buffer[] = [];
      for (let e = 0; e < extents; e++) {
        p += indexSize;
        const offset = uintN(b, p, offsetSize);
        const length = uintN(b, p + offsetSize, lengthSize);
        p += offsetSize + lengthSize;
        if (id !== exifId) continue;
        if (base === null || offset === null || length === null || method > 1) return null;
        const idat = method === 1 ? inner.find((x) => x.type === 'idat') : null;
        const from = (idat ? idat.start : 0) + base + offset;
        const to = length === 0 ? (idat ? idat.end : b.length) : from + length;
        if (to > (idat ? idat.end : b.length)) return null;
        parts.push(b.subarray(from, to));
      }
      if (id !== exifId) continue;
      const item = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      if (item.length < 4) return null;
      const tiff = item.subarray(4 + item.readUInt32BE(0));
      const mark = tiff.toString('latin1', 0, 4);
      return mark === 'II*\0' || mark === 'MM\0*' ? tiff : null;
    }
    return null;
  } catch {
    return null; // a read past the end: a truncated or malformed box
  }
}

/**
 * Taken time and GPS (WGS84) from the EXIF of a JPEG, PNG, WebP or HEIC/HEIF (its `Exif` item,
 * {@link heifExifTiff}); nothing if absent.
 */
export async function readPhotoFacts(b: Buffer, type?: AcceptedType): Promise<PhotoFacts> {
  const none: PhotoFacts = { takenAt: null, lat: null, lng: null };
  let tags: Record<string, unknown> | undefined;
  const source = type === 'heic' || type === 'heif' ? (heifExifTiff(b) ?? b) : b;
  try {
    tags = (await exifr.parse(source, {
      gps: true,
      reviveValues: false,
      translateValues: false,
      pick: [
        'DateTimeOriginal',
        'CreateDate',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
      ],
    })) as Record<string, unknown> | undefined;
  } catch {
    return none;
  }
  if (!tags) return none;
  const raw = [tags.DateTimeOriginal, tags.CreateDate].find((v) => typeof v === 'string') as
    string | undefined;
  const m = raw ? /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw) : null;
  const takenAt = m && m[1] !== '0000' ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : null;
  const coord = (v: unknown, ref: unknown, max: number): string | null => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) return null;
    try {
      const out = dmsToDecimal(v as number[], typeof ref === 'string' ? ref : undefined);
      return out !== null && Math.abs(Number(out)) <= max ? out : null;
    } catch {
      return null;
    }
  };
  return {
    takenAt,
    lat: coord(tags.GPSLatitude, tags.GPSLatitudeRef, 90),
    lng: coord(tags.GPSLongitude, tags.GPSLongitudeRef, 180),
  };
}

/**
 * A ≤ 480 px JPEG thumbnail, auto-oriented, without any metadata (sharp writes none unless asked),
 * of the file at a path (read as it decodes; a JPEG shrunk on load) or of bytes.
 */
export async function makeThumbnail(source: Buffer | string): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(source, { limitInputPixels: MAX_IMAGE_PIXELS, sequentialRead: true })
    .rotate()
    .resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 78, mozjpeg: false })
    .toBuffer();
}

let placeholder: Promise<Buffer> | null = null;

/** The thumbnail of a photo that cannot be decoded here (HEIC/HEIF): a plain grey card with a camera mark. */
export function placeholderThumbnail(): Promise<Buffer> {
  placeholder ??= loadSharp().then((sharp) =>
    sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360"><rect width="480" height="360" fill="#e4e7ed"/><rect x="180" y="135" width="120" height="90" rx="12" fill="#909399"/><circle cx="240" cy="180" r="28" fill="#e4e7ed"/><rect x="210" y="122" width="40" height="16" rx="4" fill="#909399"/></svg>`,
      ),
    )
      .jpeg({ quality: 80 })
      .toBuffer(),
  );
  return placeholder;
}
