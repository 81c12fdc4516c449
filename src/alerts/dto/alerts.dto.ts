import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { commaList, IsCalendarDate } from '../../common/validation';
import {
  ALERT_KINDS,
  ALERT_STATES,
  AlertKind,
  AlertState,
  SEVERITIES,
  Severity,
} from '../alert-rules';

export class AlertsQuery {
  /** Compute the alerts as of this day live instead of listing the stored ones. */
  @IsOptional() @IsCalendarDate() asOf?: string;

  @ApiPropertyOptional({
    enum: ALERT_KINDS,
    isArray: true,
    description: 'One kind or several, comma-separated',
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(ALERT_KINDS, { each: true })
  kind?: AlertKind[];

  @ApiPropertyOptional({
    enum: SEVERITIES,
    isArray: true,
    description: 'blue 蓝 · yellow 黄 · red 红; comma-separated',
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @ApiPropertyOptional({
    enum: ALERT_STATES,
    isArray: true,
    description: 'Default: open and acknowledged',
  })
  @IsOptional()
  @Transform(commaList)
  @IsIn(ALERT_STATES, { each: true })
  state?: AlertState[];

  /** Region (with sub-regions). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;

  /** Page number, from 1. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;

  /** Page size, at most 200. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
}

export class ScanQuery {
  /** The day to scan as of; defaults to today (Asia/Shanghai). */
  @IsOptional() @IsCalendarDate() asOf?: string;
}

export class AckDto {
  /** The alert's version, if the client wants a stale one refused (409). */
  @IsOptional() @IsInt() @Min(1) version?: number;

  /**
   * 确认说明: why it is known or what is being done, shown with the alert. Required: a blank one
   * (or only spaces) is refused with 400 naming 确认说明.
   */
  @ApiProperty({ description: '确认说明（必填，去除首尾空格后不能为空）', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
