import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { FiguresService } from './figures.service';
import { ProjectsController } from './projects.controller';
import { ProjectsQuery } from './projects.query';
import { ProjectsService } from './projects.service';

/** The project register: projects, their rules, and their figures as of a day (the one read model). */
@Module({
  imports: [RegionsModule],
  controllers: [ProjectsController],
  providers: [ProjectsService, ProjectsQuery, FiguresService],
  exports: [ProjectsService, FiguresService],
})
export class ProjectsModule {}
