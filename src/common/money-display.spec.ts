import { displayFen, displayWan, wanWords } from './money-display';

describe('displayWan: half up to two decimals from the exact value, thousands separators', () => {
  it.each([
    ['20500.125', '20,500.13'],
    ['20500.124999', '20,500.12'],
    ['2500.125', '2,500.13'],
    ['1.005', '1.01'], // a binary float would give 1.00
    ['0.004999', '0.00'],
    ['0.005', '0.01'],
    ['99999.995', '100,000.00'],
    ['999.999999', '1,000.00'],
    ['62531.12', '62,531.12'],
    ['44030.595', '44,030.60'],
    ['1330', '1,330.00'],
    ['12345.6', '12,345.60'],
    ['0', '0.00'],
    ['-3.005', '-3.01'],
    ['-0.001', '0.00'],
    ['100000000.000000', '100,000,000.00'],
  ])('%s → %s', (input, shown) => expect(displayWan(input)).toBe(shown));

  it('blank for nothing, other text unchanged', () => {
    expect(displayWan(null)).toBe('');
    expect(displayWan(undefined)).toBe('');
    expect(displayWan('')).toBe('');
    expect(displayWan('未测算')).toBe('未测算');
  });

  it('from integer fen, and in words', () => {
    expect(displayFen(20500125000)).toBe('20,500.13');
    expect(displayFen(-4166530000n)).toBe('-4,166.53');
    expect(displayFen('1005000')).toBe('1.01');
    expect(wanWords(13104530000)).toBe('13,104.53万元');
  });
});
