import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarDate, IsText, IsWan } from '../../common/validation';
import { PROJECT_STATUSES, ProjectStatus } from '../../projects/project-rules';

export class CreateProgressDto {
  /** The day the report describes (`YYYY-MM-DD`); not before the project's latest report. */
  @ApiProperty({ example: '2026-10-31' })
  @IsDefined() @IsCalendarDate() reportedOn: string;

  @ApiProperty({ enum: PROJECT_STATUSES })
  @IsDefined() @IsIn(PROJECT_STATUSES) status: ProjectStatus;

  /** 形象进度, whole percent 0–100. */
  @ApiProperty({ example: 60 })
  @IsDefined() @IsInt() @Min(0) @Max(100) progressPercent: number;

  /** 累计完成投资 (万元) to date. */
  @ApiPropertyOptional({ type: String, nullable: true, example: '12000.00', description: 'Exact decimal as a string; a JSON number is accepted too' })
  @IsOptional() @IsWan() investmentCompletedWan?: string | number | null;

  /** 实际竣工日期; required when the report moves the project to completed. */
  @IsOptional() @IsCalendarDate() actualCompletion?: string | null;

  @IsOptional() @IsText(1000) note?: string | null;

  /** If given, the project's version the client read; stale → 409. */
  @IsOptional() @IsInt() @Min(1) projectVersion?: number;
}
