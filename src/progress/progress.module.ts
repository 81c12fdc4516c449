import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { ProgressController } from './progress.controller';
import { ProgressService } from './progress.service';

@Module({
  imports: [ProjectsModule],
  controllers: [ProgressController],
  providers: [ProgressService],
})
export class ProgressModule {}
