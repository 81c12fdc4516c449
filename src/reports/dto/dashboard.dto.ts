import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validation';

export class DashboardQuery {
  /** The day the figures are as of; defaults to today (Asia/Shanghai). */
  @IsOptional() @IsCalendarDate() asOf?: string;

  /** Region (with its sub-regions); defaults to the caller's whole scope. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
}
