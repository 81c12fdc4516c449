const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** Every list answers `{ items, total, page, pageSize }` (docs/api.md). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function pageWindow(
  page?: number,
  pageSize?: number,
): { page: number; pageSize: number; offset: number } {
  const p = page ?? 1;
  const size = Math.min(pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  return { page: p, pageSize: size, offset: (p - 1) * size };
}
