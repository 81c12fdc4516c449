import { ref } from 'vue';
import { get } from './api';

export type { Region } from './api-types';
import type { Region } from './api-types';

let loaded: Promise<Region[]> | null = null;
/** Whether the last read of the regions failed (none then: the region choice says so). */
export const regionsFailed = ref(false);
/** The regions the user may see: one read per sign-in, shared by every screen. */
export function loadRegions(): Promise<Region[]> {
  return (loaded ??= get<Region[]>('/api/regions').then(
    (rs) => {
      regionsFailed.value = false;
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
export const forgetRegions = () => (loaded = null);
