import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { Database } from '../../src/database/database';
import { createTestDatabase } from './test-db';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  db: Database;
  /** supertest against the in-process server */
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real AppModule + configureApp on a fresh copy of the seeded template database. */
export async function createTestApp(opts: { empty?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<TestApp> {
  const database = await createTestDatabase(opts);
  const app = await NestFactory.create(AppModule.forRoot(database.config), { logger: ['error'] });
  configureApp(app, database.config);
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    config: database.config,
    db: app.get(Database),
    http: () => request(server),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Exact decimal sum of decimal strings (BigInt on the digits; no floats). */
export function sumDecimals(values: (string | null)[], places = 6): string {
  let total = 0n;
  for (const v of values) {
    if (v === null) continue;
    const [w, f = ''] = v.split('.');
    total += BigInt(w + f.padEnd(places, '0'));
  }
  const s = total.toString().padStart(places + 1, '0');
  const frac = s.slice(-places).replace(/0+$/, '').padEnd(2, '0');
  return `${s.slice(0, -places)}.${frac}`;
}
