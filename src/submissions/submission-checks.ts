import { Injectable } from '@nestjs/common';
import { daysInMonth } from '../common/dates';
import { SUBMISSION_STATUS_LABELS } from '../common/vocabulary';
import { fenToWan } from '../common/money';
import { Database } from '../database/database';
import { figureColumns } from '../projects/figures.sql';
import { FigureRow, readFigures } from '../projects/project-figures';
import { daysOverdue, REPORTING_STATUSES } from '../projects/project-rules';
import type { SubmissionCheck } from './submission-types';

/** The last day of a month 'YYYY-MM'. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** "2026年11月". */
export const monthWords = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/**
 * The checks before submitting a month (docs/domain.md "The monthly reporting cycle"), as of the
 * month's last day, over the region's projects (and those below it). Errors block a submission
 * unless it is forced with a 说明 (强制报送); warnings are shown only.
 *
 * - NO_REPORT (error): 前期工作 or 在建 on the day, and no progress report dated in the month.
 * - PAID_OVER_ARRIVED (error): 已支付 more than 已到位.
 * - OVERDUE_WITHOUT_NOTE (error): past its planned completion, and its latest report has no 说明
 *   (a project never reported says 尚未填报进度 rather than speaking of a latest report).
 * - BUDGET_UNKNOWN (warning): 资金测算 未测算.
 * - ARRIVED_OVER_COMMITTED (warning): 已到位 more than 已落实.
 * - CHILD_NOT_APPROVED (error, a city's or the province's own month): a child region whose month is
 *   not 已通过 (未报送, 已报送（待审核）, 已退回, 已撤回) — the city submits over its counties' reviewed
 *   figures, or forces it with a 说明 (强制报送).
 *
 * Each project finding names the project's id, 编号 (code), region and 年度 beside its name, so two
 * projects of the same name are told apart.
 */
@Injectable()
export class SubmissionChecks {
  constructor(private readonly db: Database) {}

  async run(region: { id: number; path: string }, month: string): Promise<SubmissionCheck[]> {
    const { path } = region;
    const asOf = monthEnd(month);
    const rows = await this.db.select<Record<string, unknown>>(
      `SELECT pr.id, pr.name, pr.code, pr.plan_year, pr.region_id, rg.name AS region_name,
         pr.planned_completion_due,
         ${figureColumns(['status', 'last_reported_on', 'budget', 'committed', 'received', 'paid'])},
         (SELECT r.note FROM progress_report r WHERE r.project_id = pr.id AND r.reported_on <= :asOf
            AND r.withdrawn_at IS NULL ORDER BY r.reported_on DESC, r.id DESC LIMIT 1) AS latest_note,
         (SELECT COUNT(*) FROM progress_report r WHERE r.project_id = pr.id AND r.reported_on <= :asOf
            AND r.withdrawn_at IS NULL) AS reports_to_date
       FROM project pr JOIN region rg ON rg.id = pr.region_id
       WHERE pr.archived_at IS NULL AND rg.path LIKE :path
       ORDER BY rg.path, pr.id`,
      { asOf, path: `${path}%` },
    );
    const out: SubmissionCheck[] = [];
    const first = `${month}-01`;
    for (const r of rows) {
      const f = readFigures(r as FigureRow);
      const id = Number(r.id);
      const name = String(r.name);
      const add = (level: SubmissionCheck['level'], code: string, text: string) =>
        out.push({
          level,
          code,
          message: `${name}：${text}`,
          projectId: id,
          projectName: name,
          projectCode: (r.code as string | null) ?? null,
          planYear: r.plan_year === null ? null : Number(r.plan_year),
          regionId: Number(r.region_id),
          regionName: String(r.region_name),
        });
      if (REPORTING_STATUSES.includes(f.status) && (!f.lastReportedOn || f.lastReportedOn < first))
        add(
          'error',
          'NO_REPORT',
          `${monthWords(month)}应填报进度而未填报（最近一次填报：${f.lastReportedOn ?? '无'}）`,
        );
      if (f.paid > f.received)
        add(
          'error',
          'PAID_OVER_ARRIVED',
          `已支付${fenToWan(f.paid)}万元，超过已到位${fenToWan(f.received)}万元`,
        );
      const late = daysOverdue(r.planned_completion_due as string | null, f.status, asOf);
      const note = typeof r.latest_note === 'string' ? r.latest_note.trim() : '';
      if (late !== null && !note)
        add(
          'error',
          'OVERDUE_WITHOUT_NOTE',
          Number(r.reports_to_date) > 0
            ? `计划竣工已逾期${late}天，最近一次进度填报未写明情况说明`
            : `计划竣工已逾期${late}天，尚未填报进度（请填报进度并写明情况说明）`,
        );
      if (f.budget === null) add('warning', 'BUDGET_UNKNOWN', '资金测算未测算');
      if (f.received > f.committed)
        add(
          'warning',
          'ARRIVED_OVER_COMMITTED',
          `已到位${fenToWan(f.received)}万元，超过已落实${fenToWan(f.committed)}万元`,
        );
    }
    out.push(...(await this.children(region.id, month)));
    // errors first, then warnings, each in project order (the child regions' months last)
    return [...out.filter((c) => c.level === 'error'), ...out.filter((c) => c.level === 'warning')];
  }

  /** CHILD_NOT_APPROVED: each child region whose month is not 已通过, in path order. */
  private async children(regionId: number, month: string): Promise<SubmissionCheck[]> {
    const rows = await this.db.select<{ id: number | string; name: string; status: string | null }>(
      `SELECT c.id, c.name, s.status
       FROM region c LEFT JOIN submission s ON s.region_id = c.id AND s.month = :month
       WHERE c.parent_id = :regionId
       ORDER BY c.path`,
      { regionId, month },
    );
    return rows
      .filter((c) => c.status !== 'approved')
      .map((c) => {
        const status = (c.status ?? 'not_submitted') as keyof typeof SUBMISSION_STATUS_LABELS;
        return {
          level: 'error' as const,
          code: 'CHILD_NOT_APPROVED',
          message: `${c.name}${monthWords(month)}月报${SUBMISSION_STATUS_LABELS[status]}，尚未通过审核`,
          projectId: null,
          projectName: null,
          projectCode: null,
          planYear: null,
          regionId: Number(c.id),
          regionName: c.name,
        };
      });
  }
}
