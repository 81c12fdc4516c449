import { get } from './api';

export type { Region } from './api-types';
import type { Region } from './api-types';

let loaded: Promise<Region[]> | null = null;
/** The regions the user may see: one read per sign-in, shared by every screen. */
export function loadRegions(): Promise<Region[]> {
  return (loaded ??= get<Region[]>('/api/regions').catch(() => {
    loaded = null;
    return [];
  }));
}
/** Forget them (another user signs in). */
export const forgetRegions = () => (loaded = null);
