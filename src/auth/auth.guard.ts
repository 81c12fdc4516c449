import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Actor, Role } from '../common/actor';
import { Forbidden, Unauthenticated } from '../common/errors';
import { IS_PUBLIC, ROLES } from '../common/auth.decorators';
import { AuthService } from './auth.service';
import { requestToken } from './web-session';

/**
 * Global guard: a valid bearer token (or the web client's session cookie) on every route but @Public
 * ones, then the route's @Roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();
    const token = requestToken(req);
    if (!token) throw new Unauthenticated();
    const actor = await this.auth.actorFromToken(token);
    req.user = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && actor.role !== 'admin' && !roles.includes(actor.role)) throw new Forbidden();
    return true;
  }
}
