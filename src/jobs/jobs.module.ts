import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';

/** Background jobs: their runner, status and result files. */
@Module({
  imports: [RegionsModule],
  controllers: [JobsController],
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
