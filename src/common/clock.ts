import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { calendarDayIn } from './dates';

/** "Today" and "now", injected so that tests can pin them (SPEC §2: today is the Shanghai day). */
@Injectable()
export class Clock {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): Date {
    return new Date();
  }

  /** The business calendar day (TZ_BUSINESS, Asia/Shanghai by default). */
  today(): string {
    return calendarDayIn(this.config.businessTimeZone, this.now());
  }
}
