import { scanJsonShape, takeForbiddenKeys, valueShape } from './body-shape';

const scan = (text: string, limits = { maxKeys: 3, maxItems: 4, maxDepth: 3 }) =>
  scanJsonShape(Buffer.from(text), limits);

describe('body shape', () => {
  it.each([
    ['{"a":1,"b":2,"c":3}', null],
    ['{"a":1,"b":2,"c":3,"d":4}', { kind: 'keys', limit: 3 }],
    ['[1,2,3,4]', null],
    ['[1,2,3,4,5]', { kind: 'items', limit: 4 }],
    ['{"a":{"b":[1]}}', null],
    ['{"a":{"b":[[1]]}}', { kind: 'depth', limit: 3 }],
    // braces, brackets, commas and escaped quotes inside strings do not count
    ['{"a":"{[,,,,,]}","b":"\\"{,,,,"}', null],
    ['{"a,b,c,d":1}', null],
    // commas of a nested object count for it, not its parent
    ['{"a":{"x":1,"y":2,"z":3},"b":[1,2,3,4]}', null],
  ])('%s → %j', (text, expected) => expect(scan(text)).toEqual(expected));

  it('the parsed-value check agrees', () => {
    const limits = { maxKeys: 3, maxItems: 4, maxDepth: 3 };
    expect(valueShape({ a: 1, b: 2, c: 3 }, limits)).toBeNull();
    expect(valueShape({ a: 1, b: 2, c: 3, d: 4 }, limits)).toEqual({ kind: 'keys', limit: 3 });
    expect(valueShape({ a: { b: [[1]] } }, limits)).toEqual({ kind: 'depth', limit: 3 });
    expect(valueShape([1, 2, 3, 4, 5], limits)).toEqual({ kind: 'items', limit: 4 });
  });

  it('takes prototype keys out, by path', () => {
    const v = JSON.parse(
      '{"__proto__":{"x":1},"a":[{"constructor":1,"ok":2}],"b":{"prototype":3}}',
    );
    expect(takeForbiddenKeys(v)).toEqual(['__proto__', 'a[0].constructor', 'b.prototype']);
    expect(JSON.stringify(v)).toBe('{"a":[{"ok":2}],"b":{}}');
  });
});
