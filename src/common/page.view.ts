/**
 * The paging fields of every list answer `{ items, total, page, pageSize }`: each list declares a
 * class extending this with its `items`, so the OpenAPI document names the item type.
 */
export abstract class PageView {
  /** Items matching the filters, over all pages. */
  total: number;
  /** 1-based page number. */
  page: number;
  pageSize: number;
}
