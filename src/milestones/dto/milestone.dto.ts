import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { IsCalendarDate, IsOptionalNotNull, IsPlannedDate, IsText } from '../../common/validation';

export class CreateMilestoneDto {
  /** Stable key: lower-case letters, digits and `_` (e.g. `fire_inspection`). */
  @ApiProperty({
    example: 'fire_inspection',
    description: 'Stable key: lower-case letters, digits and _',
  })
  @IsDefined()
  @IsText(40)
  @Matches(/^[a-z][a-z0-9_]*$/, { message: 'INVALID' })
  key: string;

  @ApiProperty({ example: '消防验收', description: 'Display name' })
  @IsDefined()
  @IsText(100)
  name: string;

  /** `YYYY-MM` or `YYYY-MM-DD` */
  @IsOptional() @IsPlannedDate() plannedDate?: string | null;
  /** Day the milestone was reached; not in the future. */
  @IsOptional() @IsCalendarDate() actualDate?: string | null;
  /** 责任人 */
  @IsOptional() @IsText(50) owner?: string | null;
  /** Free text. */
  @IsOptional() @IsText(500) note?: string | null;
  /** Position in the list; defaults to the end. */
  @IsOptional() @IsInt() @Min(0) sortOrder?: number;
}

export class UpdateMilestoneDto {
  @ApiProperty({ example: 1, description: 'The version the client read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  /** Display name. */
  @IsOptionalNotNull() @IsText(100) name?: string;
  /** `YYYY-MM` or `YYYY-MM-DD`; null clears it. */
  @IsOptional() @IsPlannedDate() plannedDate?: string | null;
  /** Day the milestone was reached; not in the future. */
  @IsOptional() @IsCalendarDate() actualDate?: string | null;
  /** 责任人 */
  @IsOptional() @IsText(50) owner?: string | null;
  /** Free text. */
  @IsOptional() @IsText(500) note?: string | null;
  /** Position in the list. */
  @IsOptionalNotNull() @IsInt() @Min(0) sortOrder?: number;
}
