import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional } from 'class-validator';
import { commaList } from '../../common/validation';
import { ListProjectsQuery } from './list-projects.dto';

/**
 * The columns of 项目台账 as the screen names them (web/src/views/ProjectsView.vue): `seats` is the
 * five stages under 计划新增学位数（个）. 序号 always comes first.
 */
export const LEDGER_COLUMNS = [
  'planYear',
  'name',
  'region',
  'seats',
  'floorArea',
  'land',
  'budget',
  'plannedStart',
  'planned',
  'status',
  'progress',
  'alert',
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number];

/** What the screen shows before the user changes 列设置 (计划开工 is offered, not shown). */
export const DEFAULT_LEDGER_COLUMNS: LedgerColumn[] = LEDGER_COLUMNS.filter(
  (c) => c !== 'plannedStart',
);

/** `GET /api/projects/ledger.xlsx`: the list's filters and the columns to write, in their order. */
export class LedgerExportQuery extends ListProjectsQuery {
  @ApiPropertyOptional({
    description:
      'The columns shown, in their order, comma-separated (列设置); default: the screen’s default columns',
    enum: LEDGER_COLUMNS,
    isArray: true,
  })
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(LEDGER_COLUMNS.length)
  @IsIn(LEDGER_COLUMNS, { each: true })
  columns?: LedgerColumn[];
}
