import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { LessThan } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppError, fieldError, InvalidInput } from '../common/errors';
import { AllExceptionsFilter } from '../common/exception.filter';
import { Database } from '../database/database';
import { IdempotencyKey } from './idempotency-key.entity';

const IDEMPOTENCY_HEADER = 'idempotency-key';
const IDEMPOTENT = 'idempotency:enabled';

/** How long a key and its answer are kept. */
const KEY_TTL_MS = 24 * 3_600_000;
/** How long a repeat waits for the first arrival's answer before answering 409 (still running). */
const WAIT_MS = 30_000;
const POLL_MS = 20;

/**
 * Marks a creating POST: it honours an `Idempotency-Key` header (issue 30 point 3). Without the
 * header the route works as before.
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    // on these routes only: a global interceptor put every request (each list page, each
    // /api/health) through Nest's interceptor chain, two AsyncResource.bind calls and an rxjs pipe
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'One key per submission (1–100 visible ASCII characters, e.g. a UUID): a repeat within 24 h with the same body gets the first answer and writes nothing; another body → 422 IDEMPOTENCY_KEY_REUSED',
    }),
  );

/** 422: the key was used before with another request (another body or another route). */
class KeyReused extends AppError {
  constructor() {
    super(HttpStatus.UNPROCESSABLE_ENTITY, 'IDEMPOTENCY_KEY_REUSED', [
      fieldError('Idempotency-Key', 'IDEMPOTENCY_KEY_REUSED'),
    ]);
  }
}

/** 409: the first request with this key is still running after {@link WAIT_MS}. */
class KeyInFlight extends AppError {
  constructor() {
    super(HttpStatus.CONFLICT, 'IDEMPOTENCY_KEY_IN_FLIGHT');
  }
}

/** JSON with object keys sorted at every depth: two bodies that mean the same hash the same. */
function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? {})}`)
    .digest('hex');
}

type Answer = { statusCode: number; body: unknown };
type Reservation = { owner: true } | { owner: false; row: IdempotencyKey };

/**
 * The keys, in the database so that every instance sees them. A request reserves its key with an
 * insert that the unique (userId, key) index lets only one arrival win (on SQLite inside the
 * serialized write transaction, on PostgreSQL by the index itself: a second insert waits for the
 * first's commit and then does nothing). The winner runs the route and stores its answer; the
 * others poll the row until the answer is there and send it as theirs.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Reserves (userId, key) for this arrival, or returns the row another arrival holds. */
  async reserve(userId: number, key: string, hash: string): Promise<Reservation> {
    const owner = randomUUID();
    const now = this.clock.now();
    return this.db.transaction(async (em) => {
      // an expired key may be used again
      await em.delete(IdempotencyKey, { userId, key, expiresAt: LessThan(now.toISOString()) });
      await em
        .createQueryBuilder()
        .insert()
        .into(IdempotencyKey)
        .values({
          userId,
          key,
          requestHash: hash,
          owner,
          statusCode: null,
          responseBody: null,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + KEY_TTL_MS).toISOString(),
        })
        .orIgnore()
        .execute();
      const row = await em.findOneByOrFail(IdempotencyKey, { userId, key });
      return row.owner === owner ? { owner: true } : { owner: false, row };
    });
  }

  /** Stores the answer of the reservation's owner. */
  async complete(userId: number, key: string, answer: Answer): Promise<void> {
    await this.db.transaction((em) =>
      em.update(
        IdempotencyKey,
        { userId, key },
        {
          statusCode: answer.statusCode,
          responseBody: answer.body === undefined ? null : JSON.stringify(answer.body),
        },
      ),
    );
  }

  /** Gives the key up (the request failed on the server): a repeat runs the request again. */
  async release(userId: number, key: string): Promise<void> {
    await this.db.transaction((em) => em.delete(IdempotencyKey, { userId, key }));
  }

  /** The committed row, or null when it was released. */
  find(userId: number, key: string): Promise<IdempotencyKey | null> {
    return this.db.reader(IdempotencyKey).findOneBy({ userId, key });
  }

  /** Deletes the keys older than {@link KEY_TTL_MS}; returns how many. */
  async purgeExpired(): Promise<number> {
    const now = this.clock.now().toISOString();
    const result = await this.db.transaction((em) =>
      em.delete(IdempotencyKey, { expiresAt: LessThan(now) }),
    );
    return result.affected ?? 0;
  }

  /**
   * The answer for (userId, key, hash): `{ run: true }` when this arrival owns the key (it runs the
   * route), otherwise the owner's answer, waited for. Same key, another request → 422.
   */
  async answer(userId: number, key: string, hash: string): Promise<Answer | { run: true }> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const r = await this.reserve(userId, key, hash);
      if (r.owner) return { run: true };
      let row: IdempotencyKey | null = r.row;
      while (row && row.statusCode === null) {
        if (row.requestHash !== hash) throw new KeyReused();
        if (Date.now() > deadline) throw new KeyInFlight();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        row = await this.find(userId, key);
      }
      if (!row) continue; // released: this arrival tries to take it
      if (row.requestHash !== hash) throw new KeyReused();
      return {
        statusCode: row.statusCode as number,
        body: row.responseBody === null ? undefined : JSON.parse(row.responseBody),
      };
    }
  }
}

const KEY_SHAPE = /^[\x21-\x7e]{1,100}$/;

/**
 * The interceptor of every route marked {@link Idempotent}: a request with an `Idempotency-Key`
 * header runs once per (user, key); a repeat within 24 hours with the same method, path and body
 * gets the first answer (same status, same body) and writes nothing; the same key with another
 * request → 422 IDEMPOTENCY_KEY_REUSED. A repeat that arrives while the first still runs waits for
 * its answer (up to {@link WAIT_MS}, then 409 IDEMPOTENCY_KEY_IN_FLIGHT).
 *
 * Stored answers: every 2xx and every 4xx the route gives (as Stripe does — a refused request wrote
 * nothing, and a client that fixes its input sends a new key: the web makes one per submission).
 * A 5xx or a lost connection to the database releases the key, so the same request may be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  private readonly errors = new AllExceptionsFilter();

  constructor(
    private readonly reflector: Reflector,
    @Inject(IdempotencyService) private readonly keys: IdempotencyService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http' || !this.reflector.get<boolean>(IDEMPOTENT, ctx.getHandler()))
      return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined || !req.user || req.user.id === null) return next.handle();
    const key = Array.isArray(raw) ? raw.join(',') : raw;
    if (!KEY_SHAPE.test(key))
      return throwError(
        () =>
          new InvalidInput(
            [fieldError('Idempotency-Key', 'IDEMPOTENCY_KEY_INVALID')],
            'IDEMPOTENCY_KEY_INVALID',
          ),
      );
    const userId = req.user.id;
    const hash = requestHash(req.method, req.originalUrl, req.body);
    const success: number =
      this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ??
      (req.method === 'POST' ? 201 : 200);
    return from(this.keys.answer(userId, key, hash)).pipe(
      mergeMap((a) => {
        if ('run' in a) return this.runAndStore(next, userId, key, success);
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(a.statusCode);
        return of(a.body);
      }),
    );
  }

  private runAndStore(
    next: CallHandler,
    userId: number,
    key: string,
    success: number,
  ): Observable<unknown> {
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await this.keys.complete(userId, key, { statusCode: success, body });
        return body;
      }),
      catchError((e: unknown) =>
        from(this.settleError(userId, key, e)).pipe(mergeMap(() => throwError(() => e))),
      ),
    );
  }

  private async settleError(userId: number, key: string, e: unknown): Promise<void> {
    try {
      const { status, payload } = this.errors.toResponse(e);
      if (status >= 400 && status < 500)
        await this.keys.complete(userId, key, { statusCode: status, body: payload });
      else await this.keys.release(userId, key);
    } catch (err) {
      this.logger.error(`could not settle key: ${String(err)}`);
    }
  }
}
