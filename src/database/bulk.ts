import { EntityManager } from 'typeorm';

type Dialect = 'sqlite' | 'postgres';

function dialectOf(em: EntityManager): Dialect {
  return em.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** A bound value as both drivers take it (better-sqlite3 binds no booleans). */
const bindable = (v: unknown) =>
  typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v;

/**
 * Multi-row INSERTs for large writes (imports, scans, the bench data set): one statement per
 * chunk instead of one per row, inside the caller's transaction. Column names are the table's.
 * `rows` may be a generator: only a chunk's rows are held at a time (an import's 100,000
 * milestones made whole before the first INSERT grew the heap by 50 MB).
 */
export async function bulkInsert(
  em: EntityManager,
  table: string,
  columns: string[],
  rows: Iterable<unknown[]>,
): Promise<void> {
  const pg = dialectOf(em) === 'postgres';
  const chunk = Math.max(1, Math.floor(30_000 / columns.length)); // under both drivers' parameter limits
  const insert = async (part: unknown[][]) => {
    let n = 0;
    const values = part
      .map((r) => `(${r.map(() => (pg ? `$${++n}` : '?')).join(', ')})`)
      .join(', ');
    await em.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}`,
      part.flat().map(bindable),
    );
  };
  let part: unknown[][] = [];
  for (const row of rows) {
    part.push(row);
    if (part.length === chunk) {
      await insert(part);
      part = [];
    }
  }
  if (part.length) await insert(part);
}

/**
 * Reserves `count` ids of a table's serial key inside the caller's transaction: from the
 * sequence on PostgreSQL (safe with concurrent writers), after the current maximum on SQLite
 * (whose writes are serialized).
 */
export async function reserveIds(
  em: EntityManager,
  table: string,
  count: number,
): Promise<number[]> {
  if (count === 0) return [];
  if (dialectOf(em) === 'postgres') {
    const rows: { id: string }[] = await em.query(
      `SELECT nextval(pg_get_serial_sequence('"${table}"', 'id')) AS id FROM generate_series(1, $1)`,
      [count],
    );
    return rows.map((r) => Number(r.id));
  }
  const [{ m }] = (await em.query(`SELECT COALESCE(MAX(id), 0) AS m FROM "${table}"`)) as {
    m: number;
  }[];
  return Array.from({ length: count }, (_, i) => Number(m) + i + 1);
}

/** `UPDATE … FROM (VALUES …)` for many rows at once; `set` maps a column to `v.columnN` SQL. */
export async function bulkUpdate(
  em: EntityManager,
  table: string,
  rows: unknown[][],
  set: Record<string, string>,
): Promise<void> {
  const pg = dialectOf(em) === 'postgres';
  const width = rows[0]?.length ?? 0;
  if (!width) return;
  const chunk = Math.max(1, Math.floor(30_000 / width));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    let n = 0;
    const values = part
      .map((r) => `(${r.map(() => (pg ? `$${++n}` : '?')).join(', ')})`)
      .join(', ');
    const assignments = Object.entries(set)
      .map(([col, expr]) => `"${col}" = ${expr}`)
      .join(', ');
    await em.query(
      `UPDATE "${table}" SET ${assignments} FROM (VALUES ${values}) AS v WHERE "${table}".id = CAST(v.column1 AS INTEGER)`,
      part.flat().map(bindable),
    );
  }
}
