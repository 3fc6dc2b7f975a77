import type { KeyChoice, KeyOutcome, KeyPool, KeyRefusal, Logger, RequestScope } from "../deps";
import { keyHint, redactSecrets } from "../log";
import { classifyStatus } from "./policy";
import { clip, GatewayError } from "../errors";
import { rebuiltResponse, type UpstreamResponse } from "../platforms/upstream";

export interface FailoverOptions {
  pool: KeyPool;
  scope: RequestScope;
  maxAttempts: number;
  log: Logger;
  /** The conversation (conversationAffinity): its turns prefer the same healthy key. */
  affinity?: string;
  /** One upstream call with this key. Reject only for transport failures (or the client's abort). */
  attempt: (key: string, signal: AbortSignal) => Promise<UpstreamResponse>;
  /**
   * The caller reads the body itself and promises to call `settle` when it ends (the
   * chat route does, from its stream translator or after parsing). Then the body is
   * handed over as it came, without the extra JS stream hop that tracking it costs.
   */
  callerSettles?: boolean;
  /**
   * POOL_WAIT_MS: when every usable key is rate limited and the soonest recovers within
   * this (in total, per request), the request waits for it instead of failing.
   */
  maxWaitMs?: number;
}

export interface FailoverResult {
  response: UpstreamResponse;
  /** The key that produced the response; null for the gateway's own answers (no key usable). */
  key: string | null;
  /**
   * For a successful response the key stays "in flight" until its body has been read
   * to the end (ok) or cancelled. A caller that finds an error inside the body (an SSE
   * `error` event) calls `settle` with that outcome first, e.g. `{kind: "overloaded"}`.
   * Only the first outcome counts; calling it more than once is harmless.
   */
  settle: (outcome: KeyOutcome) => void;
}

const noop = () => {};

/**
 * Sends one request, moving on to another key while nothing has reached the client:
 * rate limits, overload, 5xx and transport failures are the key's (or the upstream's)
 * problem, so another key may well succeed; 401/403 take the key out of rotation; any
 * other status is the answer, since every key would give the same one.
 *
 * When attempts run out the client gets the last real upstream answer. Only when no
 * key could even be tried does the gateway answer itself, as a GatewayError that says it
 * is local (code `pool_exhausted` / `no_usable_upstream_key`, header x-claude2api-local)
 * and why: a 429 with the soonest retry-after while every usable key is rate limited
 * (after waiting up to `maxWaitMs` for one to recover), a 503 when every key was refused.
 */
export async function tryKeysInTurn(opts: FailoverOptions): Promise<FailoverResult> {
  const { pool, scope, log } = opts;
  const maxAttempts = Math.max(1, opts.maxAttempts);
  const tried = new Set<string>();
  // A failed answer is kept until we know another key will be tried: if none is, it is the truth to return.
  let kept: { response: UpstreamResponse; key: string } | null = null;
  let keptError: { error: unknown } | null = null;
  let refusal: Exclude<KeyChoice, { key: string }> | null = null;
  let waitBudget = Math.max(0, opts.maxWaitMs ?? 0);

  for (let n = 1; n <= maxAttempts; n++) {
    if (scope.signal.aborted) {
      discard(kept?.response);
      throw abortReason(scope.signal);
    }
    const choice = pool.pick(tried, scope, opts.affinity);
    if (!("key" in choice)) {
      // Every usable key is rate limited: if the soonest recovers within the wait budget,
      // waiting for it beats an error (users of other gateways loathe "no deployments available").
      if ("waitMs" in choice && choice.waitMs <= waitBudget) {
        const waited = choice.waitMs + WAIT_MARGIN_MS;
        waitBudget -= waited;
        log.info("key_pool_wait", { wait_ms: waited, attempt: n });
        await sleep(waited, scope.signal);
        n--;
        continue;
      }
      refusal = choice;
      break;
    }
    const key = choice.key;
    discard(kept?.response);
    kept = null;
    keptError = null;
    tried.add(key);

    pool.begin(key);
    let ended = false;
    const end = (outcome: KeyOutcome) => {
      if (ended) return;
      ended = true;
      pool.end(key, outcome, scope);
    };
    try {
      let response: UpstreamResponse;
      try {
        response = await opts.attempt(key, scope.signal);
      } catch (error) {
        // The client left, or the gateway refused the request while preparing it (a
        // GatewayError): neither is the key's fault, and another key would fare no better.
        if (scope.signal.aborted || error instanceof GatewayError) {
          end({ kind: "cancelled" });
          throw error;
        }
        const message = scrub(error instanceof Error ? error.message : String(error), tried);
        end({ kind: "network", message });
        log.warn("upstream_failover", { key: keyHint(key), attempt: n, cause: "network", error: message });
        keptError = { error };
        continue;
      }

      const verdict = classifyStatus(response.status, response.headers, Date.now());
      if (verdict.action === "return") {
        // `body` is not touched when the caller settles: on Node it is created on first access.
        if (!response.ok || (!opts.callerSettles && !response.body)) {
          end({ kind: "ok" });
          return { response, key, settle: noop };
        }
        // The slot is handed to the body: it ends when the body does.
        ended = true;
        const settle = once((outcome: KeyOutcome) => pool.end(key, outcome, scope));
        return { response: opts.callerSettles ? response : trackBody(response, settle, scope.signal), key, settle };
      }

      if (verdict.action === "disable") {
        // The reason is what the operator needs to fix the key, so this body is worth reading.
        const text = await response.text();
        end({ kind: "auth", status: verdict.status, message: scrub(errorMessage(text), tried) });
        response = rebuiltResponse(response.status, response.headers, text);
      } else {
        end(verdict.outcome);
      }
      log.warn("upstream_failover", { key: keyHint(key), attempt: n, status: response.status });
      kept = { response, key };
    } finally {
      if (!ended) end(scope.signal.aborted ? { kind: "cancelled" } : { kind: "network", message: "the gateway failed while handling the upstream answer" });
    }
  }

  if (keptError) throw keptError.error;
  if (kept) return { response: kept.response, key: kept.key, settle: noop };
  // No key was tried at all: the gateway answers itself, and says so.
  const refused = refusal ?? { none: true as const };
  if ("waitMs" in refused) {
    log.warn("key_pool_exhausted", { retry_after_ms: refused.waitMs, keys: describeRefusals(refused.refused) });
    throw poolRateLimited(refused.waitMs, refused.refused);
  }
  log.error("no_usable_upstream_key", {
    keys: describeRefusals(refused.refused),
    action: "Every upstream key was refused by the Anthropic API (401/403) or none is configured. Check ANTHROPIC_API_KEYS; GET /status shows each key's reason.",
  });
  throw noUsableKey(refused.refused);
}

/** Added to a wait so that the key's recovery time has surely passed when the request picks again. */
const WAIT_MARGIN_MS = 5;

/** Marks an answer the gateway made itself, without asking the upstream (exposed to browsers too). */
export const LOCAL_ANSWER_HEADER = "x-claude2api-local";

/**
 * The gateway's own 429: every usable key is rate limited (or disabled) and the soonest
 * recovers later than POOL_WAIT_MS. No upstream was asked, and the answer says so.
 */
export function poolRateLimited(waitMs: number, refused: readonly KeyRefusal[] = []): GatewayError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new GatewayError(
    429,
    `No upstream request was made: the gateway's own key pool has no key to try (${describeRefusals(refused) || "every key is rate limited"}). ` +
      `The soonest key is usable again in ${seconds} s; retry then.`,
    "rate_limit_error",
    null,
    "pool_exhausted",
    { "retry-after": String(seconds), "x-should-retry": "true", [LOCAL_ANSWER_HEADER]: "key-pool" },
  );
}

/** The gateway's own 503: every key is disabled (refused by the upstream with 401/402/403). */
export function noUsableKey(refused: readonly KeyRefusal[] = []): GatewayError {
  return new GatewayError(
    503,
    `No upstream request was made: the gateway has no usable upstream key (${describeRefusals(refused) || "none left to try"}). ` +
      "Every key was rejected by its upstream (401/402/403); the gateway operator must check ANTHROPIC_API_KEYS, or the BEDROCK_* / VERTEX_* settings of a platform member (GET /status shows why each was rejected).",
    "api_error",
    null,
    "no_usable_upstream_key",
    { "x-should-retry": "false", [LOCAL_ANSWER_HEADER]: "key-pool" },
  );
}

/** `…abcd rate limited for 12 s (429 rate limited; resting for 30 s); …efgh disabled (401: invalid x-api-key)` */
export function describeRefusals(refused: readonly KeyRefusal[] = []): string {
  return refused
    .map((r) => {
      const state = r.state === "rate_limited" ? `rate limited${r.retryInMs ? ` for ${Math.max(1, Math.ceil(r.retryInMs / 1000))} s` : ""}` : r.state === "disabled" ? "disabled" : "already tried";
      return `${r.key} ${state}${r.reason ? ` (${clip(r.reason, 120)})` : ""}`;
    })
    .join("; ");
}

/** Waits `ms`, or rejects at once when the client goes away. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Passes the body through untouched and tells the pool how it ended; a pull-based
 * wrapper rather than a TransformStream so that an upstream failure mid-body is seen
 * as such (a transform only sees chunks, not the error).
 */
function trackBody(response: UpstreamResponse, settle: (o: KeyOutcome) => void, signal: AbortSignal): UpstreamResponse {
  const reader = response.body!.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            settle({ kind: "ok" });
            controller.close();
          } else {
            controller.enqueue(value);
          }
        } catch (error) {
          settle(signal.aborted ? { kind: "cancelled" } : { kind: "network", message: `stream broke: ${error instanceof Error ? error.message : String(error)}` });
          controller.error(error);
        }
      },
      cancel(reason) {
        settle({ kind: "cancelled" });
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return rebuiltResponse(response.status, response.headers, body);
}

function once(fn: (o: KeyOutcome) => void): (o: KeyOutcome) => void {
  let done = false;
  return (o) => {
    if (done) return;
    done = true;
    fn(o);
  };
}

function discard(response: UpstreamResponse | undefined): void {
  // Unread bodies hold the upstream connection open until garbage collection.
  response?.body?.cancel().catch(noop);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The client closed the request.", "AbortError");
}

/** `error.message` from an Anthropic error body, or the start of whatever came instead. */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") return parsed.error.message;
  } catch {
    // not JSON: a proxy's HTML page, say
  }
  return text.slice(0, 200) || "(empty body)";
}

/** Upstream text can quote the key back; the operator sees only its last four characters. */
function scrub(text: string, keys: Iterable<string>): string {
  let out = text;
  for (const k of keys) if (k && out.includes(k)) out = out.split(k).join(keyHint(k));
  return redactSecrets(out);
}
