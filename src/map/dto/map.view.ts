import type { ProjectStatus } from '../../projects/status-groups';
import { DashboardRegion, Rates } from '../../reports/dto/dashboard.view';

/** A located project on the map: where it is, what it is, how it stands on the day. */
export class MapPoint {
  id: number;
  name: string;
  regionId: number;
  status: ProjectStatus;
  /** The highest severity among its alerts on the day (红/黄/蓝), null when it has none. */
  alertLevel: 'red' | 'yellow' | 'blue' | null;
  /** 学位: all stages added up. */
  seats: number;
  /** 资金测算 in 万元 (exact decimal string); null = 未测算. */
  budgetWan: string | null;
  /** 纬度 / 经度 (WGS84), six-place decimal strings. */
  lat: string;
  lng: string;
}

/**
 * A county's cell: its rates on the day computed by the same code as 首页's county ranking
 * (reports/report-rates.ts `rankCounties`), so each equals `GET /api/dashboard`'s county.
 */
export class MapCell extends Rates {
  regionId: number;
  name: string;
  /** Projects of the county in scope, cancelled ones included (`projects` counts those in the rates). */
  projectCount: number;
  /** Of which with a location (drawn as points). */
  located: number;
  /** Projects overdue on the day (as the ranking counts them). */
  overdue: number;
  /** 红色预警: the county's red alerts on the day (as 首页's 红色预警 counts alerts). */
  redAlerts: number;
}

/** The uploaded boundary of a region's child regions (地图边界), without its shapes. */
export class MapBoundaryInfo {
  regionId: number;
  regionName: string;
  /** 审图号 */
  approvalNo: string;
  /** 来源 */
  source: string;
  features: number;
  bytes: number;
  uploadedBy: string;
  uploadedAt: string;
}

/** The boundary with its shapes: the GeoJSON FeatureCollection as uploaded. */
export class MapBoundaryShapes extends MapBoundaryInfo {
  /** GeoJSON FeatureCollection (Polygon / MultiPolygon features named by `properties.name`). */
  geojson: object;
}

/** `GET /api/map`: the projects in scope with a location, and one cell per county, as of a day. */
export class MapView {
  asOf: string;
  region: DashboardRegion;
  /** One per county in scope, by name (拼音 order). */
  cells: MapCell[];
  points: MapPoint[];
  /** Projects in scope without a location (not drawn). */
  unlocated: number;
  /** The scope region's uploaded boundary (its 审图号 is printed under the map); null when none. */
  boundary: MapBoundaryInfo | null;
}
