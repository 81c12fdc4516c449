import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { ProjectsModule } from '../projects/projects.module';
import {
  AttachmentsController,
  AttachmentTooLarge,
  ProjectAttachmentsController,
} from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { createFileStore, FILE_STORE, FileStore, S3Store } from './file-store';
import { HashingDiskStorage, uploadDir } from './upload-storage';

/** 附件 and 进度照片 (issue 35): files of a project, kept by SHA-256 in a folder or an S3 store. */
@Module({
  imports: [
    ProjectsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // streamed to a temporary file and hashed as it arrives (never buffered whole)
        storage: new HashingDiskStorage(uploadDir(config)),
        limits: {
          fileSize: config.attachmentMaxBytes,
          files: 1,
          fields: 10,
          parts: 12,
          fieldSize: 8 * 1024,
          fieldNameSize: 100,
        },
      }),
    }),
  ],
  controllers: [ProjectAttachmentsController, AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentTooLarge,
    {
      provide: FILE_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createFileStore(config),
    },
  ],
  exports: [AttachmentsService],
})
export class AttachmentsModule implements OnModuleDestroy {
  constructor(@Inject(FILE_STORE) private readonly store: FileStore) {}

  onModuleDestroy(): void {
    if (this.store instanceof S3Store) this.store.destroy();
  }
}
