import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { writePlanTable } from './plan-table.export';
import { sendXlsx, tempXlsx } from '../excel/send-xlsx';
import { Idempotent } from '../idempotency/idempotency';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { Clock } from '../common/clock';
import { IdPipe } from '../common/id.pipe';
import { ArchiveProjectDto, CreateProjectDto, UpdateProjectDto } from './dto/project.dto';
import { ListProjectsQuery } from './dto/list-projects.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Projects in the caller’s region, filtered, paged (max 200) and sorted',
  })
  @ApiOkResponse({ description: '{ items: Project[], total, page, pageSize }' })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListProjectsQuery,
    @Res() res: Response,
  ) {
    (await this.projects.listJson(actor, query)).send(res);
  }

  @Get('totals')
  @ApiOperation({
    summary: 'The 合计 of all projects the list’s filters match: count, seats, area, land, budget',
  })
  totals(@CurrentActor() actor: Actor, @Query() query: ListProjectsQuery) {
    return this.projects.totals(actor, query);
  }

  @Get('export.xlsx')
  @ApiOperation({
    summary:
      'The projects of the list (same filters) as a plan table (.xlsx) the import reads back',
  })
  async export(
    @CurrentActor() actor: Actor,
    @Query() query: ListProjectsQuery,
    @Res() res: Response,
  ) {
    const rows = await (await this.projects.listQuery(actor, query)).getMany();
    const file = tempXlsx('export');
    await writePlanTable(file, '学校建设项目规划表（导出）', rows);
    sendXlsx(
      res,
      file,
      // the business day (TZ_BUSINESS), as every date the system shows
      `学校建设项目-${this.clock.today()}.xlsx`,
      true,
      'projects',
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One project, with warnings for data problems in the record' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number) {
    return this.projects.get(actor, id);
  }

  @Post()
  @Idempotent()
  // the service then asks the table field by field (FORBIDDEN_PROJECT_DATA / FORBIDDEN_BUDGET)
  @Can('project.create', 'project.edit.budget')
  @ApiOperation({
    summary:
      'Create a project (status planned) with its default milestones (infrastructure; budgetWan needs finance)',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProjectDto) {
    return this.projects.create(actor, dto);
  }

  @Patch(':id')
  @Can('project.edit.data', 'project.edit.budget')
  @ApiOperation({
    summary:
      'Change a project; `version` must be the one read (else 409). budgetWan: finance; other fields: infrastructure',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateProjectDto,
  ) {
    return this.projects.update(actor, id, dto);
  }

  @Post(':id/archive')
  @Can('project.archive')
  @ApiOperation({
    summary:
      'Archive a project with a reason (kept, read-only, hidden from lists unless includeArchived=true)',
  })
  archive(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArchiveProjectDto,
  ) {
    return this.projects.archive(actor, id, dto.version, dto.reason ?? '');
  }

  @Post(':id/unarchive')
  @Can('project.archive')
  @ApiOperation({ summary: 'Undo an archive (取消归档), with a reason' })
  unarchive(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArchiveProjectDto,
  ) {
    return this.projects.archive(actor, id, dto.version, dto.reason ?? '', true);
  }

  @Delete(':id')
  @Can('project.archive')
  @ApiOperation({ summary: 'Same as POST …/archive: projects are archived, never deleted' })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArchiveProjectDto,
  ) {
    return this.projects.archive(actor, id, dto.version, dto.reason);
  }
}
