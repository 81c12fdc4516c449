/**
 * What the phone screens (/m/, issue 35 point 5) share. docs/web.md "On a phone".
 */
import type { ProjectStatus } from '../../../src/projects/status-groups';

/**
 * 在办: the statuses a site visit still reports on — 谋划储备, 前期工作, 在建, 暂停. Not 已竣工 /
 * 已交付使用 / 取消: a finished or cancelled project has nothing left to photograph (its last step,
 * 已交付使用, is filed on the desktop). Archived projects are left out by the API itself.
 */
export const ACTIVE_STATUSES: readonly ProjectStatus[] = [
  'planned',
  'preparing',
  'under_construction',
  'suspended',
];

/** The list reads one page of this many (the API's cap); a county has fewer 在办 projects. */
export const PAGE_SIZE = 200;

/** A phone-sized screen (the desktop offers it the phone screens). */
export const isPhoneScreen = (): boolean =>
  typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 767px)').matches;
