import ExcelJS from 'exceljs';
import { textPart, zip } from '../../scripts/bench/hostile-xlsx';
import { readWorkbook } from './workbook-reader';
import { XmlHandler, XmlTokenizer } from './xml-tokens';

/** Names of 3-byte characters with 1–4 of them, so their bytes fall on every offset of a chunk. */
function chineseNames(n: number): string[] {
  const chars = '连南瑶族自治县寨岗镇中心幼儿园三排横坑大坪香坪民族高级中学初小特殊教育𠀋学校';
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let k = 0, v = i; k < 1 + (i % 4) || v > 0; k++, v = Math.floor(v / 7))
      s += [...chars][(v + k * 13) % [...chars].length];
    out.push(`${s}${i}`);
  }
  return out;
}

describe('readWorkbook', () => {
  it('reads 12,000 Chinese names back identical when every chunk boundary splits characters', async () => {
    const names = chineseNames(12_000);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.addRow(['年度', '学校名称', '备注']);
    // shared strings (column B) and inline strings (column C): both paths through the decoder
    names.forEach((n, i) => {
      const row = ws.addRow([2026, n]);
      row.getCell(3).value = {
        richText: [{ text: [...n][0] }, { text: [...n].slice(1).join('') }],
      };
      void i;
    });
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    for (const chunkBytes of [64, 4096]) {
      const sheets = await readWorkbook(buf, { maxSheets: 5, maxRows: 20_000 }, undefined, {
        chunkBytes,
      });
      const read = sheets[0].rows.slice(1).map((r) => r.cells[1].value);
      expect(read).toEqual(names.map((value) => ({ kind: 'text', value })));
      expect(sheets[0].rows.slice(1).map((r) => r.cells[2].value)).toEqual(
        names.map((value) => ({ kind: 'text', value })),
      );
    }
  });

  it('the tokenizer gives the same tokens however the text is cut', () => {
    const xml =
      '<?xml version="1.0"?><a x="1 &amp; 2" y=\'>\'><b>连南&lt;瑶族&#x4E2D;&#20013;</b><!-- note --><c/><![CDATA[<raw>]]></a>';
    const tokens = (pieces: string[]) => {
      const out: string[] = [];
      const h: XmlHandler = {
        open: (n, a, sc) => out.push(`<${n}${a}${sc ? '/' : ''}>`),
        close: (n) => out.push(`</${n}>`),
        text: (t) => out.push(`T:${t}`),
      };
      const tok = new XmlTokenizer(h);
      for (const p of pieces) tok.write(p);
      tok.end();
      // adjacent text pieces are one text
      return out.reduce<string[]>((acc, x) => {
        if (x.startsWith('T:') && acc.length && acc[acc.length - 1].startsWith('T:'))
          acc[acc.length - 1] += x.slice(2);
        else acc.push(x);
        return acc;
      }, []);
    };
    const whole = tokens([xml]);
    expect(whole).toEqual([
      '<a x="1 &amp; 2" y=\'>\'>',
      '<b>',
      'T:连南<瑶族中中',
      '</b>',
      '<c/>',
      '</c>',
      'T:<raw>',
      '</a>',
    ]);
    for (let i = 1; i < xml.length; i++) {
      for (let j = i; j < xml.length; j += 7)
        expect(tokens([xml.slice(0, i), xml.slice(i, j), xml.slice(j)])).toEqual(whole);
    }
  });

  it('ignores columns past 64 and keeps no empty cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    ws.getCell('A1').value = '学校名称';
    ws.getCell('BL1').value = '第64列';
    ws.getCell('BM1').value = '第65列';
    ws.getCell('XFD2').value = 1;
    const sheets = await readWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), {
      maxSheets: 5,
      maxRows: 10,
    });
    expect(sheets[0].rows).toHaveLength(1);
    const cells = sheets[0].rows[0].cells;
    expect(cells.length).toBe(64);
    expect(Object.keys(cells)).toEqual(['0', '63']);
  });

  it('stops at the first cap: cells, text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('规划表');
    for (let i = 0; i < 100; i++) ws.addRow([i, `学校${i}`, i]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    await expect(
      readWorkbook(buf, { maxSheets: 5, maxRows: 1000, maxCells: 250 }),
    ).rejects.toMatchObject({ what: 'cells', limit: 250 });
    await expect(
      readWorkbook(buf, { maxSheets: 5, maxRows: 1000, maxTextChars: 500 }),
    ).rejects.toMatchObject({ what: 'text', limit: 500 });
    await expect(readWorkbook(buf, { maxSheets: 5, maxRows: 50 })).rejects.toMatchObject({
      what: 'rows',
      limit: 50,
      sheet: '规划表',
    });
  });

  it('finds the workbook, its sheets and shared strings through the package relationships, wherever they are', async () => {
    const ns =
      'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const rel = (id: string, type: string, target: string) =>
      `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
    const buf = zip([
      await textPart(
        '_rels/.rels',
        `<Relationships>${rel('r1', 'officeDocument', '/book/main.xml')}</Relationships>`,
      ),
      await textPart(
        'book/main.xml',
        `<workbook ${ns}><workbookPr date1904="1"/><sheets><sheet name="第一" sheetId="1" r:id="a"/></sheets></workbook>`,
      ),
      await textPart(
        'book/_rels/main.xml.rels',
        `<Relationships>${rel('a', 'worksheet', 'tabs/one.xml')}${rel('b', 'sharedStrings', '../strings/all.xml')}${rel('c', 'styles', 'look.xml')}</Relationships>`,
      ),
      await textPart(
        'strings/all.xml',
        '<sst><si><t>学校名称</t></si><si><r><t>连南</t></r><r><t>中学</t></r><rPh><t>lian</t></rPh></si></sst>',
      ),
      await textPart(
        'book/look.xml',
        '<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
      ),
      await textPart(
        'book/tabs/one.xml',
        `<worksheet ${ns}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" s="1"><v>0</v></c></row></sheetData></worksheet>`,
      ),
    ]);
    const [sheet] = await readWorkbook(buf, { maxSheets: 5, maxRows: 10 });
    expect(sheet.name).toBe('第一');
    expect(sheet.rows[0].cells.map((c) => c.value)).toEqual([
      { kind: 'text', value: '学校名称' },
      { kind: 'text', value: '连南中学' },
      { kind: 'date', value: new Date(Date.UTC(1904, 0, 1)) },
    ]);
  });

  it('refuses U+FFFD that reached a value, naming the cell', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('规划表').addRow(['学校名称', '连南\uFFFD中学']);
    await expect(
      readWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), { maxSheets: 5, maxRows: 10 }),
    ).rejects.toMatchObject({ reason: 'replacement_char', sheet: '规划表', row: 1, column: 2 });
  });
});
