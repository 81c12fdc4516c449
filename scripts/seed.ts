/**
 * `npm run seed`: migrates the configured database and loads the reference data of seeds/
 * (idempotent: what is there already is left as it is).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { SeedService } from '../src/seed.service';

async function main(): Promise<void> {
  // the explicit run below is the one that counts; skip the on-start seeding of an empty database
  const config = { ...loadConfig(), seedReferenceData: false };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const result = await app.get(SeedService).run();
    console.log(
      `seeded: ${result.regions} regions, ${result.plans} plans, ${result.targets} targets, ${result.projects} projects, ${result.reportedGaps} reported gaps added`,
    );
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
