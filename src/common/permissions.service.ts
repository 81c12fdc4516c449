import { Inject, Injectable } from '@nestjs/common';
import { Actor } from './actor';
import { Forbidden } from './errors';
import { Action, allowedActions, can, PERMISSIONS, PermissionTable } from './permissions';

/** The permission table the app runs on (PERMISSIONS; a test may provide a modified copy). */
export const PERMISSION_TABLE = Symbol('PERMISSION_TABLE');

/** The one permission table, asked by the guard (`@Can`), the services and the import. */
@Injectable()
export class Permissions {
  constructor(@Inject(PERMISSION_TABLE) readonly table: PermissionTable = PERMISSIONS) {}

  can(actor: Pick<Actor, 'role'>, action: Action): boolean {
    return can(this.table, actor.role, action);
  }

  /** Throws 403 with the rule's message code unless the actor may take the action. */
  require(actor: Pick<Actor, 'role'>, action: Action): void {
    if (!this.can(actor, action)) throw new Forbidden(this.table[action].code);
  }

  /** The actor's allowed actions (`GET /api/auth/me`'s `can`). */
  allowed(actor: Pick<Actor, 'role'>): Action[] {
    return allowedActions(this.table, actor.role);
  }
}
