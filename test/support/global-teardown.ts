import { DIALECT, pgAdmin, TEMPLATE_NAME } from './test-db';

export default async function globalTeardown(): Promise<void> {
  if (DIALECT === 'postgres') {
    await pgAdmin(async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'tracker_t_%'",
      );
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_NAME} WITH (FORCE)`);
    });
  }
}
