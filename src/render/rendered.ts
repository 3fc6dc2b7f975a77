/** A renderer's output: what the HTTP layer sends with status 200 (and CORS). */
export interface Rendered {
  headers: Record<string, string>;
  body: string | ReadableStream<Uint8Array>;
}

/** The headers of every SSE answer: no caching, no proxy buffering. */
export function sseHeaders(headers: Record<string, string>): Record<string, string> {
  headers["content-type"] = "text/event-stream; charset=utf-8";
  headers["cache-control"] = "no-cache";
  headers["x-accel-buffering"] = "no";
  return headers;
}

export function jsonHeaders(headers: Record<string, string>): Record<string, string> {
  headers["content-type"] = "application/json";
  return headers;
}
