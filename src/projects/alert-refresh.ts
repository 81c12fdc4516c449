import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';

/**
 * Brings the stored alerts of some projects up to date as of today, inside the transaction of the
 * write that changed their conditions (so a rollback leaves them untouched). Implemented by
 * alerts/ (`AlertsService.refresh`, the daily scan's own code restricted to those projects) and
 * provided globally by AlertsModule: declared here so that projects/ and the services built on it
 * call it without importing alerts/, which builds on projects/.
 */
export abstract class AlertRefresh {
  abstract refresh(em: EntityManager, actor: Actor, projectIds: readonly number[]): Promise<void>;
}
