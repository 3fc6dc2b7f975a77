import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../app-env";
import { GatewayError } from "../../errors";
import { errorResponse } from "../../openai/errors";
import { clientAnthropicKey } from "../../pool/passthrough";
import type { Config } from "../../config";
import type { RequestScope } from "../../deps";
import { looksManaged } from "../../tenancy/key-material";
import { OPEN_IDENTITY, type ClientIdentity, type Tenancy } from "../../tenancy/tenancy";
import { matchingKeyIndex, type HeaderLookup } from "../../secret-compare";

export type { HeaderLookup };

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

export type ClientAuthResult =
  | { ok: true; passthroughKey?: string; client?: ClientIdentity }
  | { ok: false; error: GatewayError; headers?: Record<string, string> };

/**
 * Client auth: a static APIKEY key (synchronously, no I/O), a managed `sk-c2a-` key (its
 * authorisation cached in the isolate: a store round trip at most every few seconds),
 * or, in mirror mode, the client's own Anthropic key. With neither APIKEY nor ADMIN_KEY
 * the gateway is open only when it answers from the simulator (the offline demo); a real
 * deployment without client keys refuses every request rather than becoming an open
 * proxy for the operator's Anthropic keys.
 */
export function authorizeClient(headers: HeaderLookup, config: Config, tenancy?: Tenancy, scope?: Pick<RequestScope, "waitUntil">): ClientAuthResult | Promise<ClientAuthResult> {
  // Never one of the gateway's own client keys: clientAnthropicKey leaves those to the check below.
  const passthroughKey = clientAnthropicKey(headers, config);
  if (passthroughKey) return { ok: true, passthroughKey };
  const presented = presentedKey(headers);
  // A managed key is looked up whatever APIKEY holds (and keeps working if ADMIN_KEY is removed later).
  const managed = tenancy !== undefined && presented !== undefined && looksManaged(presented);
  if (config.APIKEY.length === 0 && !managed) {
    if (config.UPSTREAM === "simulator") return { ok: true, client: OPEN_IDENTITY };
    if (!config.ADMIN_KEY) {
      return {
        ok: false,
        error: new GatewayError(503, "This gateway has no client keys configured (APIKEY), so it refuses all requests. The operator must set APIKEY (`wrangler secret put APIKEY`), or ADMIN_KEY to hand out managed keys.", "api_error", null, "gateway_not_configured", { "x-should-retry": "false" }),
      };
    }
  }
  if (!presented) return unauthorized("Missing API key. Send it as `Authorization: Bearer <key>` or `x-api-key: <key>`.");
  const index = matchingKeyIndex(presented, config.APIKEY);
  if (index >= 0) {
    if (!tenancy) return { ok: true };
    const client = tenancy.staticIdentity(index);
    return client instanceof Promise ? client.then((c) => ({ ok: true as const, client: c })) : { ok: true, client };
  }
  if (managed) {
    return tenancy!
      .identifyManaged(presented, scope ?? { waitUntil: () => undefined })
      .then((client): ClientAuthResult => (client ? { ok: true, client } : unauthorized("Incorrect API key provided.")))
      .catch((): ClientAuthResult => ({
        ok: false,
        error: new GatewayError(503, "The gateway could not check this API key: its key store is unreachable. Retry shortly.", "api_error", null, "key_store_unavailable", { "retry-after": "2" }),
      }));
  }
  return unauthorized("Incorrect API key provided.");
}

/** authorizeClient as Hono middleware: sets `passthroughKey` and `client`, or answers the error. */
export function clientAuth(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const deps = c.get("deps");
    const result = await authorizeClient(c.req.raw.headers, deps.config, deps.tenancy, c.get("scope"));
    if (!result.ok) return errorResponse(result.error, result.headers);
    if (result.passthroughKey) c.set("passthroughKey", result.passthroughKey);
    if (result.client) c.set("client", result.client);
    return next();
  };
}
