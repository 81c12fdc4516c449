import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { IsCalendarDate, IsText } from '../../common/validation';

const GROUP_BY = ['status', 'region', 'source', 'planYear'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export class FundingSummaryQuery {
  /** The day the figures are as of; defaults to today (Asia/Shanghai). */
  @IsOptional() @IsCalendarDate() asOf?: string;

  @ApiPropertyOptional({
    enum: GROUP_BY,
    description: 'Grouping of the figures; status by default',
  })
  @IsOptional()
  @IsIn(GROUP_BY)
  groupBy?: GroupBy;

  /** Region (with its sub-regions); defaults to the caller's whole scope. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
}

export class AsOfQuery {
  /** The day the figures are as of; defaults to today (Asia/Shanghai). */
  @IsOptional() @IsCalendarDate() asOf?: string;
}

export class ReferenceCheckQuery {
  /** The 凭证号 about to be saved with a payment. */
  @ApiProperty({ example: '记-2026-118' })
  @IsDefined()
  @IsText(100)
  reference: string;
}
