import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { IsCalendarDate, IsOptionalNotNull, IsText, IsWan } from '../../common/validation';
import { FUNDING_SOURCES, FundingSource } from '../funding.entities';

const WAN_DOC = { type: String, example: '1234.56' };

export class CreateBudgetRevisionDto {
  /** Day the revised budget takes effect; not in the future. */
  @ApiProperty({
    example: '2025-03-01',
    description: 'Day the revised budget takes effect; not in the future',
  })
  @IsDefined()
  @IsCalendarDate()
  effectiveOn: string;

  @ApiProperty({ ...WAN_DOC, description: 'The revised budget (概算, 万元), at most 6 decimals' })
  @IsDefined()
  @IsWan()
  budgetWan: string | number;

  @ApiProperty({
    example: '初步设计批复调整概算',
    description: 'Why the budget changed (e.g. the approving document)',
  })
  @IsDefined()
  @IsText(500)
  reason: string;
}

export class CreateFundingLineDto {
  @ApiProperty({
    enum: FUNDING_SOURCES,
    description:
      'county_budget 县级财政 · city_budget 市级财政 · provincial_subsidy 省级补助 · central_budget 中央预算内 · special_bond 地方政府专项债券 · general_bond 一般债券 · donation 捐赠及社会资金 · other 其他',
  })
  @IsDefined()
  @IsIn(FUNDING_SOURCES)
  source: FundingSource;

  @ApiPropertyOptional({
    ...WAN_DOC,
    description: '已落实 (万元); needs committedOn when above zero',
  })
  @IsOptionalNotNull()
  @IsWan()
  committedWan?: string | number;

  /** Day the money was committed (已落实). */
  @IsOptional() @IsCalendarDate() committedOn?: string | null;

  @ApiPropertyOptional({
    ...WAN_DOC,
    description: '已到位 (万元); needs receivedOn when above zero',
  })
  @IsOptionalNotNull()
  @IsWan()
  receivedWan?: string | number;

  /** Day the money arrived (已到位); not in the future. */
  @IsOptional() @IsCalendarDate() receivedOn?: string | null;

  /** e.g. the document that committed the money (文号). */
  @IsOptional() @IsText(500) note?: string | null;
}

export class UpdateFundingLineDto {
  @ApiProperty({ example: 1, description: 'The version read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ enum: FUNDING_SOURCES, description: 'Funding source' })
  @IsOptionalNotNull()
  @IsIn(FUNDING_SOURCES)
  source?: FundingSource;

  @ApiPropertyOptional({ ...WAN_DOC, description: '已落实 (万元)' })
  @IsOptionalNotNull()
  @IsWan()
  committedWan?: string | number;

  /** Day the money was committed. */
  @IsOptional() @IsCalendarDate() committedOn?: string | null;

  @ApiPropertyOptional({ ...WAN_DOC, description: '已到位 (万元)' })
  @IsOptionalNotNull()
  @IsWan()
  receivedWan?: string | number;

  /** Day the money arrived; not in the future. */
  @IsOptional() @IsCalendarDate() receivedOn?: string | null;

  /** Free text. */
  @IsOptional() @IsText(500) note?: string | null;
}

export class DeleteVersionedDto {
  @ApiProperty({ example: 1, description: 'The version read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;
}

export class CreatePaymentDto {
  /** Day paid; not in the future. */
  @ApiProperty({ example: '2025-06-30', description: 'Day paid; not in the future' })
  @IsDefined()
  @IsCalendarDate()
  paidOn: string;

  @ApiProperty({ example: '某建设工程有限公司', description: 'Who was paid (contractor)' })
  @IsDefined()
  @IsText(200)
  payee: string;

  @ApiProperty({ ...WAN_DOC, description: 'Amount paid (万元), above zero' })
  @IsDefined()
  @IsWan()
  amountWan: string | number;

  /** Voucher or contract reference. */
  @IsOptional() @IsText(100) reference?: string | null;
}

export class UpdatePaymentDto {
  @ApiProperty({ example: 1, description: 'The version read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  /** Day paid; not in the future. */
  @IsOptionalNotNull() @IsCalendarDate() paidOn?: string;

  /** Who was paid. */
  @IsOptionalNotNull() @IsText(200) payee?: string;

  @ApiPropertyOptional({ ...WAN_DOC, description: 'Amount paid (万元), above zero' })
  @IsOptionalNotNull()
  @IsWan()
  amountWan?: string | number;

  /** Voucher or contract reference. */
  @IsOptional() @IsText(100) reference?: string | null;
}
