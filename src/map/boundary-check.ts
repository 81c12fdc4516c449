/**
 * 地图边界 checks: an uploaded GeoJSON must be a FeatureCollection of Polygon / MultiPolygon
 * features, one per child region of the region it is for (matched by `properties.name`), every
 * position within China's extent, ≤ 10 MB, with its 审图号 and 来源. Pure: no database.
 */
import { CHINA_BOX } from '../common/geo';
import { fieldError, FieldError } from '../common/errors';

/** Largest boundary file accepted (bytes). */
export const BOUNDARY_MAX_BYTES = 10 * 1024 * 1024;
/** At most this many problems are named (a broken file would otherwise list thousands). */
const MAX_PROBLEMS = 50;

export interface BoundaryUpload {
  bytes: Buffer | null;
  approvalNo: string | undefined;
  source: string | undefined;
}

type Position = unknown;

function isPosition(p: Position): p is [number, number] {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    typeof p[0] === 'number' &&
    typeof p[1] === 'number' &&
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1])
  );
}

/** Whether a [lng, lat] lies in the box (degrees; the box is kept in millionths). */
function inBox([lng, lat]: [number, number]): boolean {
  return (
    lat * 1e6 >= CHINA_BOX.minLat &&
    lat * 1e6 <= CHINA_BOX.maxLat &&
    lng * 1e6 >= CHINA_BOX.minLng &&
    lng * 1e6 <= CHINA_BOX.maxLng
  );
}

/** A polygon's problems: rings of ≥ 4 positions, closed, in the box. */
function polygonProblem(rings: unknown): 'shape' | 'range' | null {
  if (!Array.isArray(rings) || rings.length === 0) return 'shape';
  for (const ring of rings) {
    if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition)) return 'shape';
    const [a, z] = [ring[0] as number[], ring[ring.length - 1] as number[]];
    if (a[0] !== z[0] || a[1] !== z[1]) return 'shape';
    if (!ring.every((p) => inBox(p as [number, number]))) return 'range';
  }
  return null;
}

/**
 * The problems of an upload for a region whose child regions are `children` (names), each a
 * FieldError naming the field (file, approvalNo, source) and, for a feature, which one.
 */
export function checkBoundary(
  up: BoundaryUpload,
  children: readonly string[],
): { errors: FieldError[]; features: number; geojson: string | null } {
  const errors: FieldError[] = [];
  if (!up.approvalNo?.trim()) errors.push(fieldError('approvalNo', 'BOUNDARY_APPROVAL_REQUIRED'));
  else if (up.approvalNo.trim().length > 100)
    errors.push(fieldError('approvalNo', 'STRING_TOO_LONG'));
  if (!up.source?.trim()) errors.push(fieldError('source', 'BOUNDARY_SOURCE_REQUIRED'));
  else if (up.source.trim().length > 200) errors.push(fieldError('source', 'STRING_TOO_LONG'));
  if (children.length === 0) errors.push(fieldError('regionId', 'BOUNDARY_NO_CHILDREN'));
  const done = (features = 0, geojson: string | null = null) => ({
    errors: errors.slice(0, MAX_PROBLEMS),
    features,
    geojson,
  });
  if (!up.bytes || up.bytes.length === 0) {
    errors.push(fieldError('file', 'BOUNDARY_FILE_REQUIRED'));
    return done();
  }
  if (up.bytes.length > BOUNDARY_MAX_BYTES) {
    errors.push(fieldError('file', 'BOUNDARY_TOO_LARGE'));
    return done();
  }
  let doc: unknown;
  try {
    doc = JSON.parse(up.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    errors.push(fieldError('file', 'BOUNDARY_NOT_JSON'));
    return done();
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (
    !fc ||
    typeof fc !== 'object' ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  ) {
    errors.push(fieldError('file', 'BOUNDARY_NOT_FEATURE_COLLECTION'));
    return done();
  }
  const wanted = new Set(children);
  const seen = new Map<string, number>();
  fc.features.forEach((f: unknown, i: number) => {
    const feature = f as {
      type?: unknown;
      properties?: { name?: unknown } | null;
      geometry?: { type?: unknown; coordinates?: unknown } | null;
    };
    const name =
      feature && typeof feature.properties?.name === 'string' ? feature.properties.name.trim() : '';
    const which = `第${i + 1}个要素${name ? `（${name}）` : ''}`;
    const path = `file.features[${i}]`;
    if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') {
      errors.push(fieldError(path, 'BOUNDARY_NOT_FEATURE', which));
      return;
    }
    if (!name) errors.push(fieldError(path, 'BOUNDARY_NAME_MISSING', which));
    else if (!wanted.has(name)) errors.push(fieldError(path, 'BOUNDARY_NAME_UNKNOWN', which));
    else if (seen.has(name)) errors.push(fieldError(path, 'BOUNDARY_NAME_DUPLICATE', which));
    else seen.set(name, i);
    const g = feature.geometry;
    const problem =
      g?.type === 'Polygon'
        ? polygonProblem(g.coordinates)
        : g?.type === 'MultiPolygon'
          ? Array.isArray(g.coordinates) && g.coordinates.length
            ? (g.coordinates.map(polygonProblem).find((p) => p) ?? null)
            : 'shape'
          : 'type';
    if (problem === 'type') errors.push(fieldError(path, 'BOUNDARY_NOT_POLYGON', which));
    else if (problem === 'shape') errors.push(fieldError(path, 'BOUNDARY_BAD_POLYGON', which));
    else if (problem === 'range') errors.push(fieldError(path, 'BOUNDARY_OUT_OF_RANGE', which));
  });
  for (const c of children)
    if (!seen.has(c) && errors.length < MAX_PROBLEMS)
      errors.push(fieldError('file', 'BOUNDARY_REGION_MISSING', c));
  return done(fc.features.length, JSON.stringify(doc));
}
