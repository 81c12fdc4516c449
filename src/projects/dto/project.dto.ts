import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ArrayMaxSize,
  ValidateNested,
  IsDefined,
} from 'class-validator';
import {
  IsCalendarDate,
  IsCoordinate,
  IsCount,
  IsHundredths,
  IsOptionalNotNull,
  IsPhone,
  IsPlannedDate,
  IsText,
  IsWan,
} from '../../common/validation';
import { PROJECT_KINDS, PROJECT_STATUSES, ProjectKind, ProjectStatus } from '../project-rules';

const DECIMAL_SCHEMA = {
  type: String,
  description: 'Exact decimal as a string; a JSON number is accepted too',
};

/** Seats added by stage (学位). A missing stage means 0; the total is derived, never sent. */
export class SeatsDto {
  /** 幼儿园 */
  @IsOptional() @IsCount() kindergarten?: number;
  /** 小学 */
  @IsOptional() @IsCount() primary?: number;
  /** 初中 */
  @IsOptional() @IsCount() juniorMiddle?: number;
  /** 高中阶段（普高与中职） */
  @IsOptional() @IsCount() seniorSecondary?: number;
  /** 特殊教育 */
  @IsOptional() @IsCount() specialEducation?: number;
}

/** A milestone given when a project is created, replacing its default of the same key. */
export class InitialMilestoneDto {
  /** Stable key, e.g. `groundbreaking`; a new key adds a milestone. */
  @IsText(40) key: string;
  /** Display name; defaults to the standard one for a standard key. */
  @IsOptional() @IsText(100) name?: string;
  /** `YYYY-MM` or `YYYY-MM-DD` */
  @IsOptional() @IsPlannedDate() plannedDate?: string | null;
  /** Day the milestone was reached. */
  @IsOptional() @IsCalendarDate() actualDate?: string | null;
  /** 责任人 */
  @IsOptional() @IsText(50) owner?: string | null;
  /** Free text. */
  @IsOptional() @IsText(500) note?: string | null;
}

/** Fields a project has, in the plan table's order (学校名称, 小计, 幼儿园 …). */
class ProjectFieldsDto {
  @ApiPropertyOptional({
    type: SeatsDto,
    description: 'Seats added by stage; a stage left out keeps its value (0 on create)',
  })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => SeatsDto)
  seats?: SeatsDto;

  /** 计划完成时间: `YYYY-MM` (due at the month's end) or `YYYY-MM-DD`. */
  @IsOptional() @IsPlannedDate() plannedCompletion?: string | null;

  /** 建筑面积 (m²), up to 2 decimals, as a decimal string or number. */
  @ApiPropertyOptional({
    ...DECIMAL_SCHEMA,
    nullable: true,
    example: '1820.00',
    description: '建筑面积 (m²), up to 2 decimals; decimal string or JSON number',
  })
  @IsOptional()
  @IsHundredths()
  floorAreaM2?: string | number | null;

  /** 用地 (亩), up to 2 decimals; null = unknown, "0" = none needed. */
  @ApiPropertyOptional({
    ...DECIMAL_SCHEMA,
    nullable: true,
    example: '5.39',
    description: '用地 (亩), up to 2 decimals; null = unknown, "0" = none needed',
  })
  @IsOptional()
  @IsHundredths()
  landMu?: string | number | null;

  /** 资金测算 (万元), at most 6 decimals (one fen). */
  @ApiPropertyOptional({
    ...DECIMAL_SCHEMA,
    example: '1330.00',
    description: '资金测算 (万元), at most 6 decimals (one fen); decimal string or JSON number',
  })
  @IsOptionalNotNull()
  @IsWan()
  budgetWan?: string | number;

  /** 年度 */
  @IsOptional() @IsInt() @Min(1990) @Max(2100) planYear?: number | null;

  /** 项目编码 */
  @IsOptional() @IsText(50) code?: string | null;

  /** 镇/街道 */
  @IsOptional() @IsText(100) town?: string | null;

  @ApiPropertyOptional({
    enum: PROJECT_KINDS,
    nullable: true,
    description:
      'new_build 新建 · expansion 改扩建 · relocation 迁建 · renovation 修缮改造; inferred from a name like “…（修缮改造）” when not given',
  })
  @IsOptional()
  @IsIn(PROJECT_KINDS)
  kind?: ProjectKind | null;

  /** 过渡学位: seats counted but reported apart. */
  @IsOptionalNotNull() @IsBoolean() transitionalSeats?: boolean;

  /** 床位 added. */
  @IsOptionalNotNull() @IsCount() boardingBeds?: number;

  /** 计划开工时间 */
  @IsOptional() @IsPlannedDate() plannedStart?: string | null;

  /** The plan this project belongs to, if any. */
  @IsOptional() @IsInt() @Min(1) planId?: number | null;

  /** 建设单位 */
  @IsOptional() @IsText(100) builder?: string | null;

  /** 施工单位 */
  @IsOptional() @IsText(100) contractor?: string | null;

  /** 项目负责人 */
  @IsOptional() @IsText(50) manager?: string | null;

  /** 联系电话: digits, '-' and spaces, 7–20. */
  @ApiPropertyOptional({ example: '0763-6621234', nullable: true, description: '联系电话' })
  @IsOptional()
  @IsPhone()
  phone?: string | null;

  /** 纬度 (WGS84, degrees, ≤ 6 places, within China); null clears the location. */
  @ApiPropertyOptional({ type: String, example: '23.456789', nullable: true, description: '纬度' })
  @IsOptional()
  @IsCoordinate('lat')
  lat?: string | null;

  /** 经度 (WGS84, degrees, ≤ 6 places, within China); null clears the location. */
  @ApiPropertyOptional({ type: String, example: '113.123456', nullable: true, description: '经度' })
  @IsOptional()
  @IsCoordinate('lng')
  lng?: string | null;
}

export class CreateProjectDto extends ProjectFieldsDto {
  /** 学校名称/项目名称 as staff write it (not a key: the same school may appear twice). */
  @ApiProperty({
    example: '三排镇横坑幼儿园',
    description: '学校名称/项目名称 as staff write it (not a key)',
  })
  @IsDefined()
  @IsText(200)
  name: string;

  /** County-level region the project belongs to. */
  @ApiProperty({ example: 3, description: 'County-level region the project belongs to' })
  @IsDefined()
  @IsInt()
  @Min(1)
  regionId: number;

  /** Milestones to set now; standard ones not listed are created empty from the default list. */
  @ApiPropertyOptional({
    type: [InitialMilestoneDto],
    description: 'Milestones to set now; standard ones not listed are created empty',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => InitialMilestoneDto)
  milestones?: InitialMilestoneDto[];
}

export class UpdateProjectDto extends ProjectFieldsDto {
  /** 学校名称/项目名称 */
  @IsOptionalNotNull() @IsText(200) name?: string;

  /** Move the project to another county-level region. */
  @IsOptionalNotNull() @IsInt() @Min(1) regionId?: number;

  /** The version the client read; a stale one gets 409 and changes nothing. */
  @ApiProperty({
    example: 1,
    description: 'The version the client read; a stale one gets 409 and changes nothing',
  })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  /** A status change here is recorded as a progress report dated today. */
  @ApiPropertyOptional({
    enum: PROJECT_STATUSES,
    description:
      'A status change is recorded as a progress report dated today and follows the transition table',
  })
  @IsOptional()
  @IsIn(PROJECT_STATUSES)
  status?: ProjectStatus;

  /** Required when the status becomes completed. */
  @IsOptional() @IsCalendarDate() actualCompletion?: string | null;
}

export class ArchiveProjectDto {
  @ApiProperty({
    example: 1,
    description: 'The version the client read; a stale one gets 409 and changes nothing',
  })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  /** Why (归档原因); required by POST …/archive and …/unarchive, optional on DELETE. */
  @ApiPropertyOptional({ example: '项目取消，不再建设', description: '归档或取消归档的原因' })
  @IsOptional()
  @IsText(500)
  reason?: string;
}
