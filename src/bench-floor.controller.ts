import { Controller, Get, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Actor, CurrentActor } from './common/actor';
import { ListProjectsQuery } from './projects/dto/list-projects.dto';
import { ProjectsService } from './projects/projects.service';

/**
 * Only with BENCH_FLOOR_ROUTES=true (npm run bench): the project list's floor, the same route
 * through the same guard and pipes, answering a prebuilt 50-row page instead of querying.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchFloorController {
  private cached: unknown = null;

  constructor(private readonly projects: ProjectsService) {}

  @Get('projects-floor')
  async floor(@CurrentActor() actor: Actor, @Query() q: ListProjectsQuery) {
    this.cached ??= await this.projects.list(actor, q);
    return this.cached;
  }
}
