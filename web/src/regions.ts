import { ref } from 'vue';
import { get } from './api';

export type { Region } from './api-types';
import type { Region } from './api-types';

let loaded: Promise<Region[]> | null = null;
/** Whether the last read of the regions failed (none then: the region choice says so). */
export const regionsFailed = ref(false);
/** The regions as last read: [] until they are, or while they cannot be. */
export const regionList = ref<Region[]>([]);
/** The regions the user may see: one read per sign-in, shared by every screen. */
export function loadRegions(): Promise<Region[]> {
  return (loaded ??= get<Region[]>('/api/regions').then(
    (rs) => {
      regionsFailed.value = false;
      regionList.value = rs;
      return rs;
    },
    () => {
      loaded = null;
      regionsFailed.value = true;
      return [];
    },
  ));
}
/** Forget them (another user signs in). */
export function forgetRegions(): void {
  loaded = null;
  regionList.value = [];
}

const UNREAD = '（地区名称未能读取）';
/**
 * The region a screen asked for, in words (its printed header's 地区): the URL's `regionId`, else
 * the user's own (`ownId`; none: 全部地区), by its name; '' while the regions are being read. When
 * they cannot be read (the server failed), what the app still knows: the user's own region, or
 * another one they chose — never a bare —.
 */
export function askedRegionName(regionId: string, ownId: number | null | undefined): string {
  const id = regionId ? Number(regionId) : ownId;
  if (!id) return '全部地区';
  const name = regionList.value.find((r) => r.id === id)?.name;
  if (name) return name;
  if (!regionsFailed.value) return '';
  return `${id === ownId ? '本账号所属地区' : '所选地区'}${UNREAD}`;
}
/** A region's words fit to head a title: not those saying its name could not be read. */
export const titleRegion = (words: string): string => (words.endsWith(UNREAD) ? '' : words);
