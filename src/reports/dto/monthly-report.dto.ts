import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, Matches, Min } from 'class-validator';

export class MonthlyReportQuery {
  /** The month, `YYYY-MM`; figures as of its last day (today for the current month; no later month). */
  @ApiPropertyOptional({
    example: '2026-10',
    description:
      'The month, YYYY-MM; figures as of its last day, or as of today for the current month; a later month is refused (400)',
  })
  @IsDefined()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'MONTH_INVALID' })
  month: string;

  /** Region (with sub-regions); defaults to the caller's scope. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;

  /** true: always run as a background job (202 + jobId). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  async?: boolean;
}
