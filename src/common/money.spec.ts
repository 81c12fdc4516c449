import {
  fenToWan,
  formatUnits,
  HUNDREDTHS,
  parseDecimal,
  sumUnits,
  WAN,
  wanTextToFen,
  wanToFen,
} from './money';

describe('money', () => {
  it.each([
    ['1330', 1_330_000_000],
    ['13104.53', 13_104_530_000],
    ['0.000001', 1],
    ['0.1', 100_000],
    [0.2, 200_000],
    [1234.57, 1_234_570_000],
    ['2931.960000', 2_931_960_000],
    ['0', 0],
  ])('parses %p 万元 to %p fen', (input, fen) => {
    expect(parseDecimal(input, WAN)).toEqual({ ok: true, value: fen });
  });

  it.each([
    ['1e3', 'not_decimal'],
    ['12,34', 'not_decimal'],
    ['-5', 'negative'],
    [-0.5, 'negative'],
    ['0.0000001', 'too_precise'],
    [NaN, 'not_decimal'],
    [Infinity, 'not_decimal'],
    ['', 'not_decimal'],
    ['.5', 'not_decimal'],
    [null, 'not_decimal'],
    [true, 'not_decimal'],
    ['99999999999999999', 'too_large'],
    ['100000000.000001', 'too_large'],
    ['5000000000', 'too_large'],
    ['9007199254.740991', 'too_large'],
  ])('rejects %p as %p', (input, reason) => {
    expect(parseDecimal(input, WAN)).toEqual({ ok: false, reason });
  });

  it('accepts exactly the maximum, 100,000,000 万元, and reads sums past 2^53 back as BigInt', () => {
    expect(parseDecimal('100000000', WAN)).toEqual({ ok: true, value: 100_000_000_000_000 });
    expect(parseDecimal('100000000.01', HUNDREDTHS)).toEqual({ ok: false, reason: 'too_large' });
    expect(wanTextToFen('10000000000000.00')).toBe(10_000_000_000_000_000_000n);
    expect(wanTextToFen('-1.5')).toBe(-1_500_000n);
    expect(fenToWan(wanTextToFen('9990000000000.000001'))).toBe('9990000000000.000001');
  });

  it('formats fen as 万元 with at least two decimals', () => {
    expect(fenToWan(13_104_530_000)).toBe('13104.53');
    expect(fenToWan(8_938_000_000)).toBe('8938.00');
    expect(fenToWan(1)).toBe('0.000001');
    expect(fenToWan(0)).toBe('0.00');
    expect(fenToWan(-1_500_000)).toBe('-1.50');
    expect(formatUnits(120, HUNDREDTHS)).toBe('1.20');
  });

  it('sums values that defeat binary floats exactly', () => {
    const parts = ['0.1', '0.2', '1234.57', '2931.96'];
    expect(fenToWan(sumUnits(parts.map(wanToFen)))).toBe('4166.83');
    expect(0.1 + 0.2).not.toBe(0.3); // the reason for all of this
    const lands = ['68', '1.2', '0', '5.39', '12.28', '0', '3.9', '106.38', '0', '0'];
    expect(
      formatUnits(
        sumUnits(lands.map((l) => parseDecimal(l, HUNDREDTHS)).map((r) => (r.ok ? r.value : NaN))),
        HUNDREDTHS,
      ),
    ).toBe('197.15');
  });
});
