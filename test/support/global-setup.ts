import * as fs from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';
import { DIALECT, ensureStateDir, pgAdmin, pgUrl, TEMPLATE_NAME, TEMPLATE_SQLITE } from './test-db';

/** Migrates and seeds the template database once for the whole run. */
export default async function globalSetup(): Promise<void> {
  let env: NodeJS.ProcessEnv;
  if (DIALECT === 'postgres') {
    await pgAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_NAME} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${TEMPLATE_NAME}`);
    });
    env = { DATABASE_URL: pgUrl(TEMPLATE_NAME) };
  } else {
    ensureStateDir();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(TEMPLATE_SQLITE + suffix, { force: true });
    env = { SQLITE_PATH: TEMPLATE_SQLITE };
  }
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(
      loadConfig({
        ...env,
        ADMIN_PASSWORD: 'Test-Admin-Pass-1',
        SCHEDULER_ENABLED: 'false',
        ALERT_DELIVERY_INTERVAL_MS: '0',
      }),
    ),
    { logger: false },
  );
  await app.init();
  await app.close(); // closing checkpoints the SQLite WAL into the file that is copied
}
