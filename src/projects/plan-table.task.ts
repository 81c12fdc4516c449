import type { Actor } from '../common/actor';
import type { WorkbookTask } from '../workers/task';
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
  const rows = await (await app.get(ProjectsQuery).listQuery(a.actor, a.query)).getMany();
  await writePlanTable(a.file, a.title, rows);
  return null;
};
