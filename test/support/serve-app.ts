/**
 * The real app in a process of its own, on a fresh copy of the test database, for tests that
 * measure what production would see: event-loop stalls and peak memory of the server alone, not
 * of the Jest process around it. Prints `{"port":N}` once listening; stops on SIGTERM.
 * Run with `node -r ts-node/register/transpile-only test/support/serve-app.ts`.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { Clock } from '../../src/common/clock';
import { pinClock, TEST_NOW } from './app';
import { createTestDatabase } from './test-db';

async function main(): Promise<void> {
  // SERVE_APP_ENV: JSON of extra configuration (e.g. {"TRUST_PROXY":"loopback"})
  const env = process.env.SERVE_APP_ENV ? (JSON.parse(process.env.SERVE_APP_ENV) as object) : {};
  const db = await createTestDatabase({ env: env as NodeJS.ProcessEnv });
  const app = await NestFactory.create(AppModule.forRoot(db.config), { logger: ['error'] });
  pinClock(app.get(Clock), TEST_NOW);
  configureApp(app, db.config);
  await app.listen(0, '127.0.0.1');
  process.stdout.write(
    `${JSON.stringify({ port: (app.getHttpServer().address() as AddressInfo).port })}\n`,
  );
  process.on('SIGTERM', () => {
    void app
      .close()
      .then(() => db.drop())
      .finally(() => process.exit(0));
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
