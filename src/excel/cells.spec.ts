import {
  decimalText,
  excelSerialToIso,
  headerKey,
  headerUnit,
  normalizeCell,
  parsePlannedDate,
  textWidth,
} from './cells';

describe('normalizeCell (every shape a cell comes in)', () => {
  it.each([
    [null, { kind: 'empty' }],
    ['  ', { kind: 'empty' }],
    [1330, { kind: 'number', value: 1330 }],
    [' 1,330 ', { kind: 'text', value: '1,330' }],
    [
      { richText: [{ text: '三排镇' }, { text: '横坑幼儿园' }] },
      { kind: 'text', value: '三排镇横坑幼儿园' },
    ],
    [
      { formula: 'SUM(D4:D17)', result: 6945 },
      { kind: 'number', value: 6945 },
    ],
    [
      { sharedFormula: 'D4', result: 7 },
      { kind: 'number', value: 7 },
    ],
    [
      { hyperlink: 'http://x', text: '链接' },
      { kind: 'text', value: '链接' },
    ],
    [{ error: '#DIV/0!' }, { kind: 'error', value: '#DIV/0!' }],
    [{ sharedString: 12 }, { kind: 'sharedString', index: 12 }],
  ])('%j', (raw, expected) => expect(normalizeCell(raw)).toEqual(expected));

  it('keeps dates', () =>
    expect(normalizeCell(new Date(Date.UTC(2021, 7, 1)))).toEqual({
      kind: 'date',
      value: new Date(Date.UTC(2021, 7, 1)),
    }));
});

describe('headers', () => {
  it.each([
    ['（拟新建改扩）\n学校名称', '学校名称'],
    ['计划完成  \n时间', '计划完成时间'],
    ['资金测算（万元）', '资金测算'],
    ['高中（中职）', '高中'],
    ['用地需求(亩)', '用地需求'],
  ])('%j → %s', (text, key) => expect(headerKey(text)).toBe(key));

  it('reads the unit', () => {
    expect(headerUnit('资金测算（万元）')).toBe('万元');
    expect(headerUnit('总投资(元)')).toBe('元');
    expect(headerUnit('资金测算')).toBeNull();
  });
});

describe('decimalText', () => {
  it.each([
    [{ kind: 'number', value: 5.39 }, '5.39'],
    [{ kind: 'number', value: 106.38 }, '106.38'],
    [{ kind: 'number', value: 1e21 }, '1000000000000000000000'],
    [{ kind: 'text', value: '1,330' }, '1330'],
    [{ kind: 'text', value: '12,345.67' }, '12345.67'],
    [{ kind: 'text', value: '12,34' }, '12,34'],
    [{ kind: 'empty' }, null],
  ] as const)('%j → %p', (v, t) => expect(decimalText(v)).toBe(t));
});

describe('parsePlannedDate', () => {
  it.each([
    [{ kind: 'text', value: '2021年8月' }, undefined, '2021-08'],
    [{ kind: 'text', value: '2021.8' }, undefined, '2021-08'],
    [{ kind: 'number', value: 2021.12 }, undefined, '2021-12'],
    [{ kind: 'text', value: '2021-08' }, undefined, '2021-08'],
    [{ kind: 'text', value: '2021/8' }, undefined, '2021-08'],
    [{ kind: 'text', value: '2024年8月15日' }, undefined, '2024-08-15'],
    [{ kind: 'text', value: '2024-2-29' }, undefined, '2024-02-29'],
    [{ kind: 'date', value: new Date(Date.UTC(2023, 7, 15)) }, 'yyyy-mm-dd', '2023-08-15'],
    [{ kind: 'date', value: new Date(Date.UTC(2023, 7, 1)) }, 'yyyy"年"m"月"', '2023-08'],
    [{ kind: 'number', value: 44439 }, 'yyyy-mm-dd', '2021-08-31'],
  ] as const)('%j (%s) → %s', (v, fmt, out) =>
    expect(parsePlannedDate(v, fmt)).toEqual({ ok: true, value: out }),
  );

  it.each([
    [{ kind: 'text', value: '2021年13月' }, 'bad_month'],
    [{ kind: 'text', value: '2021-00' }, 'bad_month'],
    [{ kind: 'text', value: '2023-02-29' }, 'bad_day'],
    [{ kind: 'text', value: '明年' }, 'not_date'],
    [{ kind: 'number', value: 5 }, 'not_date'],
  ] as const)('%j → %s', (v, reason) => expect(parsePlannedDate(v)).toEqual({ ok: false, reason }));

  it('converts serials', () => {
    expect(excelSerialToIso(44439)).toBe('2021-08-31');
    expect(excelSerialToIso(1)).toBe('1899-12-31');
  });

  it('measures CJK as double width', () => expect(textWidth('三排镇ab')).toBe(8));
});
