import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { dayjs } from '../common/dates';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AlertsService } from './alerts.service';
import { DeliveryWorker } from './delivery.worker';
import { ScheduledReminders } from './scheduled-reminders';

/**
 * The daily scan at 08:00 business time, and then on every tick the reporting cycle's automatic
 * 催报 of the day (once per region, month and kind: `ScheduledReminders`). The cron ticks every
 * five minutes; from 08:00 on, the first instance to take the lease for today's date runs the
 * scan, so several instances on one database run it once, and an instance started after 08:00
 * still catches up that day. A read of today's alerts before then runs the same day's scan first
 * (`AlertsService.current`).
 */
@Injectable()
export class AlertsScheduler {
  private readonly logger = new Logger('AlertsScheduler');
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly alerts: AlertsService,
    private readonly worker: DeliveryWorker,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly reminders?: ScheduledReminders,
  ) {}

  @Cron('*/5 * * * *', { name: 'daily_alert_scan' })
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run = this.scan().finally(() => {
      if (this.current === run) this.current = null;
    });
    this.current = run;
    return run;
  }

  /** Shutdown: no more ticks; resolves when a scan under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.current;
  }

  private async scan(): Promise<void> {
    if (!this.config.schedulerEnabled) return;
    const hour = dayjs(this.clock.now()).tz(this.config.businessTimeZone).hour();
    if (hour < 8) return;
    const today = this.clock.today();
    let send = false;
    try {
      send = await this.runDaily(today);
    } catch (e) {
      this.logger.error(`daily scan failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      if (((await this.reminders?.runDue(today)) ?? 0) > 0) send = true;
    } catch (e) {
      this.logger.error(
        `automatic reminders failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (send) await this.worker.runOnce().catch((e: unknown) => this.logger.error(String(e)));
  }

  /** Runs the scan for `day` if no instance has; true when this call ran it. */
  runDaily(day: string): Promise<boolean> {
    return this.alerts.runDaily(day);
  }
}
