/**
 * CORS for browser frontends (NextChat, LobeChat, … served from another origin). The
 * preflight is Hono's cors() (src/http/app.ts); every other answer gets these headers, on the
 * Hono app and on the Node server's direct path alike.
 */
export const EXPOSE_HEADERS = ["retry-after", "retry-after-ms", "x-request-id", "x-claude2api-upstream", "x-claude2api-context-trimmed", "x-claude2api-thinking", "x-claude2api-local"];
const EXPOSE_HEADERS_VALUE = EXPOSE_HEADERS.join(",");

export function addCorsHeaders(headers: Headers, origin: string): void {
  headers.set("Access-Control-Allow-Origin", origin);
  headers.set("Access-Control-Expose-Headers", EXPOSE_HEADERS_VALUE);
  headers.append("Vary", "Origin");
}

/** The same headers as a plain record; `origin` is the request's Origin, or "*". */
export function corsHeaders(origin: string): Record<string, string> {
  return { "access-control-allow-origin": origin, "access-control-expose-headers": EXPOSE_HEADERS_VALUE, vary: "Origin" };
}
