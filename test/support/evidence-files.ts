import { crc32, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';

/** A stored or deflated zip of the given parts (central directory included), for office and bomb tests. */
export function makeZip(parts: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const packed = deflateRawSync(p.data);
    const crc = crc32(p.data);
    const size = p.declaredSize ?? p.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
);

/** A small .docx (its parts, not a real Word document: the sniffing reads the archive's names). */
export const docx = (text = '合同正文') =>
  makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    {
      name: 'word/document.xml',
      data: Buffer.from(`<w:document><w:body>${text}</w:body></w:document>`),
    },
  ]);

/** A .docx whose document inflates to 60 MB of zeros from ~60 KB: ratio ~1000. */
export const docxBomb = () =>
  makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'word/document.xml', data: Buffer.alloc(60 * 1024 * 1024) },
  ]);

/** A minimal one-page PDF. */
export const pdf = (title = '批复') =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n%${title}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A PNG of a few bytes whose header declares width × height pixels. */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateRawSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A site photo as a phone takes it: width × height, EXIF DateTimeOriginal and GPS, and (orientation
 * 6) stored sideways, to be turned upright.
 */
export function sitePhoto(opts: {
  taken: string; // '2026:12:01 09:15:30'
  width?: number;
  height?: number;
  gps?: { lat: string; latRef: string; lng: string; lngRef: string };
  orientation?: number;
  color?: string;
}): Promise<Buffer> {
  const gps = opts.gps ?? {
    lat: '24/1 5/1 3012/100',
    latRef: 'N',
    lng: '115/1 15/1 1/4',
    lngRef: 'E',
  };
  return sharp({
    create: {
      width: opts.width ?? 1200,
      height: opts.height ?? 900,
      channels: 3,
      background: opts.color ?? '#7a9a6a',
    },
  })
    .jpeg({ quality: 80 })
    .withMetadata({ orientation: opts.orientation ?? 6 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Site Camera' },
      IFD2: { DateTimeOriginal: opts.taken },
      IFD3: {
        GPSLatitudeRef: gps.latRef,
        GPSLatitude: gps.lat,
        GPSLongitudeRef: gps.lngRef,
        GPSLongitude: gps.lng,
      },
    })
    .toBuffer();
}

/** A JPEG padded with 1 MB of EXIF (16 APP1 segments of ~64 KB) before its image. */
export async function jpegWithHugeExif(): Promise<Buffer> {
  const base = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const segments: Buffer[] = [];
  for (let i = 0; i < 16; i++) {
    const body = Buffer.alloc(65533 - 2, 0x41);
    Buffer.from('Exif\0\0').copy(body);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    segments.push(head, body);
  }
  return Buffer.concat([base.subarray(0, 2), ...segments, base.subarray(2)]);
}

/** An ISO-BMFF box: 32-bit size, four-character type, then the body. */
function box(type: string, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + content.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, content]);
}

/** A full box: version and 24-bit flags before the body. */
const fullBox = (type: string, version: number, ...body: Buffer[]) =>
  box(type, Buffer.from([version, 0, 0, 0]), ...body);

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** The TIFF block (after `Exif\0\0`) of the APP1 segment of a JPEG. */
function tiffOfJpeg(jpeg: Buffer): Buffer {
  let p = 2;
  while (p + 4 <= jpeg.length && jpeg[p] === 0xff) {
    const len = jpeg.readUInt16BE(p + 2);
    if (jpeg[p + 1] === 0xe1 && jpeg.toString('latin1', p + 4, p + 10) === 'Exif\0\0')
      return jpeg.subarray(p + 10, p + 2 + len);
    p += 2 + len;
  }
  throw new Error('no EXIF segment');
}

/**
 * A HEIC photo as an iPhone lays it out, built by hand (the bundled libvips cannot encode HEVC): an
 * `ftyp` (major brand `heic`, compatible `mif1`, `heic`), a `meta` box (`hdlr` pict, `pitm`, `iinf`
 * naming item 1 `hvc1` — the picture — and item 2 `Exif`, `iloc` placing both in `mdat`), and an
 * `mdat` holding stand-in HEVC bytes and the EXIF item (a 4-byte offset, `Exif\0\0`, then the TIFF
 * block with DateTimeOriginal and GPS, as `sitePhoto` writes them).
 */
export async function heicPhoto(opts: {
  taken: string;
  gps?: { lat: string; latRef: string; lng: string; lngRef: string };
  brands?: [string, ...string[]];
}): Promise<Buffer> {
  const tiff = tiffOfJpeg(await sitePhoto({ ...opts, width: 16, height: 16, orientation: 1 }));
  const exifItem = Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), tiff]);
  // stand-in for the HEVC-coded picture: never decoded here
  const picture = Buffer.concat([Buffer.from([0, 0, 0, 1, 0x40, 0x01]), Buffer.alloc(2048, 0x5a)]);
  const [major, ...compatible] = opts.brands ?? ['heic', 'mif1', 'heic'];
  const ftyp = box(
    'ftyp',
    Buffer.from(major, 'latin1'),
    u32(0),
    ...compatible.map((b) => Buffer.from(b, 'latin1')),
  );
  const hdlr = fullBox(
    'hdlr',
    0,
    u32(0),
    Buffer.from('pict', 'latin1'),
    Buffer.alloc(12),
    Buffer.from('\0'),
  );
  const pitm = fullBox('pitm', 0, u16(1));
  const infe = (id: number, type: string) =>
    fullBox('infe', 2, u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from('\0'));
  const iinf = fullBox('iinf', 0, u16(2), infe(1, 'hvc1'), infe(2, 'Exif'));
  // version 0, 4-byte offsets and lengths, no base offset; offsets are from the file's start
  const iloc = (pictureAt: number, exifAt: number) =>
    fullBox(
      'iloc',
      0,
      Buffer.from([0x44, 0x00]),
      u16(2),
      ...[
        [1, pictureAt, picture.length],
        [2, exifAt, exifItem.length],
      ].map(([id, at, len]) => Buffer.concat([u16(id), u16(0), u16(1), u32(at), u32(len)])),
    );
  const meta = (pictureAt: number, exifAt: number) =>
    fullBox('meta', 0, hdlr, pitm, iinf, iloc(pictureAt, exifAt));
  const mdatStart = ftyp.length + meta(0, 0).length + 8;
  return Buffer.concat([
    ftyp,
    meta(mdatStart, mdatStart + picture.length),
    box('mdat', picture, exifItem),
  ]);
}
