import { Module } from '@nestjs/common';
import { FiguresModule } from '../figures/figures.module';
import { RegionsModule } from '../regions/regions.module';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [RegionsModule, FiguresModule],
  controllers: [ProjectsController],
  providers: [ProjectsService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
