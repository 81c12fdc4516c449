import { Actor } from '../common/actor';
import { Permissions } from '../common/permissions.service';
import { Region } from '../regions/region.entity';

/**
 * Who may do what to a region's month (docs/domain.md "The monthly reporting cycle"), on top of the
 * permission table's actions: a region's officers (or its admin) submit and withdraw its own month;
 * the parent region's officers (or an admin over it) approve and return; reopening takes the
 * approving level or above; nobody reviews their own region. Reading follows the region scope.
 */

/** Whether `r` is `above` or below it (paths are `/1/2/5/`). */
const within = (r: Pick<Region, 'path'>, above: Pick<Region, 'path'>) =>
  r.path.startsWith(above.path);

/** The actor's own region (null: the whole country, or a region that no longer exists). */
export type ActorRegion = Pick<Region, 'id' | 'path'> | null;

export function maySubmit(perm: Permissions, actor: Actor, region: Region): boolean {
  return (
    perm.can(actor, 'submission.submit') && region.parentId !== null && actor.regionId === region.id
  );
}

/** Approve or return: the parent's officers, or an admin whose scope is above the region. */
export function mayReview(
  perm: Permissions,
  actor: Actor,
  own: ActorRegion,
  region: Region,
): boolean {
  if (!perm.can(actor, 'submission.review') || region.parentId === null) return false;
  if (actor.regionId === region.id) return false;
  if (actor.regionId === region.parentId) return true;
  return actor.role === 'admin' && (actor.regionId === null || (!!own && within(region, own)));
}

/** Reopen an approved month: officers of the approving region or one above it (or an admin over it). */
export function mayReopen(
  perm: Permissions,
  actor: Actor,
  own: ActorRegion,
  region: Region,
  approvedBy: ActorRegion,
): boolean {
  if (!perm.can(actor, 'submission.review') || actor.regionId === region.id) return false;
  if (actor.regionId === null) return actor.role === 'admin';
  if (!own || !within(region, own)) return false;
  return !approvedBy || within(approvedBy, own);
}
