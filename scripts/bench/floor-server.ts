/**
 * The bench's own server (`npm run bench` spawns it for the HTTP rows): the app exactly as
 * `src/main.ts` starts it, plus the project list's floor — `GET /api/bench/projects-floor`, the
 * same route through the same guard, pipes and interceptors, answering a prebuilt page (serialized
 * once per caller and query, sent the same way) instead of querying. Nothing in `src/` knows it.
 * Run with `node dist/scripts/bench/floor-server.js` (same environment as `dist/src/main.js`).
 */
import 'reflect-metadata';
import { Controller, DynamicModule, Get, Logger, Module, Query, Req, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppModule } from '../../src/app.module';
import { Actor, CurrentActor } from '../../src/common/actor';
import { JsonBody } from '../../src/common/json-body';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/configure-app';
import { GracefulStop } from '../../src/graceful-stop';
import { ListProjectsQuery } from '../../src/projects/dto/list-projects.dto';
import { ProjectsModule } from '../../src/projects/projects.module';
import { ProjectsQuery } from '../../src/projects/projects.query';

@ApiExcludeController()
@Controller('bench')
class BenchFloorController {
  /** One page per caller and query string: a caller never gets another's page. */
  private readonly pages = new Map<string, JsonBody>();

  constructor(private readonly projects: ProjectsQuery) {}

  @Get('projects-floor')
  async floor(
    @CurrentActor() actor: Actor,
    @Query() q: ListProjectsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const key = `${actor.id}:${actor.regionId}:${req.originalUrl}`;
    let page = this.pages.get(key);
    if (!page) {
      page = new JsonBody(await this.projects.list(actor, q));
      this.pages.set(key, page);
    }
    page.send(res);
  }
}

@Module({})
class BenchServerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BenchServerModule,
      imports: [AppModule.forRoot(config), ProjectsModule],
      controllers: [BenchFloorController],
    };
  }
}

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(BenchServerModule.forRoot(config), {
    bodyParser: true,
  });
  const stop = new GracefulStop(app, config.shutdownTimeoutMs);
  stop.install();
  configureApp(app, config);
  await app.listen(config.port, '0.0.0.0');
  stop.handleSignals();
  Logger.log(`bench server on http://localhost:${config.port}/api`, 'Bench');
}

bootstrap().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
