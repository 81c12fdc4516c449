import { Global, Module } from '@nestjs/common';
import { WorkbookPool } from './workbook-pool';

/** The worker threads that render workbooks off the event loop, for every module. */
@Global()
@Module({ providers: [WorkbookPool], exports: [WorkbookPool] })
export class WorkersModule {}
