import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { dayjs } from '../common/dates';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { JobLease } from './alert.entities';
import { AlertsService, INSTANCE_ID } from './alerts.service';
import { DeliveryWorker } from './delivery.worker';

const JOB = 'daily_alert_scan';
const LEASE_MS = 10 * 60_000;

/**
 * The daily scan at 08:00 business time. The cron ticks every five minutes; from 08:00 on, the
 * first instance to take the lease for today's date runs the scan, so several instances on one
 * database run it once, and an instance started after 08:00 still catches up that day.
 */
@Injectable()
export class AlertsScheduler {
  private readonly logger = new Logger('AlertsScheduler');

  constructor(
    private readonly db: Database,
    private readonly alerts: AlertsService,
    private readonly worker: DeliveryWorker,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron('*/5 * * * *', { name: JOB })
  async tick(): Promise<void> {
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
  async runDaily(day: string): Promise<boolean> {
    const now = this.clock.now();
    const claimed = await this.db.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(JobLease)
        .values({ name: JOB, holder: null, leasedUntil: null, lastRunOn: null })
        .orIgnore()
        .execute();
      const r = await em
        .createQueryBuilder()
        .update(JobLease)
        .set({ holder: INSTANCE_ID, leasedUntil: new Date(now.getTime() + LEASE_MS).toISOString() })
        .where(
          'name = :name AND (last_run_on IS NULL OR last_run_on < :day) AND (leased_until IS NULL OR leased_until < :now)',
          { name: JOB, day, now: now.toISOString() },
        )
        .execute();
      return r.affected === 1;
    });
    if (!claimed) return false;
    try {
      await this.alerts.scanAll(day, 'schedule');
      await this.db.transaction((em) =>
        em
          .createQueryBuilder()
          .update(JobLease)
          .set({ lastRunOn: day, leasedUntil: null })
          .where('name = :name AND holder = :holder', { name: JOB, holder: INSTANCE_ID })
          .execute(),
      );
      return true;
    } catch (e) {
      // let another tick (here or elsewhere) retry today
      await this.db.transaction((em) =>
        em
          .createQueryBuilder()
          .update(JobLease)
          .set({ leasedUntil: null })
          .where('name = :name AND holder = :holder', { name: JOB, holder: INSTANCE_ID })
          .execute(),
      );
      throw e;
    }
  }
}
