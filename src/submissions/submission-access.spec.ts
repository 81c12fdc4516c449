import { Actor, Role } from '../common/actor';
import { PERMISSIONS } from '../common/permissions';
import { Permissions } from '../common/permissions.service';
import { Region } from '../regions/region.entity';
import { mayReopen, mayReview, maySubmit } from './submission-access';

const region = (id: number, parentId: number | null, path: string): Region => ({
  id,
  name: `r${id}`,
  level: parentId === null ? 'province' : path.split('/').length === 4 ? 'city' : 'county',
  parentId,
  path,
  code: null,
});
const province = region(1, null, '/1/');
const city = region(2, 1, '/1/2/');
const county = region(3, 2, '/1/2/3/');
const sibling = region(4, 2, '/1/2/4/');
const otherCity = region(5, 1, '/1/5/');
const byId = new Map([province, city, county, sibling, otherCity].map((r) => [r.id, r]));
const perm = new Permissions(PERMISSIONS);
const actor = (role: Role, regionId: number | null): Actor => ({
  id: 1,
  username: 'u',
  role,
  regionId,
});
const own = (a: Actor) => (a.regionId === null ? null : byId.get(a.regionId)!);

describe('who may submit, review and reopen a region’s month', () => {
  it('lets the region’s own officers and admin submit, nobody else, and never the top region', () => {
    for (const role of ['infrastructure', 'finance', 'admin'] as const) {
      expect(maySubmit(perm, actor(role, county.id), county)).toBe(true);
      expect(maySubmit(perm, actor(role, city.id), county)).toBe(false);
      expect(maySubmit(perm, actor(role, sibling.id), county)).toBe(false);
    }
    expect(maySubmit(perm, actor('viewer', county.id), county)).toBe(false);
    expect(maySubmit(perm, actor('admin', null), county)).toBe(false);
    expect(maySubmit(perm, actor('infrastructure', province.id), province)).toBe(false);
  });

  it('lets the parent’s officers or an admin over it review; never one’s own region', () => {
    const review = (a: Actor, r: Region) => mayReview(perm, a, own(a), r);
    expect(review(actor('infrastructure', city.id), county)).toBe(true);
    expect(review(actor('finance', city.id), county)).toBe(true);
    expect(review(actor('viewer', city.id), county)).toBe(false);
    expect(review(actor('infrastructure', county.id), county)).toBe(false);
    expect(review(actor('admin', county.id), county)).toBe(false);
    expect(review(actor('infrastructure', province.id), county)).toBe(false); // not the parent
    expect(review(actor('admin', province.id), county)).toBe(true); // an admin over it
    expect(review(actor('admin', null), county)).toBe(true);
    expect(review(actor('infrastructure', otherCity.id), county)).toBe(false);
    expect(review(actor('admin', otherCity.id), county)).toBe(false);
    expect(review(actor('infrastructure', province.id), city)).toBe(true);
    expect(review(actor('admin', null), province)).toBe(false); // the top region submits nothing
  });

  it('lets the approving level or one above it reopen', () => {
    const reopen = (a: Actor, approvedBy: Region | null) =>
      mayReopen(perm, a, own(a), county, approvedBy);
    expect(reopen(actor('infrastructure', city.id), city)).toBe(true);
    expect(reopen(actor('finance', province.id), city)).toBe(true);
    expect(reopen(actor('infrastructure', province.id), province)).toBe(true);
    expect(reopen(actor('infrastructure', city.id), province)).toBe(false); // below the approver
    expect(reopen(actor('infrastructure', county.id), city)).toBe(false);
    expect(reopen(actor('viewer', province.id), city)).toBe(false);
    expect(reopen(actor('infrastructure', otherCity.id), city)).toBe(false);
    expect(reopen(actor('admin', null), null)).toBe(true);
  });
});
