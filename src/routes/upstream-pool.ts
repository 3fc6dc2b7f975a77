import { upstreamKeys } from "../config";
import type { GatewayDeps, KeyOutcome, KeyPool } from "../deps";
import { GatewayError } from "../errors";
import { singleKeyPool } from "../pool/passthrough";

/**
 * The keys a request may use: the client's own Anthropic key in mirror mode, else the
 * operator's pool. No configured key is the operator's problem and is said as such,
 * rather than surfacing as a confusing "every key was refused".
 */
export function poolFor(deps: GatewayDeps, passthroughKey: string | undefined): KeyPool {
  if (passthroughKey) return singleKeyPool(passthroughKey);
  if (!upstreamKeys(deps.config).length) {
    throw new GatewayError(
      503,
      "This gateway has no upstream Anthropic keys configured. The operator must set ANTHROPIC_API_KEYS (`wrangler secret put ANTHROPIC_API_KEYS`).",
      "api_error",
      null,
      "gateway_not_configured",
      { "x-should-retry": "false" },
    );
  }
  return deps.keyPool;
}

/** How a stream that already started ended, as the key pool should count it. */
export function midStreamOutcome(error: { type: string; message: string } | null): KeyOutcome {
  if (!error) return { kind: "ok" };
  if (error.type === "client_disconnected") return { kind: "cancelled" };
  if (error.type === "overloaded_error") return { kind: "overloaded" };
  if (error.type === "rate_limit_error") return { kind: "rate_limited", retryAfterMs: 30_000 };
  if (error.type === "upstream_error") return { kind: "network", message: error.message };
  return { kind: "server_error", status: 500 };
}
