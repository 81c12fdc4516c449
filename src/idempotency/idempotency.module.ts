import { Global, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { IdempotencyService } from './idempotency';

/**
 * `Idempotency-Key` on creating POSTs (issue 30 point 3); expired keys purged hourly. Global: the
 * interceptor that `@Idempotent()` puts on a route is built in the route's own module and needs the
 * service there.
 */
@Global()
@Module({
  providers: [IdempotencyService],
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
