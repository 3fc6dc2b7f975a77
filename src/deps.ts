import type { Config } from "./config";
import type { PlatformMembers } from "./pool/members";
import type { Upstream } from "./platforms/upstream";
import type { ModelProfile } from "./models/profile";
import type { AnthropicContentBlock } from "./platforms/anthropic/types";
import type { UploadTracker } from "./uploads/tracker";
import type { Tenancy } from "./tenancy/tenancy";
import type { RequestScope } from "./request-scope";
import type { Logger } from "./log";

/**
 * Everything a request handler needs from outside itself. The Worker builds it from
 * env bindings once per isolate; Node builds it from process.env with in-process
 * implementations of the Durable-Object-backed parts.
 */
export interface GatewayDeps {
  config: Config;
  /** Raw upstream transport (global fetch, or the simulator's handler). */
  upstream: Upstream;
  keyPool: KeyPool;
  /** Pool members that are not Anthropic keys (a Bedrock account, a Vertex project), by member id. */
  members: PlatformMembers;
  models: ModelCatalog;
  thinking: ThinkingStore;
  uploads: UploadTracker;
  log: Logger;
  /**
   * Client keys (static and managed), their limits and usage. Absent only where no store
   * was given (some tests): then managed keys and usage are off and the admin API says so.
   */
  tenancy?: Tenancy;
}

// RequestScope and Logger live in leaf modules of their own: modules that deps.ts imports
// (uploads/tracker.ts, tenancy/tenancy.ts) use them, and importing them from here made a cycle.
export type { RequestScope } from "./request-scope";
export type { Logger } from "./log";

export interface ModelCatalog {
  /** Every model the upstream offers (or the built-in list), newest first. */
  list(): Promise<ModelProfile[]>;
  /** The profile for an upstream id or alias; a fallback profile for unknown ids of known families. */
  get(id: string): Promise<ModelProfile | undefined>;
}

/** The outcome of one upstream attempt, as the key pool needs to know it. */
export type KeyOutcome =
  | { kind: "ok" }
  | { kind: "rate_limited"; retryAfterMs: number }
  | { kind: "overloaded" }
  | { kind: "server_error"; status: number }
  | { kind: "network"; message: string }
  | { kind: "auth"; status: number; message: string }
  /** The client went away mid-attempt: ends the in-flight slot, says nothing about the key. */
  | { kind: "cancelled" };

/**
 * A pick: a key, or why there is none. `refused` explains the refusal to the operator
 * and the client (keys by their last four characters only), for the locally made error.
 */
export type KeyChoice = { key: string } | { waitMs: number; refused?: KeyRefusal[] } | { none: true; refused?: KeyRefusal[] };

export interface KeyRefusal {
  /** "…abcd" */
  key: string;
  state: "rate_limited" | "disabled" | "tried";
  /** How long until a rate-limited key is usable again (ms, by the pool's clock). */
  retryInMs: number | null;
  /** The last error or the disabled reason, as recorded (no secret). */
  reason: string | null;
}

export interface KeyPool {
  /**
   * Picks a healthy key locally (no I/O), spreading by in-flight load; without one, the
   * key backing off after failures whose back-off ends first (half-open). `exclude` holds
   * keys already tried for this request. When every remaining key is rate limited, returns
   * the time until the soonest recovers; `none` when no key is left (all disabled or tried).
   * With a scope, a due refresh of shared state is started through its waitUntil
   * (never awaited here). `affinity` names the conversation: the same one keeps to the
   * same healthy key while load allows (its prompt cache and uploads live there).
   */
  pick(exclude: ReadonlySet<string>, scope?: Pick<RequestScope, "waitUntil">, affinity?: string): KeyChoice;
  /** Marks the start of an attempt (in-flight accounting). */
  begin(key: string): void;
  /**
   * Records how an attempt ended and frees its in-flight slot: exactly one `end` per
   * `begin`. Reporting to shared state goes through waitUntil.
   */
  end(key: string, outcome: KeyOutcome, scope: Pick<RequestScope, "waitUntil">): void;
  /** Operator view: no secret, keys by their last four characters. */
  status(): Promise<KeyStatus[]>;
  /** Operator action: puts the keys ending in these four characters back into rotation; how many matched. */
  enable?(last4: string): Promise<number>;
}

export interface KeyStatus {
  key: string; // "…abcd"
  state: "healthy" | "cooling" | "disabled";
  cooldownUntil: string | null;
  disabledReason: string | null;
  disabledAt: string | null;
  requests: number;
  failures: number;
  inFlight: number;
  lastError: string | null;
}

/**
 * Signed thinking blocks the gateway returned, keyed by the tool call ids that
 * clients do echo, so that a later turn can restore them.
 */
export interface ThinkingStore {
  put(toolCallIds: string[], blocks: AnthropicContentBlock[], scope: Pick<RequestScope, "waitUntil">): void;
  get(toolCallId: string): Promise<AnthropicContentBlock[] | undefined>;
}

// UploadTracker and UploadRecord live beside their implementations.
export type { UploadTracker, UploadRecord, UploadIntent, UploadOwner } from "./uploads/tracker";

