/**
 * The web's API types, generated from the OpenAPI document (`web/src/api-schema.d.ts`, committed).
 * `npm run api:types` writes the file; `--check` (run by `npm run lint`) fails when it is stale.
 * The document is built as the server builds it, without listening, on a throwaway SQLite database.
 * Run under scripts/swagger-register.js so the Swagger plugin describes the DTO and view classes.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../src/app.module';
import { apiDocument, configureApp } from '../src/configure-app';
import { loadConfig } from '../src/config/app-config';
import { API_TYPES_FILE, renderApiTypes } from './api-types-render';

/** The document of a fresh app on an empty SQLite database in a temporary folder. */
export async function buildApiDocument(): Promise<OpenAPIObject> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-types-'));
  try {
    const config = loadConfig({
      SQLITE_PATH: path.join(dir, 'api-types.sqlite'),
      SEED_REFERENCE_DATA: 'false',
      SCHEDULER_ENABLED: 'false',
      ALERT_DELIVERY_INTERVAL_MS: '0',
    });
    const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error'] });
    try {
      configureApp(app, config);
      return apiDocument(app);
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const text = await renderApiTypes(await buildApiDocument());
  const rel = path.relative(process.cwd(), API_TYPES_FILE);
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : '';
    if (committed !== text) {
      console.error(
        `${rel} is stale: it no longer matches the server's OpenAPI document. Run \`npm run api:types\` and commit the result.`,
      );
      process.exit(1);
    }
    console.log(`${rel} matches the OpenAPI document`);
    return;
  }
  fs.writeFileSync(API_TYPES_FILE, text);
  console.log(`wrote ${rel}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
