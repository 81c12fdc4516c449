import { deflateRawSync } from 'node:zlib';
import { cleanName, jpegMetadataBytes, sniffType } from './content-type';
import { dmsToDecimal, heifExifTiff } from './photo';

describe('sniffType (by content, never by name)', () => {
  const ftyp = (major: string, ...compat: string[]) => {
    const brands = [major, '\0\0\0\0', ...compat].join('');
    const b = Buffer.alloc(8 + brands.length);
    b.writeUInt32BE(b.length, 0);
    b.write('ftyp', 4, 'latin1');
    b.write(brands, 8, 'latin1');
    return b;
  };
  it.each([
    [Buffer.from('%PDF-1.7\n'), 'pdf'],
    [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'jpeg'],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'png'],
    [Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), 'webp'],
    [ftyp('heic', 'mif1', 'heic'), 'heic'],
    [ftyp('mif1', 'mif1', 'heic'), 'heic'],
    [ftyp('mif1', 'mif1'), 'heif'],
  ])('%#: names the type', async (bytes, type) => {
    await expect(sniffType(bytes)).resolves.toBe(type);
  });

  it.each([
    ['SVG', '<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'],
    ['HTML', '<!doctype html><p>%PDF-'],
    ['a script', '#!/bin/sh\nrm -rf /'],
    ['an executable', 'MZ\x90\x00'],
    ['AVIF', ''],
  ])('refuses %s, naming what is allowed', async (what, text) => {
    const bytes = what === 'AVIF' ? ftyp('avif', 'avif', 'mif1') : Buffer.from(text, 'latin1');
    await expect(sniffType(bytes)).rejects.toMatchObject({
      code: 'ATTACHMENT_TYPE',
      message:
        '只能上传 PDF、OFD、JPEG、PNG、WebP、HEIC/HEIF 图片、Word（.docx）或 Excel（.xlsx）文件',
    });
  });

  it('measures the metadata segments of a JPEG before its image data', () => {
    const seg = (marker: number, len: number) => {
      const b = Buffer.alloc(2 + len);
      b[0] = 0xff;
      b[1] = marker;
      b.writeUInt16BE(len, 2);
      return b;
    };
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      seg(0xe1, 1000),
      seg(0xe2, 500),
      seg(0xdb, 67),
      Buffer.from([0xff, 0xda, 0, 2]),
      deflateRawSync(Buffer.alloc(10)),
    ]);
    expect(jpegMetadataBytes(jpeg)).toBe(1500);
  });
});

describe('cleanName', () => {
  it.each([
    ['../../etc/\u0007立项\u001b批复.pdf', 'pdf', '立项批复.pdf'],
    ['C:\\Users\\张三\\桌面\\施工许可证.jpg', 'jpeg', '施工许可证.jpg'],
    ['..', 'pdf', '附件.pdf'],
    ['\u202egpj.exe', 'jpeg', 'gpj.exe'],
    // multer's latin1 reading of UTF-8 bytes, turned back into Chinese
    [Buffer.from('合同.docx', 'utf8').toString('latin1'), 'docx', '合同.docx'],
  ] as const)('%j → %s', (raw, type, want) => {
    expect(cleanName(raw, type)).toBe(want);
  });

  it('keeps at most 120 characters, the extension kept', () => {
    const name = cleanName(`${'很长的名字'.repeat(40)}.pdf`, 'pdf');
    expect([...name].length).toBe(120);
    expect(name).toBe(`${'很长的名字'.repeat(23)}很.pdf`);
  });
});

describe('dmsToDecimal (exact, 7 places, half up)', () => {
  it.each([
    [[24, 5, 30.12], 'N', '24.0917000'],
    [[115, 15, 0.25], 'E', '115.2500694'],
    [[33, 51, 54.36], 'S', '-33.8651000'],
    [[0, 0, 0.00018], 'W', '-0.0000001'],
    [[0, 0, 0], 'N', '0.0000000'],
  ])('%j %s → %s', (dms, ref, want) => {
    expect(dmsToDecimal(dms, ref)).toBe(want);
  });
});

describe('heifExifTiff (the Exif item of a HEIC/HEIF)', () => {
  const box = (type: string, ...body: Buffer[]) => {
    const content = Buffer.concat(body);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + content.length);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, content]);
  };
  const full = (type: string, version: number, ...body: Buffer[]) =>
    box(type, Buffer.from([version, 0, 0, 0]), ...body);
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  // a big-endian TIFF header with an empty IFD
  const tiff = Buffer.from('4d4d002a000000080000', 'hex');
  const item = Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const infe = (id: number, type: string) =>
    full('infe', 2, u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from('\0'));

  it('finds an Exif item kept in idat (iloc version 1, construction method 1, iinf version 1)', () => {
    const iinf = full('iinf', 1, u32(2), infe(1, 'hvc1'), infe(7, 'Exif'));
    // offset/length 4 bytes, base offset 0, index 0; item 7 at offset 3 of idat's data
    const iloc = full(
      'iloc',
      1,
      Buffer.from([0x44, 0x00]),
      u16(1),
      Buffer.concat([u16(7), u16(1), u16(0), u16(1), u32(3), u32(item.length)]),
    );
    const idat = box('idat', Buffer.from('xyz'), item);
    const file = Buffer.concat([
      box('ftyp', Buffer.from('mif1', 'latin1'), u32(0), Buffer.from('mif1miaf', 'latin1')),
      full(
        'meta',
        0,
        full('hdlr', 0, u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(13)),
        iinf,
        iloc,
        idat,
      ),
    ]);
    expect(heifExifTiff(file)?.toString('hex')).toBe(tiff.toString('hex'));
    // cut anywhere: nothing found, nothing thrown
    for (let n = 0; n < file.length; n++) expect(heifExifTiff(file.subarray(0, n))).toBeNull();
  });
});
