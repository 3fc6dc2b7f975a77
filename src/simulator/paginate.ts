import { invalidRequest } from "./api-error";

export interface Page<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** The `limit` / `after_id` / `before_id` pagination of the models and (beta) files lists. */
export function paginate<T>(items: T[], idOf: (item: T) => string, query: URLSearchParams): Page<T> {
  const limitText = query.get("limit");
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit)) throw invalidRequest("limit: Input should be a valid integer");
  if (limit < 1) throw invalidRequest("limit: Input should be greater than or equal to 1");
  if (limit > 1000) throw invalidRequest("limit: Input should be less than or equal to 1000");
  const afterId = query.get("after_id");
  const beforeId = query.get("before_id");
  let page: T[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = Math.max(0, items.findIndex((i) => idOf(i) === beforeId));
    const start = Math.max(0, end - limit);
    page = items.slice(start, end);
    hasMore = start > 0;
  } else {
    const start = afterId === null ? 0 : items.findIndex((i) => idOf(i) === afterId) + 1;
    page = start === 0 && afterId !== null ? [] : items.slice(start, start + limit);
    hasMore = start + limit < items.length;
  }
  const first = page[0];
  const last = page[page.length - 1];
  return { data: page, first_id: first ? idOf(first) : null, last_id: last ? idOf(last) : null, has_more: hasMore };
}
