import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { JsonBody } from './common/json-body';
import { ApiExcludeController } from '@nestjs/swagger';
import { Actor, CurrentActor } from './common/actor';
import { ListProjectsQuery } from './projects/dto/list-projects.dto';
import { ProjectsService } from './projects/projects.service';

/**
 * Only with BENCH_FLOOR_ROUTES=true (npm run bench): the project list's floor, the same route
 * through the same guard and pipes, answering a prebuilt 50-row JSON page (serialized once, sent
 * the same way) instead of querying.
 */
@ApiExcludeController()
@Controller('bench')
export class BenchFloorController {
  private cached: JsonBody | null = null;

  constructor(private readonly projects: ProjectsService) {}

  @Get('projects-floor')
  async floor(@CurrentActor() actor: Actor, @Query() q: ListProjectsQuery, @Res() res: Response) {
    this.cached ??= new JsonBody(await this.projects.list(actor, q));
    this.cached.send(res);
  }
}
