import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AllExceptionsFilter } from './common/exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';

/** Prefix, body limit, validation, error filter and OpenAPI: shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication, config: AppConfig): INestApplication {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: config.bodyLimit });
  express.disable('x-powered-by');
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('School-construction capital project tracker')
      .setDescription('Projects, progress, milestones and money of school construction (SPEC §5). Money is 万元 as decimal strings.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
