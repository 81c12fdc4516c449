import { SetMetadata } from '@nestjs/common';
import { Action } from './permissions';

export const IS_PUBLIC = 'auth:public';
export const CAN = 'auth:can';

/** No token needed (health, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The actions of the permission table (src/common/permissions.ts) that let a role call the route: the
 * caller needs one of them (a route whose service then decides field by field, as PATCH
 * /api/projects/:id, lists each). Without it every signed-in role may.
 */
export const Can = (...actions: Action[]) => SetMetadata(CAN, actions);
