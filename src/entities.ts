import {
  Alert,
  AlertDelivery,
  AlertDeliveryAttempt,
  JobLease,
  ScanRun,
} from './alerts/alert.entities';
import { NotificationChannel, SharedLink, SharedLinkDownload } from './alerts/channel.entities';
import { Attachment } from './attachments/attachment.entity';
import { AuditLog } from './audit/audit-log.entity';
import { IdempotencyKey } from './idempotency/idempotency-key.entity';
import { Job } from './jobs/job.entity';
import { AppSetting, AuthSession, User } from './auth/user.entity';
import { FundingLine, Payment, ReportedGap } from './funding/funding.entities';
import { BudgetRevision } from './projects/budget-revision.entity';
import { Milestone } from './milestones/milestone.entity';
import { PlanTarget, Plan } from './plans/plan.entity';
import { ProgressReport } from './projects/progress-report.entity';
import { Project } from './projects/project.entity';
import { Region } from './regions/region.entity';
import {
  Submission,
  SubmissionEvent,
  SubmissionFile,
  SubmissionTransition,
} from './submissions/submission.entities';
import { WorkCalendarOverride } from './calendar/work-calendar.entity';
import { SubmissionReminder } from './submissions/reminder.entity';
import { MapBoundary } from './map/map-boundary.entity';

export const ENTITIES = [
  Region,
  Plan,
  PlanTarget,
  Project,
  Milestone,
  ProgressReport,
  AuditLog,
  User,
  AppSetting,
  BudgetRevision,
  FundingLine,
  Payment,
  ReportedGap,
  Alert,
  AlertDelivery,
  AlertDeliveryAttempt,
  JobLease,
  ScanRun,
  Job,
  AuthSession,
  IdempotencyKey,
  Submission,
  SubmissionFile,
  SubmissionEvent,
  SubmissionTransition,
  WorkCalendarOverride,
  SubmissionReminder,
  MapBoundary,
  NotificationChannel,
  SharedLink,
  SharedLinkDownload,
  Attachment,
];
