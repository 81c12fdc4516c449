import { ApiProperty } from '@nestjs/swagger';

/** A problem of a plan table, by sheet, row and column. */
export class Issue {
  severity: 'error' | 'warning';
  sheet: string;
  row: number;
  /** The column letter (A, B, …). */
  column: string;
  field: string;
  code: string;
  message: string;
}

/** One row of the plan table and what the import does (did) with it. */
export class ImportRowResult {
  sheet: string;
  row: number;
  name: string;
  planYear: number | null;
  /** invalid: the row has errors and would not be imported. */
  action: 'create' | 'update' | 'unchanged' | 'invalid';
  projectId: number | null;
  @ApiProperty({
    description: 'Each field the row changes: `{ old, new }`.',
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { old: {}, new: {} },
      required: ['old', 'new'],
    },
  })
  changes: Record<string, { old: unknown; new: unknown }>;
}

/** A sheet of the workbook and whether it was imported. */
export class ImportSheetView {
  name: string;
  imported: boolean;
  rows: number;
}

/** What an import did (or, dry run, would do). */
export class ImportResult {
  dryRun: boolean;
  file: string;
  regionId: number;
  sheets: ImportSheetView[];
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  /** The first 1,000 rows; `rowsOmitted` counts the rest. */
  rows: ImportRowResult[];
  rowsOmitted: number;
  warnings: Issue[];
  warningsOmitted: number;
  errors: Issue[];
  errorsOmitted: number;
}
