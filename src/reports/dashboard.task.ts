import type { WorkbookTask } from '../workers/task';
import { DashboardService } from './dashboard.service';

export interface DashboardArgs {
  path: string | null;
  region: { id: number; name: string; level: string } | null;
  asOf: string;
}

/** 首页's figures as of a day, computed in a worker thread (DashboardService.dashboard caches them). */
export const computeDashboard: WorkbookTask<DashboardArgs> = (app, a) =>
  app.get(DashboardService).compute(a.path, a.region, a.asOf);
