import { Injectable } from '@nestjs/common';
import { daysInMonth } from '../common/dates';
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
 * - OVERDUE_WITHOUT_NOTE (error): past its planned completion, and its latest report has no 说明.
 * - BUDGET_UNKNOWN (warning): 资金测算 未测算.
 * - ARRIVED_OVER_COMMITTED (warning): 已到位 more than 已落实.
 */
@Injectable()
export class SubmissionChecks {
  constructor(private readonly db: Database) {}

  async run(path: string, month: string): Promise<SubmissionCheck[]> {
    const asOf = monthEnd(month);
    const rows = await this.db.select<Record<string, unknown>>(
      `SELECT pr.id, pr.name, pr.planned_completion_due,
         ${figureColumns(['status', 'last_reported_on', 'budget', 'committed', 'received', 'paid'])},
         (SELECT r.note FROM progress_report r WHERE r.project_id = pr.id AND r.reported_on <= :asOf
            AND r.withdrawn_at IS NULL ORDER BY r.reported_on DESC, r.id DESC LIMIT 1) AS latest_note
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
        out.push({ level, code, message: `${name}：${text}`, projectId: id, projectName: name });
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
          `计划竣工已逾期${late}天，最近一次进度填报未写明情况说明`,
        );
      if (f.budget === null) add('warning', 'BUDGET_UNKNOWN', '资金测算未测算');
      if (f.received > f.committed)
        add(
          'warning',
          'ARRIVED_OVER_COMMITTED',
          `已到位${fenToWan(f.received)}万元，超过已落实${fenToWan(f.committed)}万元`,
        );
    }
    // errors first, then warnings, each in project order
    return [...out.filter((c) => c.level === 'error'), ...out.filter((c) => c.level === 'warning')];
  }
}
