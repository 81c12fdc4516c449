import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '../../src/config/app-config';

/**
 * Test databases. SQLite by default; PostgreSQL when TEST_DATABASE_URL names a server (a role that
 * may create databases). The global setup migrates and seeds one template; each test file gets a
 * copy (a file copy, or CREATE DATABASE … TEMPLATE), so files never share state.
 */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? null;
export const DIALECT: 'sqlite' | 'postgres' = PG_ADMIN_URL ? 'postgres' : 'sqlite';
// TEST_TEMPLATE_NAME lets two checkouts run the PostgreSQL suite on one cluster at once
export const TEMPLATE_NAME = process.env.TEST_TEMPLATE_NAME ?? 'tracker_test_template';
const STATE_DIR = path.join(os.tmpdir(), 'tracker-tests');
export const TEMPLATE_SQLITE = path.join(STATE_DIR, 'template.sqlite');

export function pgUrl(database: string): string {
  const u = new URL(PG_ADMIN_URL!);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function pgAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL! });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function ensureStateDir(): void {
  fs.mkdirSync(STATE_DIR, { recursive: true });
}

export interface TestDatabase {
  config: AppConfig;
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh database: a copy of the seeded template, or (`empty`) nothing at all. */
export async function createTestDatabase(
  opts: { empty?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<TestDatabase> {
  const id = `${process.pid}_${Date.now()}_${counter++}`;
  if (DIALECT === 'postgres') {
    const name = `tracker_t_${id}`;
    await pgAdmin((c) =>
      c.query(
        opts.empty
          ? `CREATE DATABASE ${name}`
          : `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_NAME}`,
      ),
    );
    const config = loadConfig({
      DATABASE_URL: pgUrl(name),
      SEED_REFERENCE_DATA: 'false',
      ADMIN_PASSWORD: 'Test-Admin-Pass-1',
      SCHEDULER_ENABLED: 'false',
      ALERT_DELIVERY_INTERVAL_MS: '0',
      ...opts.env,
    });
    return {
      config,
      drop: () =>
        pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
          () => undefined,
        ),
    };
  }
  ensureStateDir();
  const dir = fs.mkdtempSync(path.join(STATE_DIR, 'db-'));
  const file = path.join(dir, 'test.sqlite');
  if (!opts.empty) fs.copyFileSync(TEMPLATE_SQLITE, file);
  const config = loadConfig({
    SQLITE_PATH: file,
    SEED_REFERENCE_DATA: 'false',
    ADMIN_PASSWORD: 'Test-Admin-Pass-1',
    SCHEDULER_ENABLED: 'false',
    ALERT_DELIVERY_INTERVAL_MS: '0',
    ...opts.env,
  });
  return { config, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}
