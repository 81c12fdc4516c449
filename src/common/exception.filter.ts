import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppError, ErrorBody, fieldError, TooManyAttempts } from './errors';
import { message, MessageCode } from './messages';
import { BODY_SHAPE, ShapeProblem } from './body-shape';
import { bodyTooComplex } from './validation';

function isUniqueViolation(e: QueryFailedError): boolean {
  const driverError = (e as QueryFailedError & { driverError?: { code?: string } }).driverError;
  const code = driverError?.code ?? '';
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

function body(status: number, code: MessageCode, extra?: Partial<ErrorBody>): ErrorBody {
  return { statusCode: status, code, message: message(code), errors: [], ...extra };
}

/** A refused upload's remaining body is read for at most this long and this many bytes. */
const DRAIN_MS = 10_000;
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Sends an error once the request's body has arrived. A guard refuses an upload before anything
 * reads it; answering then and closing the socket while the client still writes makes the client
 * see a reset (EPIPE) instead of the 401/403. Bodies past DRAIN_MAX_BYTES or DRAIN_MS are not
 * waited for: the answer goes with `Connection: close`.
 */
function afterBody(req: Request, res: Response, send: () => void): void {
  if (req.complete || req.readableEnded) return send();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > DRAIN_MAX_BYTES) {
    res.setHeader('Connection', 'close');
    return send();
  }
  let sent = false;
  const once = () => {
    if (sent) return;
    sent = true;
    clearTimeout(timer);
    if (!req.complete) res.setHeader('Connection', 'close');
    send();
  };
  const timer = setTimeout(once, DRAIN_MS);
  timer.unref();
  req.once('end', once);
  req.once('close', once);
  req.once('error', once);
  req.resume();
}

/**
 * The one exception filter: every error leaves as `{ statusCode, code, message, errors[] }`.
 * Stack traces are logged, never sent.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, payload } = this.toResponse(exception);
    if (exception instanceof TooManyAttempts)
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (status >= 500)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    if (res.headersSent) return;
    afterBody(host.switchToHttp().getRequest<Request>(), res, () =>
      res.status(status).json(payload),
    );
  }

  toResponse(exception: unknown): { status: number; payload: ErrorBody } {
    if (exception instanceof AppError)
      return { status: exception.status, payload: exception.toBody() };
    // body-parser errors reach us before any route: malformed JSON, oversized bodies
    const parserType = (exception as { type?: string } | null)?.type;
    if (parserType === 'entity.parse.failed')
      return { status: 400, payload: body(400, 'MALFORMED_JSON') };
    if (parserType === 'entity.too.large')
      return { status: 413, payload: body(413, 'BODY_TOO_LARGE') };
    if (parserType === 'body.too.complex' || parserType === 'parameters.too.many') {
      const problem = (exception as { problem?: ShapeProblem }).problem ?? {
        kind: 'keys',
        limit: BODY_SHAPE.maxKeys,
      };
      const e = bodyTooComplex(problem);
      return { status: 400, payload: e.toBody() };
    }
    if (parserType === 'charset.unsupported')
      return { status: 415, payload: body(415, 'UNSUPPORTED_CHARSET') };
    if (parserType === 'encoding.unsupported')
      return { status: 400, payload: body(400, 'MALFORMED_BODY') };
    // any other client error of the body parser (aborted, size mismatch …) or express: its own 4xx
    const status4xx = (exception as { status?: unknown } | null)?.status;
    if (parserType && typeof status4xx === 'number' && status4xx >= 400 && status4xx < 500) {
      return { status: status4xx, payload: body(status4xx, 'BAD_REQUEST') };
    }
    if (
      exception instanceof QueryFailedError &&
      isUniqueViolation(exception as QueryFailedError<Error>)
    ) {
      return { status: 409, payload: body(409, 'DUPLICATE') };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest maps body-parser's SyntaxError to a plain BadRequestException before filters run
      const text = JSON.stringify(exception.getResponse());
      if (status === 400 && /JSON|Unexpected|position/i.test(text))
        return { status, payload: body(400, 'MALFORMED_JSON') };
      const code: MessageCode =
        status === HttpStatus.NOT_FOUND
          ? 'ROUTE_NOT_FOUND'
          : status === HttpStatus.PAYLOAD_TOO_LARGE
            ? 'BODY_TOO_LARGE'
            : status === HttpStatus.SERVICE_UNAVAILABLE
              ? 'SERVICE_UNAVAILABLE'
              : status < 500
                ? 'VALIDATION_FAILED'
                : 'INTERNAL_ERROR';
      const resp = exception.getResponse();
      const detail =
        typeof resp === 'object' && resp !== null ? (resp as { message?: unknown }).message : resp;
      const errors =
        status === 400 && typeof detail === 'string' ? [fieldError('', 'INVALID', detail)] : [];
      return { status, payload: body(status, code, { errors }) };
    }
    return { status: 500, payload: body(500, 'INTERNAL_ERROR') };
  }
}
