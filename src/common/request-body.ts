import type { NextFunction, Request, Response } from 'express';
import { AppError } from './errors';

/** The charset parameter of a Content-Type, lower-cased; null when there is none. */
function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]).trim().toLowerCase() : null;
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * Before the body parsers: a body in any charset but UTF-8 is refused with 415 (body-parser itself
 * takes utf-16 and utf-32 for JSON, which then failed as malformed JSON, and latin-1 for forms).
 */
export function utf8Only(req: Request, _res: Response, next: NextFunction): void {
  const charset = hasBody(req) ? charsetOf(req.headers['content-type']) : null;
  if (charset !== null && charset !== 'utf-8')
    return next(
      Object.assign(new Error(`unsupported charset "${charset}"`), {
        status: 415,
        statusCode: 415,
        type: 'charset.unsupported',
        charset,
      }),
    );
  next();
}

/** Errors of the body reader that are its own (sizes, aborts, parse failures), not the decoder's. */
const READER_ERRORS = new Set([
  'entity.parse.failed',
  'entity.too.large',
  'entity.verify.failed',
  'body.too.complex',
  'parameters.too.many',
  'charset.unsupported',
  'request.aborted',
  'request.size.invalid',
]);

/**
 * After the body parsers: a compressed body that does not decompress (zlib's data errors carry no
 * body-parser type) or an encoding it cannot decode (`encoding.unsupported`) is the client's
 * mistake: 400 MALFORMED_BODY rather than the 500 it fell through to.
 */
export function malformedEncoding(
  err: unknown,
  req: Request,
  _res: Response,
  next: NextFunction,
): void {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const type = (err as { type?: unknown } | null)?.type;
  const decoderFault =
    type === 'encoding.unsupported' ||
    (encoding !== 'identity' && (typeof type !== 'string' || !READER_ERRORS.has(type)));
  next(decoderFault ? new AppError(400, 'MALFORMED_BODY') : err);
}
