import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { commaList, IsCalendarDate, IsText } from '../../common/validation';
import {
  PROJECT_KINDS,
  PROJECT_STATUSES,
  ProjectKind,
  ProjectStatus,
  STAGES,
  Stage,
} from '../project-rules';
import { ALERT_LEVELS, AlertLevel } from '../alert-level';

const SORT_FIELDS = [
  'id',
  'name',
  'planYear',
  'status',
  'budgetWan',
  'floorAreaM2',
  'plannedCompletion',
  'seatsTotal',
  'lastReportedOn',
  'progressPercent',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];

const bool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListProjectsQuery {
  /** Region; its sub-regions are included. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;

  @ApiPropertyOptional({
    description: 'One status or several, comma-separated',
    enum: PROJECT_STATUSES,
    isArray: true,
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(PROJECT_STATUSES, { each: true })
  status?: ProjectStatus[];

  @ApiPropertyOptional({
    description: 'One kind or several, comma-separated; `none` = 未分类 (no kind given)',
    enum: [...PROJECT_KINDS, 'none'],
    isArray: true,
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn([...PROJECT_KINDS, 'none'], { each: true })
  kind?: (ProjectKind | 'none')[];

  @ApiPropertyOptional({ description: 'Projects adding seats (> 0) in this stage', enum: STAGES })
  @IsOptional()
  @IsIn(STAGES)
  stage?: Stage;

  /** 年度 */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1990) @Max(2100) planYear?: number;

  /** Text contained in the name, code, 建设单位, 施工单位, 项目负责人 or 联系电话. */
  @IsOptional() @IsText(100) q?: string;

  /** Include archived projects. */
  @IsOptional() @Transform(bool) @IsBoolean() includeArchived?: boolean;

  /** Only projects overdue as of `asOf` (planned completion passed, not completed/in use/cancelled). */
  @IsOptional() @Transform(bool) @IsBoolean() overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'Projects whose highest open or acknowledged alert has one of these severities (预警等级); `none` = no such alert',
    enum: ALERT_LEVELS,
    isArray: true,
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(ALERT_LEVELS, { each: true })
  alertLevel?: AlertLevel[];

  /** The as-of day for `overdue`; defaults to today (Asia/Shanghai). */
  @IsOptional() @IsCalendarDate() asOf?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;

  /** At most 200; larger values are capped. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;

  @ApiPropertyOptional({
    description: 'Field to sort by, `-` prefix for descending',
    example: '-budgetWan',
  })
  @IsOptional()
  @IsIn([...SORT_FIELDS, ...SORT_FIELDS.map((f) => `-${f}`)])
  sort?: string;
}
