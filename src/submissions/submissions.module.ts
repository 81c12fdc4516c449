import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { RegionsModule } from '../regions/regions.module';
import { RemindersModule } from './reminders.module';
import { SubmissionChecks } from './submission-checks';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

/** The monthly reporting cycle: 报送 → 审核 → 退回 / 通过, the frozen record, the lock, 催报. */
@Module({
  imports: [RegionsModule, RemindersModule, CalendarModule],
  controllers: [SubmissionsController],
  providers: [SubmissionsService, SubmissionChecks],
  exports: [SubmissionsService],
})
export class SubmissionsModule {}
