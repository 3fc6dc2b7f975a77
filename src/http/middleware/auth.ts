import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../app-env";
import { GatewayError } from "../../errors";
import { errorResponse } from "../../openai/errors";
import { clientAnthropicKey } from "../../pool/passthrough";
import type { Config } from "../../config";
import { matchesAnyKey, type HeaderLookup } from "../../secret-compare";

export { matchesAnyKey, type HeaderLookup };

/** The client's key: `Authorization: Bearer <key>`, `x-api-key` or `api-key` (Cherry, Continue). */
export function presentedKey(headers: HeaderLookup): string | undefined {
  const auth = headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1].trim();
  }
  return headers.get("x-api-key")?.trim() || headers.get("api-key")?.trim() || undefined;
}

const unauthorized = (message: string) => ({
  ok: false as const,
  error: new GatewayError(401, message, "authentication_error", null, "invalid_api_key"),
  headers: { "www-authenticate": 'Bearer realm="claude2api"' },
});

export type ClientAuthResult = { ok: true; passthroughKey?: string } | { ok: false; error: GatewayError; headers?: Record<string, string> };

/**
 * Client auth from APIKEY. With no APIKEY the gateway is open only when it answers
 * from the simulator (the offline demo); a real deployment without APIKEY refuses
 * every request rather than becoming an open proxy for the operator's Anthropic keys.
 */
export function authorizeClient(headers: HeaderLookup, config: Config): ClientAuthResult {
  // Never one of the gateway's own client keys: clientAnthropicKey leaves those to the check below.
  const passthroughKey = clientAnthropicKey(headers, config);
  if (passthroughKey) return { ok: true, passthroughKey };
  if (config.APIKEY.length === 0) {
    if (config.UPSTREAM === "simulator") return { ok: true };
    return {
      ok: false,
      error: new GatewayError(503, "This gateway has no client keys configured (APIKEY), so it refuses all requests. The operator must set APIKEY (`wrangler secret put APIKEY`).", "api_error", null, "gateway_not_configured", { "x-should-retry": "false" }),
    };
  }
  const presented = presentedKey(headers);
  if (!presented) return unauthorized("Missing API key. Send it as `Authorization: Bearer <key>` or `x-api-key: <key>`.");
  if (!matchesAnyKey(presented, config.APIKEY)) return unauthorized("Incorrect API key provided.");
  return { ok: true };
}

/** authorizeClient as Hono middleware: sets `passthroughKey`, or answers the error. */
export function clientAuth(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const result = authorizeClient(c.req.raw.headers, c.get("deps").config);
    if (!result.ok) return errorResponse(result.error, result.headers);
    if (result.passthroughKey) c.set("passthroughKey", result.passthroughKey);
    return next();
  };
}
