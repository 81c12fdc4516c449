import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, CurrentActor } from '../common/actor';
import { Can } from '../common/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiXlsxResponse, sendXlsx } from '../excel/send-xlsx';
import {
  ChecksQuery,
  ReasonDto,
  RemindDto,
  SubmissionsQuery,
  SubmitDto,
  TransitionDto,
  WorkbookQuery,
} from './dto/submission.dto';
import {
  RemindResultView,
  SubmissionChecksView,
  SubmissionDetailView,
  SubmissionListView,
} from './dto/submission.view';
import { SubmissionsService } from './submissions.service';
import { ReminderService } from './reminder.service';

/** 月报报送 → 审核 → 退回 / 通过 (docs/api.md "Submissions", docs/domain.md). */
@ApiTags('submissions')
@ApiBearerAuth()
@Controller('submissions')
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly reminders: ReminderService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'One row per region the caller may submit or review for the month (not_submitted, id null, when none)',
  })
  @ApiOkResponse({ type: SubmissionListView })
  list(@CurrentActor() actor: Actor, @Query() q: SubmissionsQuery): Promise<SubmissionListView> {
    return this.submissions.list(actor, q.month, q.regionId);
  }

  @Get('checks')
  @ApiOperation({
    summary: 'The checks before submitting the month (errors block unless forced, warnings inform)',
  })
  @ApiOkResponse({ type: SubmissionChecksView })
  checks(@CurrentActor() actor: Actor, @Query() q: ChecksQuery): Promise<SubmissionChecksView> {
    return this.submissions.checks(actor, q.month, q.regionId);
  }

  @Post()
  @Can('submission.submit')
  @ApiOperation({
    summary:
      "Submit (or resubmit a returned/withdrawn) month: freezes the region's monthly workbook as of the month's last day (201)",
  })
  @ApiCreatedResponse({ type: SubmissionDetailView })
  submit(@CurrentActor() actor: Actor, @Body() dto: SubmitDto): Promise<SubmissionDetailView> {
    return this.submissions.submit(actor, dto);
  }

  @Post('remind')
  @HttpCode(202)
  @Can('submission.remind')
  @ApiOperation({ summary: '催报: remind a child region that has not submitted the month (202)' })
  @ApiAcceptedResponse({ type: RemindResultView })
  remind(@CurrentActor() actor: Actor, @Body() dto: RemindDto): Promise<RemindResultView> {
    return this.reminders.remind(actor, dto.month, dto.regionId);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'The submission with its events, checks and frozen files (a reviewer opening it blocks withdrawing)',
  })
  @ApiOkResponse({ type: SubmissionDetailView })
  detail(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<SubmissionDetailView> {
    return this.submissions.detail(actor, id);
  }

  @Get(':id/workbook')
  @ApiOperation({
    summary:
      'The frozen workbook, byte-identical every time (SHA-256 = sha256); seq= an earlier version',
  })
  @ApiXlsxResponse('The frozen monthly workbook (.xlsx)')
  async workbook(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: WorkbookQuery,
    @Res() res: Response,
  ): Promise<void> {
    const f = await this.submissions.workbook(actor, id, q.seq);
    sendXlsx(res, f.file, f.name, false, f.asciiStem);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Can('submission.submit')
  @ApiOperation({ summary: 'Withdraw a submitted month before the reviewer opened it' })
  @ApiOkResponse({ type: SubmissionDetailView })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: TransitionDto,
  ): Promise<SubmissionDetailView> {
    return this.submissions.transition(actor, id, 'withdraw', dto.version, dto.comment);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Can('submission.review')
  @ApiOperation({ summary: 'Approve a child region’s submitted month (通过)' })
  @ApiOkResponse({ type: SubmissionDetailView })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: TransitionDto,
  ): Promise<SubmissionDetailView> {
    return this.submissions.transition(actor, id, 'approve', dto.version, dto.comment);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Can('submission.review')
  @ApiOperation({ summary: 'Return a child region’s submitted month with a reason (退回)' })
  @ApiOkResponse({ type: SubmissionDetailView })
  return(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ReasonDto,
  ): Promise<SubmissionDetailView> {
    return this.submissions.transition(actor, id, 'return', dto.version, dto.reason ?? dto.comment);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Can('submission.review')
  @ApiOperation({
    summary: 'Reopen an approved month (→ returned) with a reason: the approving level or above',
  })
  @ApiOkResponse({ type: SubmissionDetailView })
  reopen(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: ReasonDto,
  ): Promise<SubmissionDetailView> {
    return this.submissions.transition(actor, id, 'reopen', dto.version, dto.reason ?? dto.comment);
  }
}
