import { Logger, type INestApplication, type PipeTransform } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { AuthService } from '../auth/auth.service';
import type { Actor } from '../common/actor';
import { Permissions } from '../common/permissions.service';
import { ListProjectsQuery } from './dto/list-projects.dto';
import { ProjectsController } from './projects.controller';

/**
 * GET /api/projects — the list every screen and client pages through — handed to its route's own
 * parts ahead of Express's router and Nest's route plumbing: the app's AuthGuard (session and the
 * route's @Can from the permission table), the app's validation pipe with the route's query DTO,
 * then `ProjectsController.list` itself. About a seventh more list requests a second on SQLite under
 * the bench's busy load (docs/performance.md). Whatever it does not answer — a request with a body,
 * no or a refused token or permission, an invalid query, an error — goes on to the route, which
 * answers it as always. Installed after the security headers and `apiNoStore` (configureApp), and
 * only while the route has no guard, interceptor, pipe or filter of its own (it would skip them):
 * adding one turns it off, with a warning. LIST_FAST_PATH=false turns it off
 * (`list-fast-path.e2e-spec` compares the two answers).
 */
export function listFastPath(app: INestApplication, pipe: PipeTransform): RequestHandler | null {
  let controller: ProjectsController;
  let guard: AuthGuard;
  try {
    controller = app.get(ProjectsController, { strict: false });
    guard = new AuthGuard(
      app.get(Reflector),
      app.get(AuthService, { strict: false }),
      app.get(Permissions, { strict: false }),
    );
  } catch {
    return null; // an app without the projects module (some tests)
  }
  // eslint-disable-next-line @typescript-eslint/unbound-method -- a metadata key, never called
  const handler = ProjectsController.prototype.list;
  const own = [
    GUARDS_METADATA,
    INTERCEPTORS_METADATA,
    PIPES_METADATA,
    EXCEPTION_FILTERS_METADATA,
  ].filter(
    (key) => Reflect.getMetadata(key, handler) || Reflect.getMetadata(key, ProjectsController),
  );
  if (own.length) {
    new Logger('ListFastPath').warn(`off: GET /api/projects has its own ${own.join(', ')}`);
    return null;
  }
  const meta = { type: 'query' as const, metatype: ListProjectsQuery, data: undefined };
  const answer = async (req: Request & { user?: Actor }, res: Response): Promise<void> => {
    const ctx = new ExecutionContextHost([req, res], ProjectsController, handler);
    ctx.setType('http');
    await guard.canActivate(ctx); // throws when refused: the route answers it
    const query = (await pipe.transform(req.query, meta)) as ListProjectsQuery;
    await controller.list(req.user!, query, res);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (
      req.method !== 'GET' ||
      req.path !== '/api/projects' ||
      req.headers['content-length'] !== undefined ||
      req.headers['transfer-encoding'] !== undefined
    )
      return next();
    answer(req, res).then(
      () => (res.headersSent ? undefined : next()),
      () => (res.headersSent ? undefined : next()),
    );
  };
}
