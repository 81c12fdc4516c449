import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, Max, Min, ValidationArguments } from 'class-validator';
import { IsCalendarDate, IsText, IsWan } from '../../common/validation';
import { PROJECT_STATUSES, ProjectStatus } from '../../projects/project-rules';

export class CreateProgressDto {
  /** The day the report describes (`YYYY-MM-DD`); not before the project's latest report. */
  @ApiProperty({
    example: '2026-10-31',
    description: 'Day the report describes; not before the latest report, not in the future',
  })
  @IsDefined()
  @IsCalendarDate()
  reportedOn: string;

  @ApiProperty({
    enum: PROJECT_STATUSES,
    description: 'Status after this report; must be reachable by the transition table',
  })
  @IsDefined({ message: 'STATUS_REQUIRED' })
  @IsIn(PROJECT_STATUSES, {
    message: (a: ValidationArguments) =>
      a.value === '' || a.value === null ? 'STATUS_REQUIRED' : 'NOT_IN_LIST',
  })
  status: ProjectStatus;

  /** 形象进度, whole percent 0–100. */
  @ApiProperty({ example: 60, description: '形象进度, whole percent 0–100' })
  @IsDefined({ message: 'PROGRESS_PERCENT_INVALID' })
  @IsInt({ message: 'PROGRESS_PERCENT_INVALID' })
  @Min(0, { message: 'PROGRESS_PERCENT_INVALID' })
  @Max(100, { message: 'PROGRESS_PERCENT_INVALID' })
  progressPercent: number;

  /** 累计完成投资 (万元) to date. */
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '12000.00',
    description: '累计完成投资 (万元) to date; decimal string or JSON number',
  })
  @IsOptional()
  @IsWan()
  investmentCompletedWan?: string | number | null;

  /** 实际竣工日期; required when the report moves the project to completed. */
  @IsOptional() @IsCalendarDate() actualCompletion?: string | null;

  /** Free text: what was done, what holds the project up. */
  @IsOptional() @IsText(1000) note?: string | null;

  /** If given, the project's version the client read; stale → 409. */
  @IsOptional() @IsInt() @Min(1) projectVersion?: number;

  /**
   * The latest report the form showed (`null`: it showed none). If another report was filed since
   * → 409 STALE_PROGRESS with the newer report as `latestReport`. Absent: not checked.
   */
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 12,
    description:
      'Id of the latest report the form showed (null: none); another one filed since → 409 STALE_PROGRESS',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedLatestReportId?: number | null;
}
