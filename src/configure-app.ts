import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { loginGate } from './auth/login-gate';
import { BODY_SHAPE, BodyTooComplex, scanJsonShape } from './common/body-shape';
import { apiNoStore } from './common/cache-control';
import { ErrorBody } from './common/error.view';
import { AllExceptionsFilter } from './common/exception.filter';
import { malformedEncoding, utf8Only } from './common/request-body';
import { createValidationPipe } from './common/validation';
import { serveWeb } from './common/web-static';
import { listFastPath } from './projects/list-fast-path';
import { AppConfig } from './config/app-config';

/** Security headers, CORS, prefix, body limit, validation, errors and OpenAPI: shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication, config: AppConfig): INestApplication {
  const express = app as NestExpressApplication;
  // a burst of sign-ins over the line is refused first of all, before any parsing (see loginGate)
  express.use(loginGate);
  // no upgrade-insecure-requests: a bureau serves the tool over plain http on its LAN
  // (http://10.x.x.x:3000), where upgraded asset requests would fail and leave a blank page
  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: null,
        // 附件 and 进度照片 fetch each file with the session and show it through a blob: URL
        // (an <img> or a PDF <iframe> cannot send the X-Tracker-Client header)
        imgSrc: ["'self'", 'data:', 'blob:'],
        frameSrc: ["'self'", 'blob:'],
      },
    },
  });
  const docs = helmet({ contentSecurityPolicy: false }); // Swagger UI runs inline scripts
  express.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') ? docs : strict)(req, res, next),
  );
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: false });
  express.use(apiNoStore);
  express.use(utf8Only);
  const validation = createValidationPipe();
  // the project list, the busiest read, handed to its route's guard, pipe and handler at once
  const fast = config.listFastPath ? listFastPath(app, validation) : null;
  if (fast) express.use(fast);
  // too deep or too wide is refused from the raw text, before JSON.parse and any transformation
  express.useBodyParser('json', {
    limit: config.bodyLimit,
    verify: (_req: unknown, _res: unknown, buf: Buffer) => {
      const problem = scanJsonShape(buf);
      if (problem) throw new BodyTooComplex(problem);
    },
  });
  express.useBodyParser('urlencoded', {
    limit: config.bodyLimit,
    extended: false,
    parameterLimit: BODY_SHAPE.maxKeys,
  });
  express.use(malformedEncoding);
  express.disable('x-powered-by');
  // TRUST_PROXY: req.ip and req.secure from X-Forwarded-For/-Proto through trusted hops only
  express.set('trust proxy', config.trustProxy);
  serveWeb(express, config.webDir);
  app.setGlobalPrefix('api');
  app.useGlobalPipes(validation);
  app.useGlobalFilters(new AllExceptionsFilter());

  const doc = apiDocument(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** The OpenAPI document of the app's routes (served at /api/docs-json; `npm run api:types` types the web from it). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('School-construction capital project tracker')
      .setDescription(
        'Projects, progress, milestones and money of school construction (docs/api.md). Money is 万元 as decimal strings. Sign in with POST /api/auth/login and send the token as a Bearer header.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
    // every error answers this body (common/errors.ts): named for the web's generated types
    { extraModels: [ErrorBody] },
  );
}
