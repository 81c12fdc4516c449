import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { IsCalendarDate, IsOptionalNotNull, IsPlannedDate, IsText } from '../../common/validation';

export class CreateMilestoneDto {
  /** Stable key: lower-case letters, digits and `_` (e.g. `fire_inspection`). */
  @ApiProperty({ example: 'fire_inspection' })
  @IsDefined() @IsText(40) @Matches(/^[a-z][a-z0-9_]*$/, { message: 'INVALID' }) key: string;

  @ApiProperty({ example: '消防验收' })
  @IsDefined() @IsText(100) name: string;

  /** `YYYY-MM` or `YYYY-MM-DD` */
  @IsOptional() @IsPlannedDate() plannedDate?: string | null;
  @IsOptional() @IsCalendarDate() actualDate?: string | null;
  /** 责任人 */
  @IsOptional() @IsText(50) owner?: string | null;
  @IsOptional() @IsText(500) note?: string | null;
  /** Position in the list; defaults to the end. */
  @IsOptional() @IsInt() @Min(0) sortOrder?: number;
}

export class UpdateMilestoneDto {
  @ApiProperty({ example: 1 })
  @IsDefined() @IsInt() @Min(1) version: number;

  @IsOptionalNotNull() @IsText(100) name?: string;
  @IsOptional() @IsPlannedDate() plannedDate?: string | null;
  @IsOptional() @IsCalendarDate() actualDate?: string | null;
  @IsOptional() @IsText(50) owner?: string | null;
  @IsOptional() @IsText(500) note?: string | null;
  @IsOptionalNotNull() @IsInt() @Min(0) sortOrder?: number;
}
