import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { JobsModule } from '../jobs/jobs.module';
import { RegionsModule } from '../regions/regions.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

/** Plan-table import and its template. */
@Module({
  imports: [
    RegionsModule,
    JobsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      // a form's fields are few and short: many or long ones are refused before they reach a DTO
      useFactory: (config: AppConfig) => ({
        limits: {
          fileSize: config.importMaxBytes,
          files: 1,
          fields: 20,
          parts: 25,
          fieldSize: 64 * 1024,
          fieldNameSize: 100,
        },
      }),
    }),
  ],
  controllers: [ImportsController],
  providers: [ImportsService],
})
export class ImportsModule {}
