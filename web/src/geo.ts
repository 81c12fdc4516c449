/**
 * Locations in the web (项目详情 → 基本信息): the six-place strings the server takes
 * (src/common/geo.ts), from a click on the map (degrees) or from a photo's GPS (seven places).
 */
import { CHINA_BOX, formatCoordinate } from '../../src/common/geo';

/** Degrees (where the map was clicked) as the six-place string: 114.7012345… → "114.701235". */
export const degreesText = (v: number): string => formatCoordinate(Math.round(v * 1_000_000))!;

/** A photo's decimal string (seven places) to six, half up, exactly: "24.1015555" → "24.101556". */
export function sixPlaces(text: string): string | null {
  const m = /^(\d{1,3})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const digits = (m[2] ?? '').padEnd(7, '0');
  const micro =
    Number(m[1]) * 1_000_000 + Number(digits.slice(0, 6)) + (Number(digits[6]) >= 5 ? 1 : 0);
  return formatCoordinate(micro);
}

/** Whether degrees lie within China's extent (the box the server checks). */
export const inChina = (lng: number, lat: number): boolean =>
  lng * 1e6 >= CHINA_BOX.minLng &&
  lng * 1e6 <= CHINA_BOX.maxLng &&
  lat * 1e6 >= CHINA_BOX.minLat &&
  lat * 1e6 <= CHINA_BOX.maxLat;

/** China's extent in degrees: the frame of a county with nothing located yet. */
export const CHINA_FRAME = {
  xmin: CHINA_BOX.minLng / 1e6,
  xmax: CHINA_BOX.maxLng / 1e6,
  ymin: CHINA_BOX.minLat / 1e6,
  ymax: CHINA_BOX.maxLat / 1e6,
};
