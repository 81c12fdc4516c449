import type { RegionLevel } from '../region.entity';

/** A region (province › city › county). */
export class RegionView {
  id: number;
  name: string;
  level: RegionLevel;
  parentId: number | null;
  code: string | null;
}
