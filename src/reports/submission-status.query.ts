import { Injectable } from '@nestjs/common';
import { lateDays, monthsDueIn, timelinessRate } from '../calendar/due-date';
import { WorkCalendar } from '../calendar/work-calendar.service';
import { Database } from '../database/database';

/** A region's month as 首页 and the 报送情况 sheet show it. */
export interface RegionMonthStatus {
  regionId: number;
  /** not_submitted, or the submission's status (submitted / approved / returned / withdrawn). */
  status: string;
  dueOn: string;
  firstSubmittedAt: string | null;
  approvedAt: string | null;
  /** The first submission's days late; for a month not submitted, the days since the due date. */
  lateDays: number;
  returnCount: number;
}

interface SubmissionRow {
  region_id: number | string;
  month: string;
  status: string;
  due_on: string;
  late_days: number | string;
  first_submitted_at: string | null;
  approved_at: string | null;
  return_count: number | string;
}

/**
 * The reporting cycle's figures for 首页 and the monthly report: each region's month and
 * 报送及时率. Raw SQL over `submission` (src/submissions/ owns the table; reports may not import it:
 * submissions renders the monthly report). Due dates come from the reporting calendar.
 */
@Injectable()
export class SubmissionStatusQuery {
  constructor(
    private readonly db: Database,
    private readonly calendar: WorkCalendar,
  ) {}

  /** Each region's `month`, in the order of `regionIds`; late days of an unsubmitted month as of `today`. */
  async monthOf(regionIds: number[], month: string, today: string): Promise<RegionMonthStatus[]> {
    if (!regionIds.length) return [];
    const [rows, dueOn] = await Promise.all([
      this.db.select<SubmissionRow>(
        `SELECT s.region_id, s.month, s.status, s.due_on, s.late_days, s.first_submitted_at,
           s.approved_at, s.return_count
         FROM submission s WHERE s.month = :month AND s.region_id IN (:ids)`,
        { month, ids: regionIds },
      ),
      this.calendar.dueOn(month),
    ]);
    const byRegion = new Map(rows.map((r) => [Number(r.region_id), r]));
    return regionIds.map((regionId) => {
      const r = byRegion.get(regionId);
      if (!r)
        return {
          regionId,
          status: 'not_submitted',
          dueOn,
          firstSubmittedAt: null,
          approvedAt: null,
          lateDays: lateDays(dueOn, today),
          returnCount: 0,
        };
      return {
        regionId,
        status: r.status,
        dueOn: r.due_on,
        firstSubmittedAt: r.first_submitted_at,
        approvedAt: r.approved_at,
        lateDays: Number(r.late_days),
        returnCount: Number(r.return_count),
      };
    });
  }

  /** 报送及时率 of each region as of `asOf` (docs/domain.md); null while no month has fallen due. */
  async timeliness(regionIds: number[], asOf: string): Promise<Map<number, number | null>> {
    const out = new Map<number, number | null>();
    if (!regionIds.length) return out;
    const year = Number(asOf.slice(0, 4));
    const due = monthsDueIn(year, await this.calendar.rules()).filter((m) => m.due < asOf);
    const rows = due.length
      ? await this.db.select<Pick<SubmissionRow, 'region_id' | 'month' | 'late_days'>>(
          `SELECT s.region_id, s.month, s.late_days FROM submission s
           WHERE s.month IN (:months) AND s.region_id IN (:ids)`,
          { months: due.map((m) => m.month), ids: regionIds },
        )
      : [];
    const late = new Map(
      rows.map((r) => [`${Number(r.region_id)}|${r.month}`, Number(r.late_days)]),
    );
    for (const id of regionIds)
      out.set(
        id,
        timelinessRate(
          due.map((m) => ({ due: m.due, lateDays: late.get(`${id}|${m.month}`) ?? null })),
          asOf,
        ),
      );
    return out;
  }

  /** The regions that report to `regionId` (its direct children). */
  async children(regionId: number): Promise<{ id: number; name: string }[]> {
    return (
      await this.db.select<{ id: number | string; name: string }>(
        `SELECT r.id, r.name FROM region r WHERE r.parent_id = :id ORDER BY r.path`,
        { id: regionId },
      )
    ).map((r) => ({ id: Number(r.id), name: r.name }));
  }
}
