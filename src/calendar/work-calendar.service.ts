import { Inject, Injectable } from '@nestjs/common';
import { Between } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { fieldError, FieldError, Forbidden, InvalidInput } from '../common/errors';
import { AuditService } from '../audit/audit.service';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { RegionsService } from '../regions/regions.service';
import { packageCoversYear } from './package-calendar';
import { DueDateRules, dueOn, monthsDueIn } from './due-date';
import { CalendarDayDto } from './dto/calendar.dto';
import { CalendarDayView, WorkCalendarView } from './dto/calendar.view';
import { WorkCalendarOverride } from './work-calendar.entity';

const ENTITY = 'work_calendar';

/**
 * The reporting calendar: REPORT_DUE_DAY and the admin's overrides (`work_calendar_override`) over
 * the `chinese-days` package, so every due date (the review list, 催报, 报送及时率, the 报送情况
 * sheet) is computed the same way. Reads the overrides on each call: a handful of rows, and an
 * admin's change applies at once on every instance.
 */
@Injectable()
export class WorkCalendar {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly regions: RegionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The due-date rules in force: REPORT_DUE_DAY and every override. */
  async rules(): Promise<DueDateRules> {
    const rows = await this.db.reader(WorkCalendarOverride).find();
    return {
      dueDay: this.config.reportDueDay,
      overrides: new Map(rows.map((r) => [r.day, r.work])),
    };
  }

  /** The day month `month`'s report is due. */
  async dueOn(month: string): Promise<string> {
    return dueOn(month, await this.rules());
  }

  /** `GET /api/admin/calendar/:year`. */
  async get(year: number): Promise<WorkCalendarView> {
    const [rows, rules] = await Promise.all([
      this.db
        .reader(WorkCalendarOverride)
        .find({ where: { day: Between(`${year}-01-01`, `${year}-12-31`) }, order: { day: 'ASC' } }),
      this.rules(),
    ]);
    return {
      year,
      dueDay: this.config.reportDueDay,
      packageCoversYear: packageCoversYear(year),
      overrides: rows.map(view),
      dueDates: monthsDueIn(year, rules).map(({ month, due }) => ({ month, dueOn: due })),
    };
  }

  /**
   * `PUT /api/admin/calendar/:year`: replaces the year's overrides (audited, old → new). Only an admin
   * over everything: the calendar moves every region's due dates.
   */
  async put(actor: Actor, year: number, days: CalendarDayDto[]): Promise<WorkCalendarView> {
    if (actor.regionId !== null && (await this.regions.scopeLevel(actor)) !== 'province')
      throw new Forbidden('FORBIDDEN_CALENDAR');
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    for (const [i, d] of days.entries()) {
      if (!d.date.startsWith(`${year}-`))
        errors.push(fieldError(`days[${i}].date`, 'CALENDAR_DAY_OUTSIDE_YEAR'));
      else if (seen.has(d.date))
        errors.push(fieldError(`days[${i}].date`, 'CALENDAR_DAY_DUPLICATE'));
      seen.add(d.date);
    }
    if (errors.length) throw new InvalidInput(errors);
    const now = this.clock.now().toISOString();
    await this.db.transaction(async (em) => {
      const range = { day: Between(`${year}-01-01`, `${year}-12-31`) };
      const before = (
        await em.find(WorkCalendarOverride, { where: range, order: { day: 'ASC' } })
      ).map(view);
      await em.delete(WorkCalendarOverride, range);
      const rows = [...days]
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .map((d) => ({
          day: d.date,
          work: d.work,
          note: d.note?.trim() || null,
          updatedAt: now,
          updatedBy: actor.username,
        }));
      if (rows.length) await em.insert(WorkCalendarOverride, rows);
      const after = rows.map(view);
      if (JSON.stringify(before) !== JSON.stringify(after))
        await this.audit.record(em, actor, {
          action: 'update',
          entity: ENTITY,
          entityId: year,
          changes: { days: { old: before, new: after } },
        });
    });
    return this.get(year);
  }
}

function view(r: Pick<WorkCalendarOverride, 'day' | 'work' | 'note'>): CalendarDayView {
  return { date: r.day, work: r.work, note: r.note };
}
