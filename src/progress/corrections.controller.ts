import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BudgetRevisionWithdrawnView } from '../funding/funding.view';
import { ProgressView } from '../projects/progress.view';
import { Actor, CurrentActor } from '../common/actor';
import { Can } from '../common/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { CorrectionsService } from './corrections.service';
import { WithdrawDto } from './dto/withdraw.dto';

/** 更正: withdrawing a progress report or a budget revision (it stays, marked 已撤回). */
@ApiTags('progress')
@ApiBearerAuth()
@Controller('projects/:id')
export class CorrectionsController {
  constructor(private readonly corrections: CorrectionsService) {}

  @Post('progress/:reportId/withdraw')
  @HttpCode(200)
  @Can('progress.withdraw')
  @ApiOperation({
    summary:
      'Withdraw a progress report (its author, an officer of the same role and region, or admin); it stays in the history, counted nowhere',
  })
  @ApiOkResponse({ type: ProgressView })
  withdrawReport(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('reportId', IdPipe) reportId: number,
    @Body() dto: WithdrawDto,
  ): Promise<ProgressView> {
    return this.corrections.withdrawReport(actor, id, reportId, dto.reason);
  }

  @Post('budget-revisions/:revisionId/withdraw')
  @HttpCode(200)
  @Can('budget.revise')
  @ApiOperation({
    summary:
      'Withdraw a budget revision (finance); the budget in force is the latest revision not withdrawn',
  })
  @ApiOkResponse({ type: BudgetRevisionWithdrawnView })
  withdrawRevision(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('revisionId', IdPipe) revisionId: number,
    @Body() dto: WithdrawDto,
  ): Promise<BudgetRevisionWithdrawnView> {
    return this.corrections.withdrawRevision(actor, id, revisionId, dto.reason);
  }
}
