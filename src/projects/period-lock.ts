import { HttpStatus } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError, fieldError } from '../common/errors';
import { bindNamed } from '../database/raw-sql';

/**
 * The lock of a submitted month (docs/domain.md "The monthly reporting cycle"): while a region's
 * month M is submitted (已报送（待审核）) or approved (已通过), a write whose business date is on or
 * before M's last day, to a project of that region or of any region below it, is refused with 409
 * PERIOD_SUBMITTED; later-dated writes go through. Returning (退回) unlocks. Every dated write path
 * (progress reports, milestone actual dates, funding lines, payments, budget revisions, withdrawals,
 * imports) calls {@link assertPeriodOpen} inside its own transaction.
 *
 * Raw SQL over `submission` (src/submissions/ owns the table): the write paths below submissions/
 * in the folder order call this without importing it.
 */
export const LOCKING_SUBMISSION_STATUSES = ['submitted', 'approved'] as const;

/** The day of a write that holds from the beginning (a budget without an effective day). */
export const FROM_THE_START = '0000-01-01';

/** "2026年11月". */
const monthWords = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/** 409 PERIOD_SUBMITTED, its message naming the month and what has to happen first. */
export class PeriodSubmitted extends AppError {
  constructor(
    readonly month: string,
    readonly submissionStatus: string,
    /** The region whose month it is, when above the project's own (a city's month locks its counties). */
    readonly regionName: string | null,
    /** The request's field whose date falls in the locked month (reportedOn, paidOn …). */
    readonly field = 'date',
  ) {
    super(HttpStatus.CONFLICT, 'PERIOD_SUBMITTED', [fieldError(field, 'PERIOD_SUBMITTED')]);
    this.message =
      (regionName ?? '') +
      (submissionStatus === 'approved'
        ? `${monthWords(month)}月报已通过审核，需上级重新打开后才能修改`
        : `${monthWords(month)}月报已报送（待审核），需上级退回后才能修改`);
    this.errors[0] = { ...this.errors[0], message: this.message };
  }
}

/** A business date the write touches (or its old and new values); null/undefined: none. */
type Day = string | null | undefined;

/**
 * Refuses (409) a write dated `dates` (the business dates the write touches, by the request's field
 * name: new and old values; nulls are ignored — an undated amount counts on no day) to the projects
 * `projectIds`, when a month on or after the earliest date is submitted or approved for the project's
 * region or one above it. The error names the field of the earliest date (`errors[0].path`), e.g.
 * `{ reportedOn: dto.reportedOn }`, `{ paidOn: [old.paidOn, dto.paidOn] }`.
 */
export async function assertPeriodOpen(
  em: EntityManager,
  projectIds: readonly number[],
  dates: Readonly<Record<string, Day | readonly Day[]>>,
): Promise<void> {
  const days: { field: string; day: string }[] = [];
  for (const [field, v] of Object.entries(dates))
    for (const d of Array.isArray(v) ? (v as readonly Day[]) : [v as Day])
      if (typeof d === 'string' && d.length >= 7) days.push({ field, day: d });
  if (!projectIds.length || !days.length) return;
  const first = days.reduce((a, b) => (b.day < a.day ? b : a));
  const earliest = first.day;
  const dialect = em.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
  const [sql, values] = bindNamed(
    dialect,
    `SELECT s.month, s.status, rg.name,
       (SELECT COUNT(*) FROM project o WHERE o.id IN (:ids) AND o.region_id = s.region_id) AS own
     FROM submission s JOIN region rg ON rg.id = s.region_id
     WHERE s.status IN (:statuses) AND s.month >= :month
       AND EXISTS (SELECT 1 FROM project p JOIN region pr ON pr.id = p.region_id
                   WHERE p.id IN (:ids) AND pr.path LIKE rg.path || '%')
     ORDER BY s.month, rg.path LIMIT 1`,
    { statuses: [...LOCKING_SUBMISSION_STATUSES], month: earliest.slice(0, 7), ids: projectIds },
  );
  const rows = (await em.query(sql, values)) as {
    month: string;
    status: string;
    name: string;
    own: number | string;
  }[];
  if (rows.length) {
    const r = rows[0];
    throw new PeriodSubmitted(r.month, r.status, Number(r.own) > 0 ? null : r.name, first.field);
  }
}
