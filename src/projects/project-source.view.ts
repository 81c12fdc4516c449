import { Warning } from './warning.view';

/** Where a record came from, so staff can trace a figure back to its plan, file, sheet and row. */
export class ProjectSource {
  type: 'plan' | 'import' | 'api';
  document?: string;
  table?: string;
  sheet?: string;
  row?: number;
  /** Warnings found when the record came in (kept with it). */
  warnings?: Warning[];
}
