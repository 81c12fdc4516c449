import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditPageView } from './dto/audit.view';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import { AuditQueryService } from './audit-query.service';
import { AuditQuery } from './dto/audit-query.dto';

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get('projects/:id/history')
  @ApiOperation({
    summary: 'Every write to a project and its records: who, when, each field old → new',
  })
  @ApiOkResponse({ type: AuditPageView })
  history(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: PageQuery,
  ): Promise<AuditPageView> {
    return this.audit.history(actor, id, q.page, q.pageSize);
  }

  @Get('audit')
  @Can('audit.read')
  @ApiOperation({
    summary: 'The audit log (admin), newest first, filtered by user, entity and date',
  })
  @ApiOkResponse({ type: AuditPageView })
  search(@CurrentActor() actor: Actor, @Query() q: AuditQuery): Promise<AuditPageView> {
    return this.audit.search(actor, q);
  }
}
