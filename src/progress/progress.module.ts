import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { CorrectionsController } from './corrections.controller';
import { CorrectionsService } from './corrections.service';
import { ProgressController } from './progress.controller';
import { ProgressService } from './progress.service';

@Module({
  imports: [ProjectsModule],
  controllers: [ProgressController, CorrectionsController],
  providers: [ProgressService, CorrectionsService],
})
export class ProgressModule {}
