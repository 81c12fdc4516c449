import { crc32, createDeflateRaw } from 'node:zlib';

/** One zip entry as it will be written: compressed bytes, real size and CRC, and what the headers claim. */
export interface ZipPart {
  name: string;
  method: 0 | 8;
  data: Buffer;
  size: number;
  crc: number;
  /** Written into both headers instead of the real size (a lying header). */
  declaredSize?: number;
}

/** Deflates pieces of text as a stream into one zip part: no huge string is ever built. */
async function deflatePieces(
  name: string,
  pieces: Iterable<string | Buffer>,
  level: number,
): Promise<ZipPart> {
  const deflate = createDeflateRaw({ level });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => deflate.on('end', r));
  let crc = 0;
  let size = 0;
  for (const piece of pieces) {
    const b = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    crc = crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return { name, method: 8, data: Buffer.concat(out), size, crc };
}

/** `times` repetitions of `unit` between `head` and `tail`, written 64 KB at a time. */
export function deflatePart(
  name: string,
  head: string,
  unit: string,
  times: number,
  tail: string,
): Promise<ZipPart> {
  function* pieces(): Generator<string | Buffer> {
    yield head;
    if (times > 0) {
      const perBlock = Math.max(1, Math.floor(65_536 / Buffer.byteLength(unit)));
      const block = Buffer.from(unit.repeat(perBlock), 'utf8');
      let left = times;
      for (; left >= perBlock; left -= perBlock) yield block;
      if (left > 0) yield unit.repeat(left);
    }
    yield tail;
  }
  return deflatePieces(name, pieces(), 9);
}

/** Like deflatePart, with rows made one by one (content that does not compress to nothing). */
export function deflateRows(
  name: string,
  head: string,
  row: (i: number) => string,
  count: number,
  tail: string,
): Promise<ZipPart> {
  function* pieces(): Generator<string> {
    yield head;
    let batch = '';
    for (let i = 0; i < count; i++) {
      batch += row(i);
      if (batch.length > 65_536) {
        yield batch;
        batch = '';
      }
    }
    yield batch + tail;
  }
  return deflatePieces(name, pieces(), 6);
}

export async function textPart(name: string, text: string): Promise<ZipPart> {
  return deflatePart(name, text, '', 0, '');
}

/** A zip archive of the given parts (local headers, data, central directory, end record). */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(p.method, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(p.method, 10);
    central.writeUInt32LE(p.crc >>> 0, 16);
    central.writeUInt32LE(p.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.data);
    centrals.push(central, name);
    offset += 30 + name.length + p.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>`;
export const SHEET_TAIL = '</sheetData></worksheet>';

/** The parts every workbook has, around one sheet (and shared strings when given). */
export async function workbookParts(sheet: ZipPart, shared?: ZipPart): Promise<ZipPart[]> {
  return [
    await textPart(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    await textPart(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    await textPart(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><sheets><sheet name="规划表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    await textPart(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    ...(shared ? [shared] : []),
    sheet,
  ];
}

/** A plan table's header row, so a file gets as far as the table parser. */
export const HEADER_ROW =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>年度</t></is></c><c r="B1" t="inlineStr"><is><t>学校名称</t></is></c><c r="C1" t="inlineStr"><is><t>小学</t></is></c><c r="D1" t="inlineStr"><is><t>资金测算（万元）</t></is></c></row>';

/** Rows of one cell each in column XFD (the last): 16,384 columns per row for a careless reader. */
export async function xfdWorkbook(rows: number): Promise<Buffer> {
  const sheet = await deflatePart(
    'xl/worksheets/sheet1.xml',
    SHEET_HEAD + HEADER_ROW,
    '<row><c r="XFD1"><v>1</v></c></row>',
    rows,
    SHEET_TAIL,
  );
  return zip(await workbookParts(sheet));
}

/** One inline-string cell of `bytes` characters: a few hundred KB on disk. */
export async function hugeCellWorkbook(bytes: number): Promise<Buffer> {
  const sheet = await deflatePart(
    'xl/worksheets/sheet1.xml',
    `${SHEET_HEAD}${HEADER_ROW}<row r="2"><c r="B2" t="inlineStr"><is><t>`,
    'a',
    bytes,
    `</t></is></c></row>${SHEET_TAIL}`,
  );
  return zip(await workbookParts(sheet));
}

/** One shared string of `bytes` characters. */
export async function hugeSharedStringWorkbook(bytes: number): Promise<Buffer> {
  const shared = await deflatePart(
    'xl/sharedStrings.xml',
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>',
    'b',
    bytes,
    '</t></si></sst>',
  );
  const sheet = await textPart(
    'xl/worksheets/sheet1.xml',
    `${SHEET_HEAD}${HEADER_ROW}<row r="2"><c r="B2" t="s"><v>0</v></c></row>${SHEET_TAIL}`,
  );
  return zip(await workbookParts(sheet, shared));
}

/** A sheet whose headers claim `declared` bytes while it inflates to far more. */
export async function lyingHeaderWorkbook(declared: number, actualRows: number): Promise<Buffer> {
  const sheet = await deflatePart(
    'xl/worksheets/sheet1.xml',
    SHEET_HEAD + HEADER_ROW,
    '<row><c r="B2"><v>1</v></c></row>',
    actualRows,
    SHEET_TAIL,
  );
  return zip(await workbookParts({ ...sheet, declaredSize: declared }));
}

/** Rows numbered one by one with a cell in column XFD: compresses only ~10:1, so it passes the archive checks. */
export async function xfdNumberedWorkbook(rows: number): Promise<Buffer> {
  const sheet = await deflateRows(
    'xl/worksheets/sheet1.xml',
    SHEET_HEAD + HEADER_ROW,
    (i) => `<row r="${i + 2}"><c r="XFD${i + 2}"><v>${(i * 7919) % 1_000_003}</v></c></row>`,
    rows,
    SHEET_TAIL,
  );
  return zip(await workbookParts(sheet));
}

/** A legal, wide plan table: `rows` schools, each row padded with numbers out to column `width`. */
export async function widePlanTable(rows: number, width: number): Promise<Buffer> {
  const cols = (i: number) => {
    let s = `<row r="${i + 2}"><c r="A${i + 2}"><v>2026</v></c><c r="B${i + 2}" t="inlineStr"><is><t>学校${i}</t></is></c><c r="C${i + 2}"><v>540</v></c><c r="D${i + 2}"><v>1200</v></c>`;
    for (let j = 5; j <= width; j++) s += `<c><v>${(i + j) % 997}</v></c>`;
    return s + '</row>';
  };
  const sheet = await deflateRows(
    'xl/worksheets/sheet1.xml',
    SHEET_HEAD + HEADER_ROW,
    cols,
    rows,
    SHEET_TAIL,
  );
  return zip(await workbookParts(sheet));
}
