import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { IsText } from '../../common/validation';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class SubmissionsQuery {
  /** The month, YYYY-MM. */
  @ApiPropertyOptional({ example: '2026-11' })
  @IsDefined()
  @Matches(MONTH, { message: 'MONTH_INVALID' })
  month: string;

  /** Only this region's children (a province picking a city); default: the caller's scope. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
}

export class ChecksQuery {
  /** The month, YYYY-MM. */
  @ApiPropertyOptional({ example: '2026-11' })
  @IsDefined()
  @Matches(MONTH, { message: 'MONTH_INVALID' })
  month: string;

  /** The submitting region; default: the caller's. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
}

export class SubmitDto {
  /** The month, YYYY-MM (ended in TZ_BUSINESS). */
  @IsDefined()
  @Matches(MONTH, { message: 'MONTH_INVALID' })
  month: string;

  /** The submitting region; default: the caller's (a county user's region is implied). */
  @IsOptional() @IsInt() @Min(1) regionId?: number;

  /** 报送说明; with force, the 说明 of 强制报送 (required then). */
  @IsOptional() @IsText(1000) note?: string;

  /** 强制报送: submit despite errors in the checks (needs a note). */
  @IsOptional() @IsBoolean() force?: boolean;
}

export class TransitionDto {
  /** The submission's version as read. */
  @IsDefined() @IsInt() @Min(1) version: number;

  /** A comment (withdraw, approve). */
  @IsOptional() @IsText(500) comment?: string;
}

export class ReasonDto {
  /** The submission's version as read. */
  @IsDefined() @IsInt() @Min(1) version: number;

  /** 退回/重新打开 原因 (required). */
  @IsOptional() @IsText(500) reason?: string;

  /** Accepted as the reason when reason is absent. */
  @IsOptional() @IsText(500) comment?: string;
}

export class RemindDto {
  /** The month, YYYY-MM. */
  @IsDefined()
  @Matches(MONTH, { message: 'MONTH_INVALID' })
  month: string;

  /** The region reminded (a child region that has not submitted). */
  @IsDefined() @IsInt() @Min(1) regionId: number;
}

export class WorkbookQuery {
  /** Which frozen version (default: the current). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) seq?: number;
}
