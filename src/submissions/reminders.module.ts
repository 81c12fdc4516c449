import { Global, Module } from '@nestjs/common';
import { ScheduledReminders } from '../alerts/scheduled-reminders';
import { CalendarModule } from '../calendar/calendar.module';
import { RegionsModule } from '../regions/regions.module';
import { ReminderService } from './reminder.service';

/**
 * 催报: the service behind `POST /api/submissions/remind`, and the alert scheduler's
 * `ScheduledReminders` (global, so the scheduler finds it without importing submissions/).
 */
@Global()
@Module({
  imports: [RegionsModule, CalendarModule],
  providers: [ReminderService, { provide: ScheduledReminders, useExisting: ReminderService }],
  exports: [ReminderService, ScheduledReminders],
})
export class RemindersModule {}
