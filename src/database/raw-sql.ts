/**
 * Hand-written SQL with named parameters (`:asOf`, `:ids` for a list) for both dialects:
 * `?` placeholders on SQLite, `$n` on PostgreSQL. PostgreSQL casts (`::text`) are left alone.
 */
export function bindNamed(dialect: 'sqlite' | 'postgres', text: string, params: Record<string, unknown>): [string, unknown[]] {
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
