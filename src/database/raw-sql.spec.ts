import { bindNamed } from './raw-sql';

describe('bindNamed', () => {
  it('binds names, lists and repeats for SQLite', () => {
    expect(
      bindNamed('sqlite', 'SELECT * FROM t WHERE a <= :asOf AND id IN (:ids) AND b <= :asOf', {
        asOf: '2024-01-01',
        ids: [1, 2],
      }),
    ).toEqual([
      'SELECT * FROM t WHERE a <= ? AND id IN (?, ?) AND b <= ?',
      ['2024-01-01', 1, 2, '2024-01-01'],
    ]);
  });

  it('numbers placeholders for PostgreSQL and leaves casts alone', () => {
    expect(
      bindNamed('postgres', 'SELECT x::text FROM t WHERE a = :a AND id IN (:ids)', {
        a: 5,
        ids: [],
      }),
    ).toEqual(['SELECT x::text FROM t WHERE a = $1 AND id IN (NULL)', [5]]);
  });

  it('refuses a missing parameter', () => {
    expect(() => bindNamed('sqlite', 'SELECT :nope', {})).toThrow('missing SQL parameter :nope');
  });
});
