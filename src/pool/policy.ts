import type { KeyOutcome } from "../deps";
import type { UpstreamHeaders } from "../platforms/upstream";
import { redactSecrets } from "../log";

/**
 * What an outcome does to a key, and what a response status means for failover.
 * Pure: the isolate pool applies it to its snapshot; the shared store only merges
 * the results, so the rules live in exactly one place.
 */
export interface CooldownPolicy {
  /** A 429 without retry-after. */
  defaultRetryAfterMs: number;
  /** A 429 without retry-after that says `x-should-retry: false` (the spend cap, say). */
  noRetryCooldownMs: number;
  /** Longer retry-afters are cut to this so the key gets re-tried eventually. */
  maxRetryAfterMs: number;
  /** 529/5xx/network failures in a row before the key is rested at all. */
  failureThreshold: number;
  failureBaseMs: number;
  failureMaxMs: number;
}

export const defaultPolicy: CooldownPolicy = {
  defaultRetryAfterMs: 30_000,
  noRetryCooldownMs: 600_000,
  maxRetryAfterMs: 3_600_000,
  failureThreshold: 2,
  failureBaseMs: 5_000,
  failureMaxMs: 60_000,
};

export interface KeyHealth {
  /**
   * Rate limited (a 429) until then: a recovery time the upstream gave (or the default).
   * Shared with every isolate; the key is not tried before it.
   */
  cooldownUntil: number;
  /**
   * Backing off after 529/5xx/network failures until then. Local to the isolate and only
   * a preference: when no key is healthy, the one whose back-off ends first is tried
   * (half-open) rather than the request being refused. A success ends it.
   */
  backoffUntil: number;
  disabled: { reason: string; at: number } | null;
  consecutiveFailures: number;
  lastError: { message: string; at: number } | null;
}

export interface Applied {
  health: KeyHealth;
  /** Whether the attempt counts as a request / as a failure in the operator's numbers. */
  requests: number;
  failures: number;
  /** Whether other isolates should hear about it now rather than with the next periodic sync. */
  urgent: boolean;
}

const MAX_MESSAGE = 300;
const clip = (s: string) => redactSecrets(s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);
const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

export function applyOutcome(h: KeyHealth, outcome: KeyOutcome, now: number, p: CooldownPolicy = defaultPolicy): Applied {
  switch (outcome.kind) {
    case "ok":
      return { health: { ...h, consecutiveFailures: 0, backoffUntil: 0 }, requests: 1, failures: 0, urgent: false };
    case "cancelled":
      // The client left: says nothing about the key.
      return { health: h, requests: 0, failures: 0, urgent: false };
    case "rate_limited": {
      const wait = Math.min(Math.max(outcome.retryAfterMs, 1000), p.maxRetryAfterMs);
      return {
        health: {
          ...h,
          cooldownUntil: Math.max(h.cooldownUntil, now + wait),
          lastError: { message: `429 rate limited; resting for ${seconds(wait)}`, at: now },
        },
        requests: 1,
        failures: 1,
        urgent: true,
      };
    }
    case "auth":
      return {
        health: {
          ...h,
          disabled: { reason: clip(`${outcome.status}: ${outcome.message}`), at: now },
          lastError: { message: clip(`${outcome.status}: ${outcome.message}`), at: now },
        },
        requests: 1,
        failures: 1,
        urgent: true,
      };
    case "overloaded":
    case "server_error":
    case "network": {
      const message =
        outcome.kind === "overloaded" ? "529 overloaded" : outcome.kind === "server_error" ? `HTTP ${outcome.status} from upstream` : clip(`network: ${outcome.message}`);
      const n = h.consecutiveFailures + 1;
      // One blip is not worth resting a key for; a run of them means this key (or its
      // route) is in trouble, and backing off exponentially keeps it from eating retries
      // while other keys are healthy. It is no rate limit: without a healthy key it is
      // still tried (select.ts), so an upstream blip never becomes a local outage.
      const rest = n >= p.failureThreshold ? Math.min(p.failureBaseMs * 2 ** (n - p.failureThreshold), p.failureMaxMs) : 0;
      return {
        health: {
          ...h,
          consecutiveFailures: n,
          backoffUntil: rest > 0 ? Math.max(h.backoffUntil, now + rest) : h.backoffUntil,
          lastError: { message: rest > 0 ? `${message}; ${n} failures in a row, resting for ${seconds(rest)}` : message, at: now },
        },
        requests: 1,
        failures: 1,
        urgent: rest > 0,
      };
    }
  }
}

/** What failover does with an upstream status, decided before any of the body is read. */
export type Verdict =
  | { action: "return" } // success, or the client's own fault: another key would answer the same
  | { action: "retry"; outcome: KeyOutcome } // this key or this upstream failed: try another key
  | { action: "disable"; status: number }; // the key itself is refused: take it out of rotation

export function classifyStatus(status: number, headers: UpstreamHeaders, now: number, p: CooldownPolicy = defaultPolicy): Verdict {
  // The upstream's own word on retrying (the SDK obeys it before the status). "false" on a
  // 429 means this key will not recover soon (the spend cap's 429 has no retry-after):
  // another key may, so fail over, but rest this one longer. On an overload or a 5xx it
  // means the answer would repeat, so it is the answer.
  const noRetry = headers.get("x-should-retry")?.trim().toLowerCase() === "false";
  if (status === 429) {
    const wait = retryAfterMs(headers, now) ?? (noRetry ? p.noRetryCooldownMs : p.defaultRetryAfterMs);
    return { action: "retry", outcome: { kind: "rate_limited", retryAfterMs: wait } };
  }
  if (noRetry && status >= 500) return { action: "return" };
  if (status === 529) return { action: "retry", outcome: { kind: "overloaded" } };
  // 402 is a billing problem of the key's organization: as final as a revoked key.
  if (status === 401 || status === 402 || status === 403) return { action: "disable", status };
  // 501/505 say the request itself is unsupported; every other 5xx (including
  // Cloudflare's 52x in front of the API) is a transient upstream failure.
  if (status >= 500 && status !== 501 && status !== 505) return { action: "retry", outcome: { kind: "server_error", status } };
  return { action: "return" };
}

/** retry-after-ms (the SDK honours it), then retry-after in seconds or as an HTTP date. */
export function retryAfterMs(headers: UpstreamHeaders, now: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
