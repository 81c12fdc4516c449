import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Idempotent } from '../idempotency/idempotency';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  BudgetRevisionCreatedView,
  BudgetRevisionPageView,
  DeletedView,
  FundingLineWriteView,
  PaymentPageView,
  PaymentWriteView,
  ProjectFundingView,
  ReferenceCheckView,
} from './funding.view';
import { FundingSummaryView } from './summary.view';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import {
  CreateBudgetRevisionDto,
  CreateFundingLineDto,
  CreatePaymentDto,
  DeleteVersionedDto,
  UpdateFundingLineDto,
  UpdatePaymentDto,
} from './dto/funding.dto';
import { AsOfQuery, FundingSummaryQuery, ReferenceCheckQuery } from './dto/summary.dto';
import { FundingSummaryService } from './funding-summary.service';
import { FundingService } from './funding.service';

@ApiTags('funding')
@ApiBearerAuth()
@Controller()
export class FundingController {
  constructor(
    private readonly funding: FundingService,
    private readonly summaries: FundingSummaryService,
  ) {}

  @Get('funding/summary')
  @ApiOperation({
    summary:
      'Budget, committed, received, paid and gap as of a day, grouped by status, region, source or plan year',
  })
  @ApiOkResponse({ type: FundingSummaryView })
  summary(
    @CurrentActor() actor: Actor,
    @Query() q: FundingSummaryQuery,
  ): Promise<FundingSummaryView> {
    return this.summaries.summary(actor, q);
  }

  @Get('projects/:id/funding')
  @ApiOperation({
    summary: 'Funding lines of a project, with its money and gap as of a day and warnings',
  })
  @ApiOkResponse({ type: ProjectFundingView })
  lines(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: AsOfQuery,
  ): Promise<ProjectFundingView> {
    return this.funding.funding(actor, id, q.asOf);
  }

  @Post('projects/:id/funding')
  @Idempotent()
  @Can('funding.write')
  @ApiOperation({ summary: 'Add a funding line (finance)' })
  @ApiCreatedResponse({ type: FundingLineWriteView })
  addLine(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateFundingLineDto,
  ): Promise<FundingLineWriteView> {
    return this.funding.addLine(actor, id, dto);
  }

  @Patch('projects/:id/funding/:lineId')
  @Can('funding.write')
  @ApiOperation({ summary: 'Change a funding line (finance); stale version → 409' })
  @ApiOkResponse({ type: FundingLineWriteView })
  updateLine(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('lineId', IdPipe) lineId: number,
    @Body() dto: UpdateFundingLineDto,
  ): Promise<FundingLineWriteView> {
    return this.funding.updateLine(actor, id, lineId, dto);
  }

  @Delete('projects/:id/funding/:lineId')
  @Can('funding.write')
  @ApiOperation({
    summary: 'Remove a funding line entered by mistake (finance); audited with its old values',
  })
  @ApiOkResponse({ type: DeletedView })
  deleteLine(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('lineId', IdPipe) lineId: number,
    @Body() dto: DeleteVersionedDto,
  ): Promise<DeletedView> {
    return this.funding.deleteLine(actor, id, lineId, dto.version);
  }

  @Get('projects/:id/budget-revisions')
  @ApiOperation({ summary: 'Budget revisions of a project, oldest first' })
  @ApiOkResponse({ type: BudgetRevisionPageView })
  revisions(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<BudgetRevisionPageView> {
    return this.funding.revisions(actor, id);
  }

  @Post('projects/:id/budget-revisions')
  @Idempotent()
  @Can('budget.revise')
  @ApiOperation({ summary: 'Revise the budget from a day on (finance)' })
  @ApiCreatedResponse({ type: BudgetRevisionCreatedView })
  addRevision(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateBudgetRevisionDto,
  ): Promise<BudgetRevisionCreatedView> {
    return this.funding.addRevision(actor, id, dto);
  }

  @Get('projects/:id/payments')
  @ApiOperation({ summary: 'Payments of a project, by day' })
  @ApiOkResponse({ type: PaymentPageView })
  payments(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<PaymentPageView> {
    return this.funding.payments(actor, id);
  }

  @Get('projects/:id/payments/reference-check')
  @ApiOperation({
    summary:
      'Whether a 凭证号 (reference) is already used by a payment of the project: the web warns before saving',
  })
  @ApiOkResponse({ type: ReferenceCheckView })
  referenceCheck(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() q: ReferenceCheckQuery,
  ): Promise<ReferenceCheckView> {
    return this.funding.referenceCheck(actor, id, q.reference);
  }

  @Post('projects/:id/payments')
  @Idempotent()
  @Can('funding.write')
  @ApiOperation({ summary: 'Record a payment to a contractor (finance)' })
  @ApiCreatedResponse({ type: PaymentWriteView })
  addPayment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreatePaymentDto,
  ): Promise<PaymentWriteView> {
    return this.funding.addPayment(actor, id, dto);
  }

  @Patch('projects/:id/payments/:paymentId')
  @Can('funding.write')
  @ApiOperation({ summary: 'Change a payment (finance); stale version → 409' })
  @ApiOkResponse({ type: PaymentWriteView })
  updatePayment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('paymentId', IdPipe) paymentId: number,
    @Body() dto: UpdatePaymentDto,
  ): Promise<PaymentWriteView> {
    return this.funding.updatePayment(actor, id, paymentId, dto);
  }

  @Delete('projects/:id/payments/:paymentId')
  @Can('funding.write')
  @ApiOperation({ summary: 'Remove a payment entered by mistake (finance)' })
  @ApiOkResponse({ type: DeletedView })
  deletePayment(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('paymentId', IdPipe) paymentId: number,
    @Body() dto: DeleteVersionedDto,
  ): Promise<DeletedView> {
    return this.funding.deletePayment(actor, id, paymentId, dto.version);
  }
}
