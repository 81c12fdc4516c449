import { fenToWan } from '../common/money';
import { PROJECT_STATUSES } from '../projects/project-rules';
import type { ReportData, ReportProject } from './report-data.service';
import { eventText } from './report-changes';

import type { ReportSnapshot, ReportSnapshotRegion } from './dto/report-snapshot.view';

export type { ReportSnapshot, ReportSnapshotRegion };

function figures(
  regionId: number,
  regionName: string,
  projects: ReportProject[],
): ReportSnapshotRegion {
  const counts: Record<string, number> = Object.fromEntries(PROJECT_STATUSES.map((s) => [s, 0]));
  let budget = 0n;
  let committed = 0n;
  let received = 0n;
  let paid = 0n;
  let gap = 0n;
  let overdue = 0;
  for (const p of projects) {
    counts[p.status] = (counts[p.status] ?? 0) + 1;
    if (p.budget !== null) budget += p.budget;
    committed += p.committed;
    received += p.received;
    paid += p.paid;
    gap += p.gap;
    if (p.daysOverdue !== null) overdue++;
  }
  return {
    regionId,
    regionName,
    projects: counts,
    projectTotal: projects.length,
    budgetWan: fenToWan(budget),
    committedWan: fenToWan(committed),
    arrivedWan: fenToWan(received),
    paidWan: fenToWan(paid),
    gapWan: fenToWan(gap),
    overdue,
  };
}

/**
 * The snapshot a submission stores beside its frozen workbook (issue 33 point 3): computed from the
 * very data the workbook was written from, in the same worker task.
 */
export function reportSnapshot(data: ReportData): ReportSnapshot {
  const byCounty = new Map<number, { name: string; projects: ReportProject[] }>();
  for (const p of data.projects) {
    const c = byCounty.get(p.regionId) ?? { name: p.regionName, projects: [] };
    c.projects.push(p);
    byCounty.set(p.regionId, c);
  }
  const regions = [figures(data.region.id ?? 0, data.region.name, data.projects)];
  // a county's report is its own only row
  if (data.region.level !== 'county')
    for (const c of data.counties)
      regions.push(figures(c.id, c.name, byCounty.get(c.id)?.projects ?? []));
  // 本月变动's rows: one per thing an event did (a report and the status change it made: two)
  const monthChanges = data.events.reduce((n, e) => n + eventText(e).length, 0);
  return {
    month: data.month,
    asOf: data.asOf,
    regions,
    monthChanges,
    corrections: data.changes.length,
  };
}
