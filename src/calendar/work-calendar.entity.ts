import { Column, Entity } from 'typeorm';

/**
 * A day the admin has set worked or off (调休 and holidays of a year whose State Council notice is
 * newer than the `chinese-days` package), consulted before the package (src/calendar/due-date.ts).
 */
@Entity()
export class WorkCalendarOverride {
  /** `YYYY-MM-DD`. */
  @Column('varchar', { primary: true, length: 10 })
  day: string;

  /** true: a working day (a make-up Saturday); false: a day off (a holiday). */
  @Column('boolean')
  work: boolean;

  @Column('varchar', { length: 100, nullable: true })
  note: string | null;

  @Column('varchar', { length: 30 })
  updatedAt: string;

  @Column('varchar', { length: 100 })
  updatedBy: string;
}
