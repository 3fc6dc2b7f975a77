import type { MiddlewareHandler } from "hono";
import type { GatewayEnv } from "../app-env";
import { GatewayError } from "../errors";
import { errorResponse } from "../openai/errors";
import { clientAnthropicKey } from "../pool/passthrough";

/** The client's key: `Authorization: Bearer <key>`, `x-api-key` or `api-key` (Cherry, Continue). */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1].trim();
  }
  return headers.get("x-api-key")?.trim() || headers.get("api-key")?.trim() || undefined;
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Digests of the configured keys, computed once per configuration rather than per request. */
const configuredDigests = new WeakMap<readonly string[], Promise<Uint8Array[]>>();

function digestsOf(keys: readonly string[]): Promise<Uint8Array[]> {
  let d = configuredDigests.get(keys);
  if (!d) configuredDigests.set(keys, (d = Promise.all(keys.map(digest))));
  return d;
}

/**
 * Compares against every configured key without stopping early, on fixed-length
 * digests, so neither the position of a match nor the length of a key shows in timing.
 */
export async function matchesAnyKey(presented: string, keys: readonly string[]): Promise<boolean> {
  const [p, digests] = await Promise.all([digest(presented), digestsOf(keys)]);
  let matched = 0;
  for (const k of digests) {
    let diff = 0;
    for (let i = 0; i < p.length; i++) diff |= p[i]! ^ k[i]!;
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}

const unauthorized = (message: string) =>
  errorResponse(new GatewayError(401, message, "authentication_error", null, "invalid_api_key"), { "www-authenticate": 'Bearer realm="claude2api"' });

/**
 * Client auth from APIKEY. With no APIKEY the gateway is open only when it answers
 * from the simulator (the offline demo); a real deployment without APIKEY refuses
 * every request rather than becoming an open proxy for the operator's Anthropic keys.
 */
export function clientAuth(): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const { config } = c.get("deps");
    // Never one of the gateway's own client keys: clientAnthropicKey leaves those to the check below.
    const passthrough = clientAnthropicKey(c.req.raw.headers, config);
    if (passthrough) {
      c.set("passthroughKey", passthrough);
      return next();
    }
    if (config.APIKEY.length === 0) {
      if (config.UPSTREAM === "simulator") return next();
      return errorResponse(
        new GatewayError(503, "This gateway has no client keys configured (APIKEY), so it refuses all requests. The operator must set APIKEY (`wrangler secret put APIKEY`).", "api_error", null, "gateway_not_configured", { "x-should-retry": "false" }),
      );
    }
    const presented = presentedKey(c.req.raw.headers);
    if (!presented) return unauthorized("Missing API key. Send it as `Authorization: Bearer <key>` or `x-api-key: <key>`.");
    if (!(await matchesAnyKey(presented, config.APIKEY))) return unauthorized("Incorrect API key provided.");
    return next();
  };
}
