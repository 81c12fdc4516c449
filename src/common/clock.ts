import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { calendarDayIn } from './dates';

/** "Today" and "now", injected so that tests can pin them (docs/domain.md: today is the Shanghai day). */
@Injectable()
export class Clock {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): Date {
    return new Date();
  }

  private lastDay = { minute: NaN, day: '' };

  /**
   * The business calendar day (TZ_BUSINESS, Asia/Shanghai by default). Kept for the minute it was
   * read in (every zone's day starts on a whole minute): it is asked on every list request.
   */
  today(): string {
    const now = this.now();
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.lastDay.minute)
      this.lastDay = { minute, day: calendarDayIn(this.config.businessTimeZone, now) };
    return this.lastDay.day;
  }
}
