import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { configureApp } from './configure-app';
import { GracefulStop } from './graceful-stop';
import { WorkbookPool } from './workers/workbook-pool';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: true,
  });
  // our own SIGTERM/SIGINT handling, not enableShutdownHooks(): stop serving before the database closes
  const stop = new GracefulStop(app, config.shutdownTimeoutMs);
  stop.install();
  configureApp(app, config);
  await app.listen(config.port, '0.0.0.0');
  stop.handleSignals();
  // one workbook worker started now, not on the first report or 首页 (it takes a second to start)
  app
    .get(WorkbookPool)
    .warm()
    .catch((e: unknown) => Logger.error(`workbook worker: ${String(e)}`, 'Main'));
  const where = config.dialect === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.sqlitePath}`;
  Logger.log(
    `listening on http://localhost:${config.port}/ (sign-in page; API at /api, docs at /api/docs), ${where}`,
    'Main',
  );
}

bootstrap().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
