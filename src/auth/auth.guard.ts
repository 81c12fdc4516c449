import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Actor } from '../common/actor';
import { Forbidden, Unauthenticated } from '../common/errors';
import { CAN, IS_PUBLIC } from '../common/auth.decorators';
import { Action } from '../common/permissions';
import { Permissions } from '../common/permissions.service';
import { AuthService } from './auth.service';
import { requestToken } from './web-session';

/**
 * Global guard: a valid bearer token (or the web client's session cookie) on every route but @Public
 * ones, then the route's @Can (the permission table).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly permissions: Permissions,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: Actor }>();
    const token = requestToken(req);
    if (!token) throw new Unauthenticated();
    const actor = await this.auth.actorFromToken(token);
    req.user = actor;
    const actions = this.reflector.getAllAndOverride<Action[] | undefined>(CAN, targets);
    if (actions && !actions.some((a) => this.permissions.can(actor, a))) throw new Forbidden();
    return true;
  }
}
