import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { AlertDelivery, AlertDeliveryAttempt } from './alert.entities';

/**
 * Sends the outbox: claims due messages, posts each with a timeout outside any transaction,
 * logs every attempt, retries with exponential backoff, and gives up after the last attempt.
 * A claimed row is locked for a while, so several instances never send the same message.
 */
@Injectable()
export class DeliveryWorker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AlertDelivery');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const every = this.config.alerts.deliveryIntervalMs;
    if (every > 0 && this.config.alertWebhooks.length) {
      this.timer = setInterval(
        () => void this.runOnce().catch((e: unknown) => this.logger.error(String(e))),
        every,
      );
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Shutdown: no more passes; resolves when a pass under way has recorded its attempts. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass over the due messages; returns how many were attempted. Overlapping calls share one pass. */
  runOnce(): Promise<number> {
    if (!this.running) this.running = this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const due = await this.db.write
      .getRepository(AlertDelivery)
      .createQueryBuilder('d')
      .where(
        "(d.status = 'pending' AND d.nextAttemptAt <= :now) OR (d.status = 'sending' AND d.lockedUntil < :now)",
        { now: nowIso },
      )
      .orderBy('d.id')
      .limit(50)
      .getMany();
    let attempted = 0;
    await Promise.all(
      due.map(async (d) => {
        if (!(await this.claim(d, nowIso))) return;
        attempted++;
        await this.send(d);
      }),
    );
    return attempted;
  }

  private async claim(d: AlertDelivery, nowIso: string): Promise<boolean> {
    const lockedUntil = new Date(
      Date.parse(nowIso) + this.config.alerts.timeoutMs * 3 + 1000,
    ).toISOString();
    return this.db.transaction(async (em) => {
      const r = await em
        .createQueryBuilder()
        .update(AlertDelivery)
        .set({ status: 'sending', lockedUntil })
        .where(
          "id = :id AND ((status = 'pending' AND next_attempt_at <= :now) OR (status = 'sending' AND locked_until < :now))",
          { id: d.id, now: nowIso },
        )
        .execute();
      return r.affected === 1;
    });
  }

  private async send(d: AlertDelivery): Promise<void> {
    const started = Date.now();
    let ok = false;
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: d.payload,
        signal: AbortSignal.timeout(this.config.alerts.timeoutMs),
      });
      httpStatus = res.status;
      const text = await res.text().catch(() => '');
      ok = res.ok;
      if (ok && d.format !== 'generic') {
        // WeCom and DingTalk answer 200 with {"errcode": …}; anything but 0 is a failure
        const code = (() => {
          try {
            return (JSON.parse(text) as { errcode?: number }).errcode ?? 0;
          } catch {
            return 0;
          }
        })();
        if (code !== 0) {
          ok = false;
          error = `errcode ${code}: ${text.slice(0, 200)}`;
        }
      }
      if (!res.ok) error = `HTTP ${res.status}: ${text.slice(0, 200)}`;
    } catch (e) {
      // AbortSignal.timeout rejects with a DOMException named TimeoutError (not always an Error)
      const name = (e as { name?: string } | null)?.name;
      error =
        name === 'TimeoutError'
          ? `timeout after ${this.config.alerts.timeoutMs} ms`
          : e instanceof Error
            ? e.message
            : String(e);
    }
    const at = this.clock.now();
    const attempts = d.attempts + 1;
    const retryIn = this.config.alerts.retryBaseMs * 2 ** (attempts - 1);
    await this.db.transaction(async (em) => {
      await em.insert(AlertDeliveryAttempt, {
        deliveryId: d.id,
        at: at.toISOString(),
        ok,
        httpStatus,
        error,
        durationMs: Date.now() - started,
      });
      await em.update(
        AlertDelivery,
        d.id,
        ok
          ? {
              status: 'sent',
              attempts,
              sentAt: at.toISOString(),
              lockedUntil: null,
              lastError: null,
            }
          : attempts >= this.config.alerts.maxAttempts
            ? { status: 'dead', attempts, lockedUntil: null, lastError: error }
            : {
                status: 'pending',
                attempts,
                lockedUntil: null,
                lastError: error,
                nextAttemptAt: new Date(at.getTime() + retryIn).toISOString(),
              },
      );
    });
    if (!ok)
      this.logger.warn(
        `delivery ${d.id} to ${new URL(d.target).host} failed (attempt ${attempts}): ${error}`,
      );
  }
}
