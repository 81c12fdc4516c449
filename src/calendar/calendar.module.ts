import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { WorkCalendarController } from './work-calendar.controller';
import { WorkCalendar } from './work-calendar.service';

/** The reporting calendar (due dates, the admin's overrides). */
@Module({
  imports: [RegionsModule],
  controllers: [WorkCalendarController],
  providers: [WorkCalendar],
  exports: [WorkCalendar],
})
export class CalendarModule {}
