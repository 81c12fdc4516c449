import type { NextFunction, Request, Response } from 'express';
import { TooManyAttempts } from '../common/errors';
import { passwordHashing } from './hash-pool';

/**
 * Sign-ins being worked on, from arrival to answer (throttle delay, password check in the hashing
 * pool). Past `limit` the next ones are refused at the door — 429 LOGIN_BUSY before the body is
 * parsed or anything else runs — so a burst of thousands costs little more than reading the
 * requests, and everyone else's requests keep answering.
 */
const signInLine = { inFlight: 0, limit: 32 };

let busyBody: string | null = null;

/** Express middleware in front of POST /api/auth/login (configureApp). */
export function loginGate(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || req.path.replace(/\/+$/, '').toLowerCase() !== '/api/auth/login')
    return next();
  if (signInLine.inFlight >= signInLine.limit || passwordHashing.full) {
    // written directly: at thousands a second every microsecond here is taken from other users
    busyBody ??= JSON.stringify(new TooManyAttempts(2, 'LOGIN_BUSY').toBody());
    res.writeHead(429, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(busyBody),
      'Retry-After': '2',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(busyBody);
    return;
  }
  signInLine.inFlight++;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    signInLine.inFlight--;
  };
  res.once('finish', leave);
  res.once('close', leave);
  next();
}
