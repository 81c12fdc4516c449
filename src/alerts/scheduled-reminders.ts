/**
 * The reporting cycle's automatic 催报 (src/submissions/reminder.service.ts), run on the alert
 * scheduler's tick: declared here so the scheduler needs nothing from submissions/. Idempotent per
 * region, month and kind; answers how many reminders it queued.
 */
export abstract class ScheduledReminders {
  abstract runDue(day: string): Promise<number>;
}
