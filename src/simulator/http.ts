import { ApiError, shouldRetry } from "./api-error";
import { newRequestId } from "./ids";

export const ORGANIZATION_ID = "5b1c0c8e-5f0a-4c8e-9d1e-0000c1a0de00";
const REQUESTS_PER_MINUTE = 4000;
const TOKENS_PER_MINUTE = 2_000_000;

/** Headers every real Anthropic answer carries, whatever its status. */
export function baseHeaders(requestNumber: number, now = Date.now()): Headers {
  const reset = new Date(Math.ceil(now / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const h = new Headers({ "request-id": newRequestId(), "anthropic-organization-id": ORGANIZATION_ID });
  h.set("anthropic-ratelimit-requests-limit", String(REQUESTS_PER_MINUTE));
  h.set("anthropic-ratelimit-requests-remaining", String(Math.max(0, REQUESTS_PER_MINUTE - (requestNumber % REQUESTS_PER_MINUTE) - 1)));
  h.set("anthropic-ratelimit-requests-reset", reset);
  // Token limits: -remaining is rounded to the nearest thousand in the real API, so a constant is honest enough.
  for (const kind of ["tokens", "input-tokens", "output-tokens"]) {
    const limit = kind === "output-tokens" ? TOKENS_PER_MINUTE / 5 : TOKENS_PER_MINUTE;
    h.set(`anthropic-ratelimit-${kind}-limit`, String(limit));
    h.set(`anthropic-ratelimit-${kind}-remaining`, String(limit));
    h.set(`anthropic-ratelimit-${kind}-reset`, reset);
  }
  return h;
}

export function jsonResponse(body: unknown, headers: Headers, status = 200): Response {
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status, headers });
}

export function errorResponse(err: ApiError, headers: Headers): Response {
  headers.set("x-should-retry", String(shouldRetry(err.status)));
  for (const [k, v] of Object.entries(err.headers)) headers.set(k, v);
  const body = {
    type: "error",
    error: { type: err.type, message: err.message },
    request_id: headers.get("request-id"),
  };
  return jsonResponse(body, headers, err.status);
}
