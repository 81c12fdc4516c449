import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { WorkbookPool } from '../workers/workbook-pool';
import { AlertRefresh } from './alert-refresh';
import type { PlanTableExportArgs } from './plan-table.task';
import type { ExportResult, LedgerExportArgs } from './ledger.task';
import { DEFAULT_LEDGER_COLUMNS, LedgerExportQuery } from './dto/ledger-export.dto';
import { ApiXlsxResponse, sendXlsx, tempXlsx } from '../excel/send-xlsx';
import { Idempotent } from '../idempotency/idempotency';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ProjectDetailView, ProjectPageView, ProjectTotals, ProjectView } from './project.view';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { Clock } from '../common/clock';
import { IdPipe } from '../common/id.pipe';
import { ArchiveProjectDto, CreateProjectDto, UpdateProjectDto } from './dto/project.dto';
import { ListProjectsQuery } from './dto/list-projects.dto';
import { ProjectsQuery } from './projects.query';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly query: ProjectsQuery,
    private readonly clock: Clock,
    private readonly pool: WorkbookPool,
    private readonly alerts: AlertRefresh,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Projects in the caller’s region, filtered, paged (max 200) and sorted',
  })
  @ApiOkResponse({ type: ProjectPageView })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListProjectsQuery,
    @Res() res: Response,
  ) {
    (await this.query.listJson(actor, query)).send(res);
  }

  @Get('totals')
  @ApiOperation({
    summary: 'The 合计 of all projects the list’s filters match: count, seats, area, land, budget',
  })
  @ApiOkResponse({ type: ProjectTotals })
  totals(@CurrentActor() actor: Actor, @Query() query: ListProjectsQuery): Promise<ProjectTotals> {
    return this.query.totals(actor, query);
  }

  @Get('export.xlsx')
  @ApiOperation({
    summary:
      'The projects of the list (same filters) as a plan table (.xlsx) the import reads back',
  })
  @ApiXlsxResponse('The plan table (.xlsx)')
  async export(
    @CurrentActor() actor: Actor,
    @Query() query: ListProjectsQuery,
    @Res() res: Response,
  ) {
    const file = tempXlsx('export');
    // today's 预警等级 first (the day's scan writes), then read and written in a worker thread
    await this.alerts.current();
    const { region } = await this.pool.run<ExportResult>('plan-table-export', {
      actor,
      query: { ...query },
      title: '学校建设项目规划表（导出）',
      file,
    } satisfies PlanTableExportArgs);
    sendXlsx(
      res,
      file,
      // the business day (TZ_BUSINESS), as every date the system shows
      `学校建设项目规划表-${region}-${this.clock.today()}.xlsx`,
      true,
      'projects',
    );
  }

  @Get('ledger.xlsx')
  @ApiOperation({
    summary:
      '项目台账 as shown (.xlsx): the list’s filters, the chosen columns in their order, the 合计 of everything matched',
  })
  @ApiXlsxResponse('项目台账 (.xlsx)')
  async ledger(
    @CurrentActor() actor: Actor,
    @Query() query: LedgerExportQuery,
    @Res() res: Response,
  ) {
    const { columns, page: _page, pageSize: _size, ...filters } = query;
    const file = tempXlsx('ledger');
    // today's 预警等级 first (the day's scan writes), then read and written in a worker thread
    await this.alerts.current();
    const { region } = await this.pool.run<ExportResult>('ledger-export', {
      actor,
      query: { ...filters },
      columns: columns?.length ? [...new Set(columns)] : DEFAULT_LEDGER_COLUMNS,
      file,
    } satisfies LedgerExportArgs);
    sendXlsx(res, file, `项目台账-${region}-${this.clock.today()}.xlsx`, true, 'ledger');
  }

  @Get(':id')
  @ApiOperation({ summary: 'One project, with warnings for data problems in the record' })
  @ApiOkResponse({ type: ProjectDetailView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<ProjectDetailView> {
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
  @ApiCreatedResponse({ type: ProjectView })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateProjectDto): Promise<ProjectView> {
    return this.projects.create(actor, dto);
  }

  @Patch(':id')
  @Can('project.edit.data', 'project.edit.budget')
  @ApiOperation({
    summary:
      'Change a project; `version` must be the one read (else 409). budgetWan: finance; other fields: infrastructure',
  })
  @ApiOkResponse({ type: ProjectView })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectView> {
    return this.projects.update(actor, id, dto);
  }

  @Post(':id/archive')
  @Can('project.archive')
  @ApiOperation({
    summary:
      'Archive a project with a reason (kept, read-only, hidden from lists unless includeArchived=true)',
  })
  @ApiCreatedResponse({ type: ProjectView })
  archive(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArchiveProjectDto,
  ): Promise<ProjectView> {
    return this.projects.archive(actor, id, dto.version, dto.reason ?? '');
  }

  @Post(':id/unarchive')
  @Can('project.archive')
  @ApiOperation({ summary: 'Undo an archive (取消归档), with a reason' })
  @ApiCreatedResponse({ type: ProjectView })
  unarchive(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArchiveProjectDto,
  ): Promise<ProjectView> {
    return this.projects.archive(actor, id, dto.version, dto.reason ?? '', true);
  }

  @Delete(':id')
  @Can('project.archive')
  @ApiOperation({ summary: 'Same as POST …/archive: projects are archived, never deleted' })
  @ApiOkResponse({ type: ProjectView })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ArchiveProjectDto,
  ): Promise<ProjectView> {
    return this.projects.archive(actor, id, dto.version, dto.reason);
  }
}
