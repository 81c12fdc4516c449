import { HttpStatus } from '@nestjs/common';
import { ErrorBody, FieldError } from './error.view';
import { MessageCode, message } from './messages';

export { ErrorBody, FieldError };

export function fieldError(path: string, code: MessageCode, detail?: string): FieldError {
  return { path, code, message: detail ? `${message(code)}：${detail}` : message(code) };
}

/** An error the API answers with a given status, a stable code and a Chinese message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: MessageCode,
    readonly errors: FieldError[] = [],
    detail?: string,
  ) {
    super(detail ? `${message(code)}：${detail}` : message(code));
  }

  toBody(): ErrorBody {
    return { statusCode: this.status, code: this.code, message: this.message, errors: this.errors };
  }
}

/** 400 listing every bad field. */
export class InvalidInput extends AppError {
  constructor(errors: FieldError[], code: MessageCode = 'VALIDATION_FAILED', detail?: string) {
    super(HttpStatus.BAD_REQUEST, code, errors, detail);
  }
}

/** 400 for a rule of the domain (a status jump, a date order), naming the field concerned. */
export function ruleViolation(path: string, code: MessageCode, detail?: string): InvalidInput {
  return new InvalidInput([fieldError(path, code, detail)], code, detail);
}

/** 404: missing and out of scope look the same. */
export class NotFound extends AppError {
  constructor(what?: string) {
    super(HttpStatus.NOT_FOUND, 'NOT_FOUND', [], what);
  }
}

/** 409: the client's version is stale; nothing was changed. */
export class VersionConflict extends AppError {
  constructor(readonly currentVersion?: number) {
    super(HttpStatus.CONFLICT, 'VERSION_CONFLICT', [fieldError('version', 'VERSION_CONFLICT')]);
  }
}

/** 401: no valid token. */
export class Unauthenticated extends AppError {
  constructor(code: MessageCode = 'UNAUTHENTICATED') {
    super(HttpStatus.UNAUTHORIZED, code);
  }
}

/** 403: the role may not do this (inside the actor's scope; outside it is 404). */
export class Forbidden extends AppError {
  constructor(code: MessageCode = 'FORBIDDEN', detail?: string) {
    super(HttpStatus.FORBIDDEN, code, [], detail);
  }
}

/** 429: too many failed logins, or (LOGIN_BUSY) too many sign-ins waiting for a password check. */
export class TooManyAttempts extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    code: 'TOO_MANY_ATTEMPTS' | 'LOGIN_BUSY' = 'TOO_MANY_ATTEMPTS',
  ) {
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      code,
      [],
      code === 'TOO_MANY_ATTEMPTS'
        ? `请${Math.max(1, Math.ceil(retryAfterSeconds / 60))}分钟后再试，或请管理员重置密码`
        : undefined,
    );
  }
}
