import type { KeyOutcome, KeyPool, Logger, RequestScope } from "../deps";
import { keyHint, redactSecrets } from "../log";
import { classifyStatus } from "./policy";
import { GatewayError } from "../errors";
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
 * key could even be tried does the gateway answer itself: a 429 with the soonest
 * retry-after while keys cool down, a 503 when every key was refused.
 */
export async function sendWithFailover(opts: FailoverOptions): Promise<FailoverResult> {
  const { pool, scope, log } = opts;
  const maxAttempts = Math.max(1, opts.maxAttempts);
  const tried = new Set<string>();
  // A failed answer is kept until we know another key will be tried: if none is, it is the truth to return.
  let kept: { response: UpstreamResponse; key: string } | null = null;
  let keptError: { error: unknown } | null = null;
  let first: { waitMs: number } | { none: true } | null = null;

  for (let n = 1; n <= maxAttempts; n++) {
    if (scope.signal.aborted) {
      discard(kept?.response);
      throw abortReason(scope.signal);
    }
    const choice = pool.pick(tried, scope, opts.affinity);
    if (!("key" in choice)) {
      if (n === 1) first = choice;
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
  if (first && "waitMs" in first) return { response: allCoolingResponse(first.waitMs), key: null, settle: noop };
  log.error("no_usable_upstream_key", {
    action: "Every upstream key was refused by the Anthropic API (401/403) or none is configured. Check ANTHROPIC_API_KEYS; GET /status shows each key's reason.",
  });
  return { response: noUsableKeyResponse(), key: null, settle: noop };
}

/** An Anthropic-shaped 429, so that callers map it exactly like an upstream one. */
export function allCoolingResponse(waitMs: number): Response {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return anthropicError(429, "rate_limit_error", `All upstream keys are cooling down after rate limits or failures; the first is usable again in ${seconds} s.`, {
    "retry-after": String(seconds),
    "x-should-retry": "true",
  });
}

export function noUsableKeyResponse(): Response {
  return anthropicError(
    503,
    "api_error",
    "The gateway has no usable upstream key: every key was rejected by the Anthropic API (401/403). The gateway operator must check ANTHROPIC_API_KEYS (GET /status shows why each key was rejected).",
    { "x-should-retry": "false" },
  );
}

function anthropicError(status: number, type: string, message: string, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ type: "error", error: { type, message } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
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
