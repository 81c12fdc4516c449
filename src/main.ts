import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { firstAdminNotice, signInAddress } from './auth/admin-notice';
import { AuthService } from './auth/auth.service';
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
  // PUBLIC_URL when set (behind a proxy), else this machine's port
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = signInAddress(process.env.PUBLIC_URL, config.delivery.publicUrl, port);
  Logger.log(
    `listening on port ${port}: ${url} (sign-in page; API at /api, docs at /api/docs), ${where}`,
    'Main',
  );
  // the first admin's generated password last, framed, after everything Nest printed
  const password = app.get(AuthService).takeFirstAdminPassword();
  if (password) {
    console.log(`\n${firstAdminNotice('admin', password, url)}\n`);
  }
}

bootstrap().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
