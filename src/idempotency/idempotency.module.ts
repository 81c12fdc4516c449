import { Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor, IdempotencyService } from './idempotency';

/** `Idempotency-Key` on creating POSTs (issue 30 point 3); expired keys purged hourly. */
@Module({
  providers: [IdempotencyService, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
  exports: [IdempotencyService],
})
export class IdempotencyModule implements OnApplicationBootstrap, OnModuleDestroy {
  private purger: NodeJS.Timeout | null = null;

  constructor(private readonly keys: IdempotencyService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.keys.purgeExpired();
    this.purger = setInterval(
      () => void this.keys.purgeExpired().catch(() => undefined),
      3_600_000,
    );
    this.purger.unref();
  }

  onModuleDestroy(): void {
    if (this.purger) clearInterval(this.purger);
  }
}
