import { ArchiveRefused, DEFAULT_ARCHIVE_CAPS, ZipArchive } from '../excel/zip-archive';

/** The types an attachment may have, read from its content (magic bytes), never from its name. */
export const ACCEPTED_TYPES = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type AcceptedType = keyof typeof ACCEPTED_TYPES;

/** What is allowed, in the words of every refusal. */
export const ALLOWED_IN_WORDS =
  '只能上传 PDF、OFD、JPEG、PNG、WebP、HEIC/HEIF 图片、Word（.docx）或 Excel（.xlsx）文件';

/** An upload refused for its content: `message` is the Chinese sentence a user reads. */
export class ContentRefused extends Error {
  constructor(
    readonly code: 'ATTACHMENT_TYPE' | 'ATTACHMENT_ARCHIVE' | 'ATTACHMENT_IMAGE',
    message: string,
  ) {
    super(message);
  }
}

/** Zip caps for attached office files: as the import's, smaller totals (an attachment is ≤ 20 MB). */
export const ATTACHMENT_ARCHIVE_CAPS = {
  ...DEFAULT_ARCHIVE_CAPS,
  maxEntries: 2_000,
  maxPartBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
};

const ARCHIVE_WORDS: Record<ArchiveRefused['problem'], string> = {
  not_zip: '不是有效的压缩包',
  entries: '压缩包内文件过多',
  part_size: '压缩包内单个文件解压后过大',
  total_size: '压缩包解压后总大小过大',
  ratio: '压缩比异常（疑似压缩炸弹）',
  size_mismatch: '压缩包内文件的实际大小与声明不符',
  unsupported: '压缩包使用了不支持的格式（加密、ZIP64或其他压缩方式）',
};

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);

/** The ISO-BMFF `ftyp` brands (major first), or null. */
function ftypBrands(b: Buffer): string[] | null {
  if (b.length < 16 || b.toString('latin1', 4, 8) !== 'ftyp') return null;
  const size = Math.min(b.readUInt32BE(0), b.length, 256);
  if (size < 16) return null;
  const brands = [b.toString('latin1', 8, 12)];
  for (let p = 16; p + 4 <= size; p += 4) brands.push(b.toString('latin1', p, p + 4));
  return brands;
}

/** The type by magic bytes, before any zip is opened; `zip` for a zip still to be looked into. */
function magic(b: Buffer): AcceptedType | 'zip' | null {
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    b.length >= 8 &&
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (
    b.length >= 12 &&
    b.toString('latin1', 0, 4) === 'RIFF' &&
    b.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  const brands = ftypBrands(b);
  if (brands) {
    if (HEIC_BRANDS.has(brands[0])) return 'heic';
    if (HEIF_BRANDS.has(brands[0]))
      return brands.some((x) => HEIC_BRANDS.has(x))
        ? 'heic'
        : brands.includes('avif')
          ? null
          : 'heif';
    return null;
  }
  if (b.length >= 4 && b.readUInt32LE(0) === 0x04034b50) return 'zip';
  return null;
}

/**
 * A zip upload: opened through the import's checks (entry count, declared sizes and ratio, then the
 * actual sizes inflated within the caps), then named by what it holds — OFD (`OFD.xml` at the
 * root), DOCX or XLSX (`[Content_Types].xml` with `word/` or `xl/`). Any other archive is refused.
 */
async function zipType(b: Buffer): Promise<AcceptedType> {
  let zip: ZipArchive;
  try {
    zip = ZipArchive.open(b, ATTACHMENT_ARCHIVE_CAPS);
    await zip.verifySizes();
  } catch (e) {
    if (e instanceof ArchiveRefused)
      throw new ContentRefused(
        'ATTACHMENT_ARCHIVE',
        `${ARCHIVE_WORDS[e.problem]}${e.part ? `（${e.part}）` : ''}`,
      );
    throw e;
  }
  const names = [...zip.entries.keys()];
  if (names.includes('OFD.xml')) return 'ofd';
  if (names.includes('[Content_Types].xml')) {
    if (names.some((n) => n.startsWith('word/'))) return 'docx';
    if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  }
  throw new ContentRefused('ATTACHMENT_TYPE', `不接受压缩包；${ALLOWED_IN_WORDS}`);
}

/**
 * The accepted type of the content, or a refusal naming what is allowed. `b` may be the start of
 * the file only; a zip is then read whole through `whole` to be looked into.
 */
export async function sniffType(
  b: Buffer,
  whole: () => Promise<Buffer> = () => Promise.resolve(b),
): Promise<AcceptedType> {
  const m = magic(b);
  if (m === 'zip') return zipType(await whole());
  if (m) return m;
  throw new ContentRefused('ATTACHMENT_TYPE', ALLOWED_IN_WORDS);
}

export const isImage = (t: AcceptedType) =>
  t === 'jpeg' || t === 'png' || t === 'webp' || t === 'heic' || t === 'heif';

/** Images decoded for a thumbnail (HEIC/HEIF get a placeholder: the bundled libvips has no HEVC). */
export const isDecodable = (t: AcceptedType) => t === 'jpeg' || t === 'png' || t === 'webp';

/** The bytes of a JPEG's APPn segments (EXIF, XMP…) before its image data: a cap against padding. */
export function jpegMetadataBytes(b: Buffer): number {
  let p = 2;
  let total = 0;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) break;
    const marker = b[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const len = b.readUInt16BE(p + 2);
    if (marker >= 0xe0 && marker <= 0xef) total += len;
    p += 2 + len;
  }
  return total;
}

const EXTENSIONS: Record<AcceptedType, string> = {
  pdf: '.pdf',
  ofd: '.ofd',
  jpeg: '.jpg',
  png: '.png',
  webp: '.webp',
  heic: '.heic',
  heif: '.heif',
  docx: '.docx',
  xlsx: '.xlsx',
};

/**
 * The name kept for an upload: multer's latin1 decoded as UTF-8, only the last segment of any
 * path (`/` or `\`), without control or bidi-override characters, leading dots or surrounding
 * blanks, at most 120 characters (the extension kept); Chinese as it was. Empty → 附件.ext.
 */
export function cleanName(raw: string | undefined, type: AcceptedType): string {
  let name = raw ?? '';
  // busboy decodes a plain filename="…" as latin1 (a browser sends UTF-8 bytes); a filename*= one
  // arrives decoded already (characters above U+00FF)
  const latin1Only = [...name].every((c) => c.charCodeAt(0) <= 0xff);
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  if (latin1Only && !utf8.includes('\uFFFD') && [...name].some((c) => c.charCodeAt(0) > 0x7f))
    name = utf8;
  name = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.replace(/^[\s.]+/, '').trim();
  if (!name) return `附件${EXTENSIONS[type]}`;
  const chars = [...name];
  if (chars.length > 120) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = chars.slice(0, 120 - [...ext].length).join('') + ext;
  }
  return name;
}
