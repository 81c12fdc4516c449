import { ROLE_LABELS as VOCAB_ROLES } from './vocabulary';
import { registerLabels } from './labels';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Unauthenticated } from './errors';
import { Role, ROLES } from './permissions';

export { ROLES };
export type { Role };
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
