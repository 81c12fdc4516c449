/**
 * Hand-written SQL with named parameters (`:asOf`, `:ids` for a list) for both dialects:
 * `?` placeholders on SQLite, `$n` on PostgreSQL. PostgreSQL casts (`::text`) are left alone.
 */
export function bindNamed(
  dialect: 'sqlite' | 'postgres',
  text: string,
  params: Record<string, unknown>,
): [string, unknown[]] {
  const values: unknown[] = [];
  const placeholder = (v: unknown) => {
    values.push(v);
    return dialect === 'postgres' ? `$${values.length}` : '?';
  };
  const sql = text.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`missing SQL parameter :${name}`);
    const v = params[name];
    if (Array.isArray(v)) return v.length ? v.map(placeholder).join(', ') : 'NULL';
    return placeholder(v);
  });
  return [sql, values];
}

const SPLIT = 1_000_000_000;

/**
 * A SUM that cannot overflow 64 bits on either database (SQLite's SUM raises "integer overflow"
 * past 2^63): the high and low parts of each value are summed apart, as `<alias>_hi` and
 * `<alias>_lo`, and joined with {@link joinSum}. Values are non-negative integers below 2^63.
 */
export function exactSum(expr: string, alias: string, dialect: 'sqlite' | 'postgres'): string {
  const [hi, lo] = exactSumParts(expr, dialect);
  return `${hi} AS ${alias}_hi, ${lo} AS ${alias}_lo`;
}

/** The two expressions of an {@link exactSum}, for a query builder's `addSelect(expr, alias)`. */
export function exactSumParts(expr: string, dialect: 'sqlite' | 'postgres'): [string, string] {
  // PostgreSQL sums bigint into numeric, exact at any size: one plain SUM (as the low part)
  if (dialect === 'postgres') return [`'0'`, `CAST(SUM(${expr}) AS TEXT)`];
  return [`CAST(SUM((${expr}) / ${SPLIT}) AS TEXT)`, `CAST(SUM((${expr}) % ${SPLIT}) AS TEXT)`];
}

/** The exact total of an {@link exactSum}: 0 over no rows; null when the query has no such sum. */
export function joinSum(row: Record<string, unknown>, alias: string): bigint | null {
  const hi = row[`${alias}_hi`];
  const lo = row[`${alias}_lo`];
  if (hi === undefined || lo === undefined) return null;
  if (hi === null || lo === null) return 0n;
  return BigInt(String(hi)) * BigInt(SPLIT) + BigInt(String(lo));
}
