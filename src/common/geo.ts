/**
 * Project locations (WGS84): kept as integer millionths of a degree, shown and taken as decimal
 * strings with six places ("23.456789"), so a coordinate is exact end to end (no float).
 * A location must lie within China's extent, the box CHINA_BOX (docs/domain.md).
 */

/** China's extent, generously: latitude 3.8–53.6 °N, longitude 73.5–135.1 °E (in millionths). */
export const CHINA_BOX = {
  minLat: 3_800_000,
  maxLat: 53_600_000,
  minLng: 73_500_000,
  maxLng: 135_100_000,
} as const;

export type Axis = 'lat' | 'lng';

const DECIMAL = /^(\d{1,3})(?:\.(\d{1,6}))?$/;

/** A decimal string (or a finite number written with ≤ 6 places) in millionths; null if not one. */
export function parseCoordinate(v: unknown): number | null {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string') return null;
  const m = DECIMAL.exec(s.trim());
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** Whether millionths lie within China's extent on that axis. */
export function inChina(axis: Axis, micro: number): boolean {
  return axis === 'lat'
    ? micro >= CHINA_BOX.minLat && micro <= CHINA_BOX.maxLat
    : micro >= CHINA_BOX.minLng && micro <= CHINA_BOX.maxLng;
}

/** Millionths as the six-place decimal string ("23.100000"). */
export function formatCoordinate(micro: number | null): string | null {
  if (micro === null) return null;
  const whole = Math.trunc(micro / 1_000_000);
  return `${whole}.${String(micro - whole * 1_000_000).padStart(6, '0')}`;
}

/** The box in words, for messages: 纬度 3.8–53.6、经度 73.5–135.1. */
export const CHINA_BOX_TEXT = '纬度3.8–53.6、经度73.5–135.1';
