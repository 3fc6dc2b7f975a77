import type { UpstreamResponse } from "../platforms/upstream";
import { upstreamKeys } from "../config";
import type { GatewayDeps, KeyOutcome, KeyPool, RequestScope } from "../deps";
import { GatewayError } from "../errors";
import { singleKeyPool } from "./passthrough";
import { tryKeysInTurn, type FailoverResult } from "./failover";
import { upstreamUnreachable } from "../platforms/anthropic/errors";

/**
 * The keys a request may use: the client's own Anthropic key in mirror mode, else the
 * operator's pool. No configured key is the operator's problem and is said as such,
 * rather than surfacing as a confusing "every key was refused".
 */
export function poolFor(deps: GatewayDeps, passthroughKey: string | undefined): KeyPool {
  if (passthroughKey) return singleKeyPool(passthroughKey);
  if (!upstreamKeys(deps.config).length && !deps.members.size) {
    throw new GatewayError(
      503,
      "This gateway has no upstream configured. The operator must set ANTHROPIC_API_KEYS (`wrangler secret put ANTHROPIC_API_KEYS`), or a Bedrock account (BEDROCK_REGION with BEDROCK_ACCESS_KEY_ID or BEDROCK_API_KEY) or a Vertex project (VERTEX_SERVICE_ACCOUNT); see docs/platforms.md.",
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

/**
 * One upstream call with failover across the pool's keys: the pool's choice of keys and
 * what each answer means for its key are tryKeysInTurn's (failover.ts); this layer adds
 * what one attempt needs from the runtime. Each attempt gets UPSTREAM_TIMEOUT_MS to
 * produce response headers (a long stream after that is fine); transport failures become
 * a 502, a timeout a 504, the client leaving a 499.
 */
export async function callWithFailover(
  deps: GatewayDeps,
  scope: RequestScope,
  pool: KeyPool,
  send: (key: string, signal: AbortSignal) => Promise<UpstreamResponse>,
  opts: {
    /** conversationAffinity(body): the turns of one conversation prefer the same healthy key. */
    affinity?: string;
    /** The caller settles the key's outcome when it has read the body (see FailoverOptions). */
    callerSettles?: boolean;
  } = {},
): Promise<FailoverResult> {
  const { config } = deps;
  let timedOut = false;
  return tryKeysInTurn({
    pool,
    scope,
    maxAttempts: config.MAX_UPSTREAM_ATTEMPTS,
    log: deps.log,
    affinity: opts.affinity,
    callerSettles: opts.callerSettles,
    maxWaitMs: config.POOL_WAIT_MS,
    attempt: async (key, signal) => {
      // One controller for both causes: the client leaving (for the whole body, so the
      // listener stays) and the header timeout. AbortSignal.any did the same at a higher
      // price per request on Node (its composite signals are tracked through weak refs).
      const attempt = new AbortController();
      const onClientAbort = () => attempt.abort(signal.reason);
      if (signal.aborted) onClientAbort();
      else signal.addEventListener("abort", onClientAbort, { once: true });
      const t = setTimeout(() => {
        timedOut = true;
        attempt.abort(new Error("upstream timeout"));
      }, config.UPSTREAM_TIMEOUT_MS);
      try {
        return await send(key, attempt.signal);
      } finally {
        clearTimeout(t);
      }
    },
  }).catch((err: unknown) => {
    if (err instanceof GatewayError) throw err;
    if (scope.signal.aborted) throw new GatewayError(499, "The client closed the request.", "invalid_request_error", null, "client_closed_request");
    throw upstreamUnreachable(err, config.ANTHROPIC_BASE_URL, timedOut);
  });
}
