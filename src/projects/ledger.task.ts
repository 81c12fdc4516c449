import type { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { dayjs } from '../common/dates';
import { bureauName, SEVERITY_LABELS, STAGE_LABELS } from '../common/vocabulary';
import { Database } from '../database/database';
import { RegionsService } from '../regions/regions.service';
import type { WorkbookTask } from '../workers/task';
import { ALERT_RANKS_BY_IDS, levelOfRank } from './alert-level';
import type { LedgerColumn } from './dto/ledger-export.dto';
import type { ListProjectsQuery } from './dto/list-projects.dto';
import { LedgerRow, writeLedger } from './ledger.export';
import { Project } from './project.entity';
import { PROJECT_KIND_LABELS, STATUS_LABELS } from './project-rules';
import { ProjectsQuery } from './projects.query';

export interface LedgerExportArgs {
  actor: Actor;
  query: ListProjectsQuery;
  columns: LedgerColumn[];
  file: string;
}

/**
 * The region an export covers, for its title, 填报单位 and file name: the one filtered on, else the
 * user's (the top of what they see: the province for an admin).
 */
export async function exportRegion(
  regions: RegionsService,
  actor: Actor,
  regionId: number | undefined,
): Promise<{ name: string; level: string | null; chosen: boolean }> {
  if (regionId !== undefined) {
    const r = await regions.findInScope(actor, regionId);
    return { name: r.name, level: r.level, chosen: true };
  }
  const top = (await regions.list(actor))[0];
  return top
    ? { name: top.name, level: top.level, chosen: false }
    : { name: '全部地区', level: null, chosen: false };
}

/** What an export task answers: the region it covered (the file is named after it). */
export interface ExportResult {
  region: string;
}

/** Rows read and written this many at a time: the sheet streams, nothing holds the whole list. */
const CHUNK = 1000;

/** The list's filters in words for the information line (年度：2026年；状态：在建、已竣工). */
function filtersText(q: ListProjectsQuery, region: string | null): string {
  const parts: string[] = [];
  if (region) parts.push(`区县：${region}`);
  if (q.planYear !== undefined) parts.push(`年度：${q.planYear}年`);
  if (q.stage) parts.push(`学段：${STAGE_LABELS[q.stage]}`);
  if (q.kind?.length)
    parts.push(
      `项目类型：${q.kind.map((k) => (k === 'none' ? '未分类' : PROJECT_KIND_LABELS[k])).join('、')}`,
    );
  if (q.status?.length) parts.push(`状态：${q.status.map((s) => STATUS_LABELS[s]).join('、')}`);
  if (q.alertLevel?.length)
    parts.push(
      `预警等级：${q.alertLevel.map((l) => (l === 'none' ? '无预警' : `${SEVERITY_LABELS[l]}预警`)).join('、')}`,
    );
  if (q.q) parts.push(`名称含“${q.q}”`);
  if (q.includeArchived) parts.push('含已归档');
  return parts.join('；');
}

/**
 * 导出 of 项目台账 (`GET /api/projects/ledger.xlsx`): the list's query, its 合计, the region names
 * and 预警等级, read a chunk at a time in a worker and streamed into the sheet.
 */
export const renderLedgerExport: WorkbookTask<LedgerExportArgs> = async (app, a) => {
  const query = app.get(ProjectsQuery);
  const regions = app.get(RegionsService);
  const db = app.get(Database);
  const clock = app.get(Clock);
  const [ids, totals, scope] = await Promise.all([
    (await query.listQuery(a.actor, a.query))
      .select('p.id', 'id')
      .getRawMany<{ id: unknown }>()
      .then((r) => r.map((x) => Number(x.id))),
    query.totals(a.actor, a.query),
    regions.list(a.actor),
  ]);
  const covered = await exportRegion(regions, a.actor, a.query.regionId);
  const region = covered.name;
  const chosen = covered.chosen ? region : null;
  const names = new Map(scope.map((r) => [r.id, r.name]));
  async function* pages(): AsyncIterable<LedgerRow[]> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const [projects, ranks] = await Promise.all([
        db.reader(Project).createQueryBuilder('p').whereInIds(chunk).getMany(),
        db.select<{ id: unknown; r: unknown }>(ALERT_RANKS_BY_IDS, { ids: chunk }),
      ]);
      const byId = new Map(projects.map((p) => [p.id, p]));
      const level = new Map(ranks.map((r) => [Number(r.id), levelOfRank(r.r)]));
      yield chunk.flatMap((id) => {
        const project = byId.get(id);
        return project
          ? [{ project, region: names.get(project.regionId) ?? '', alert: level.get(id) ?? null }]
          : [];
      });
    }
  }
  const today = clock.today();
  const d = dayjs(today);
  await writeLedger(
    a.file,
    a.columns,
    {
      region,
      unit: bureauName(covered),
      asOf: today,
      printedOn: `${d.year()}年${d.month() + 1}月${d.date()}日`,
      filters: filtersText(a.query, chosen),
    },
    pages(),
    totals,
  );
  return { region } satisfies ExportResult;
};
