import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { ReminderService } from './reminder.service';
import { SubmissionChecks } from './submission-checks';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

/** The monthly reporting cycle: 报送 → 审核 → 退回 / 通过, the frozen record, the lock, 催报. */
@Module({
  imports: [RegionsModule],
  controllers: [SubmissionsController],
  providers: [SubmissionsService, SubmissionChecks, ReminderService],
  exports: [SubmissionsService],
})
export class SubmissionsModule {}
