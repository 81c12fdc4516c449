import { ROLE_LABELS as VOCAB_ROLES } from './vocabulary';
import { registerLabels } from './labels';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Forbidden, Unauthenticated } from './errors';
import { MessageCode } from './messages';

export const ROLES = ['admin', 'finance', 'infrastructure', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = registerLabels(VOCAB_ROLES);

/** Who is acting. Services take it first; nothing reads request globals. */
export interface Actor {
  id: number | null;
  username: string;
  role: Role;
  /** The region the actor is scoped to (with everything below it); null = everything. */
  regionId: number | null;
  /** The sign-in this request belongs to (absent for system work). */
  sessionId?: string;
}

/** The actor for seeds, migrations and scheduled work. */
export const SYSTEM_ACTOR: Actor = { id: null, username: 'system', role: 'admin', regionId: null };

/** The authenticated actor of the request, set by the auth guard; never a fallback. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  if (!req.user) throw new Unauthenticated();
  return req.user;
});

/** Throws 403 unless the actor has one of the roles (admin always may). */
export function requireRole(
  actor: Actor,
  roles: readonly Role[],
  code: MessageCode = 'FORBIDDEN',
): void {
  if (actor.role !== 'admin' && !roles.includes(actor.role)) throw new Forbidden(code);
}
