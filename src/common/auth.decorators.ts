import { SetMetadata } from '@nestjs/common';
import { Role } from './actor';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** No token needed (health, login). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Roles that may call the route besides admin; without it every signed-in role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
