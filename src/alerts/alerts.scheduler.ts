import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { dayjs } from '../common/dates';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AlertsService } from './alerts.service';
import { DeliveryWorker } from './delivery.worker';

/**
 * The daily scan at 08:00 business time. The cron ticks every five minutes; from 08:00 on, the
 * first instance to take the lease for today's date runs the scan, so several instances on one
 * database run it once, and an instance started after 08:00 still catches up that day. A read of
 * today's alerts before then runs the same day's scan first (`AlertsService.current`).
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
    try {
      if (await this.runDaily(this.clock.today())) await this.worker.runOnce();
    } catch (e) {
      this.logger.error(`daily scan failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Runs the scan for `day` if no instance has; true when this call ran it. */
  runDaily(day: string): Promise<boolean> {
    return this.alerts.runDaily(day);
  }
}
