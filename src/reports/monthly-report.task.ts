import type { Region } from '../regions/region.entity';
import type { WorkbookTask } from '../workers/task';
import { writeMonthlyReport } from './monthly-report.writer';
import { ReportDataService } from './report-data.service';
import { ReportSnapshot, reportSnapshot } from './report-snapshot';

export interface MonthlyReportArgs {
  month: string;
  /** The region path the report covers (null: everything). */
  scope: string | null;
  region: Pick<Region, 'id' | 'name' | 'level'> | null;
  /** Where to write it (a temporary name; the caller renames it). */
  file: string;
  /** Answer each sheet's digest too (a submission's frozen record); a download needs none. */
  digest?: boolean;
}

/**
 * The monthly report, read and written in a workbook worker; answers the key figures it shows (a
 * submission stores them beside the frozen file: issue 33 point 3).
 */
export const renderMonthlyReport: WorkbookTask<MonthlyReportArgs> = async (app, a, ctx) => {
  const data = await app
    .get(ReportDataService)
    .load(a.month, a.scope, a.region, ctx.progress, ctx.betweenPhases);
  const snapshot: ReportSnapshot = reportSnapshot(data);
  snapshot.sheets = await writeMonthlyReport(a.file, data, ctx.progress, ctx.betweenPhases, {
    digest: a.digest,
  });
  return snapshot;
};
