import type { Actor } from '../common/actor';
import { RegionsService } from '../regions/regions.service';
import type { WorkbookTask } from '../workers/task';
import { exportRegion, ExportResult } from './ledger.task';
import type { ListProjectsQuery } from './dto/list-projects.dto';
import { writePlanTable } from './plan-table.export';
import { ProjectsQuery } from './projects.query';

export interface PlanTableExportArgs {
  actor: Actor;
  query: ListProjectsQuery;
  title: string;
  file: string;
}

/** 导出: the projects a list query matches, in the plan-table layout, read and written in a worker. */
export const renderPlanTableExport: WorkbookTask<PlanTableExportArgs> = async (app, a) => {
  const [rows, covered] = await Promise.all([
    (await app.get(ProjectsQuery).listQuery(a.actor, a.query)).getMany(),
    exportRegion(app.get(RegionsService), a.actor, a.query.regionId),
  ]);
  // the region the file covers names its title and its sheet (and, in the controller, the file)
  await writePlanTable(
    a.file,
    `${covered.name}${a.title}`,
    rows,
    false,
    `${covered.name}学位建设规划表`,
  );
  return { region: covered.name } satisfies ExportResult;
};
