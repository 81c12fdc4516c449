import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsCalendarDate, IsText } from '../../common/validation';

export class AuditQuery {
  /** Only writes by this user id. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) actorId?: number;
  /** Only writes by this user name. */
  @IsOptional() @IsText(100) username?: string;
  /** Only this kind of record: project, progress_report, milestone, user, … */
  @IsOptional() @IsText(40) entity?: string;
  /** Only this record id (with `entity`). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) entityId?: number;
  /** From this day (UTC), inclusive. */
  @IsOptional() @IsCalendarDate() from?: string;
  /** To this day (UTC), inclusive. */
  @IsOptional() @IsCalendarDate() to?: string;
  /** Page number, from 1. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  /** Page size, at most 200. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) pageSize?: number;
}
