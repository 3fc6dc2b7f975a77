import type { KeyChoice, KeyOutcome, KeyPool, KeyRefusal, KeyStatus, Logger, RequestScope } from "../deps";
import { keyHint } from "../log";
import { applyOutcome, defaultPolicy, type CooldownPolicy, type KeyHealth } from "./policy";
import { selectKey } from "./select";
import type { KeyEvent, KeySnapshot, KeyStateStore, SharedKeyState } from "./store";
import { hashSecret } from "../hash";

export interface IsolatePoolOptions {
  /** The upstream keys (ANTHROPIC_API_KEYS); duplicates are ignored. */
  keys: readonly string[];
  store: KeyStateStore;
  log: Logger;
  now?: () => number;
  /** How often shared state is pulled, and quiet successes are pushed. */
  syncEveryMs?: number;
  /** A stuck store must not stall later syncs forever. */
  storeTimeoutMs?: number;
  policy?: CooldownPolicy;
}

type Delta = Omit<KeyEvent, "keyHash" | "hint">;

interface Slot {
  key: string;
  hint: string;
  hash?: string;
  health: KeyHealth;
  inFlight: number;
  lastPicked: number;
  /** Learned here, not yet reported. */
  pending: Delta;
  /** Last state read from the shared store, for the operator's numbers. */
  shared?: SharedKeyState;
}

const emptyDelta = (): Delta => ({ requests: 0, failures: 0 });

function addDelta(a: Delta, b: Delta): Delta {
  const lastError = !a.lastError ? b.lastError : !b.lastError ? a.lastError : a.lastError.at > b.lastError.at ? a.lastError : b.lastError;
  const cooldownUntil = Math.max(a.cooldownUntil ?? 0, b.cooldownUntil ?? 0);
  return {
    requests: a.requests + b.requests,
    failures: a.failures + b.failures,
    ...(cooldownUntil > 0 ? { cooldownUntil } : {}),
    ...(a.disabled ?? b.disabled ? { disabled: (a.disabled ?? b.disabled)! } : {}),
    ...(lastError ? { lastError } : {}),
  };
}

const isEmpty = (d: Delta) => d.requests === 0 && d.failures === 0 && d.cooldownUntil === undefined && !d.disabled && !d.lastError;

/**
 * The key pool as one isolate sees it. Picking and recording are synchronous and
 * local; the shared store is only talked to through waitUntil, in one queue per
 * isolate: failures that others must avoid are pushed at once, successes are counted
 * and pushed with the periodic sync, so a healthy request costs the store nothing and
 * the store sees roughly one call per isolate every few seconds, not one per request.
 */
export class IsolateKeyPool implements KeyPool {
  private readonly slots: Slot[];
  private readonly byKey = new Map<string, Slot>();
  private readonly store: KeyStateStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly syncEveryMs: number;
  private readonly storeTimeoutMs: number;
  private readonly policy: CooldownPolicy;
  private pickSeq = 0;
  private lastSyncStart = -Infinity;
  private queue: Promise<void> = Promise.resolve();
  private hashing?: Promise<void>;

  constructor(opts: IsolatePoolOptions) {
    this.store = opts.store;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.syncEveryMs = opts.syncEveryMs ?? 5_000;
    this.storeTimeoutMs = opts.storeTimeoutMs ?? 10_000;
    this.policy = opts.policy ?? defaultPolicy;
    this.slots = [];
    for (const key of new Set(opts.keys)) {
      const slot: Slot = {
        key,
        hint: keyHint(key),
        health: { cooldownUntil: 0, backoffUntil: 0, disabled: null, consecutiveFailures: 0, lastError: null },
        inFlight: 0,
        lastPicked: 0,
        pending: emptyDelta(),
      };
      this.slots.push(slot);
      this.byKey.set(key, slot);
    }
  }

  pick(exclude: ReadonlySet<string>, scope?: Pick<RequestScope, "waitUntil">, affinity?: string): KeyChoice {
    if (scope) this.syncIfDue(scope);
    const now = this.now();
    const choice = selectKey(
      this.slots.map((s) => ({
        id: s.key,
        cooldownUntil: s.health.cooldownUntil,
        backoffUntil: s.health.backoffUntil,
        disabled: s.health.disabled !== null,
        inFlight: s.inFlight,
        lastPicked: s.lastPicked,
      })),
      now,
      exclude,
      affinity,
    );
    if (!("id" in choice)) return { ...choice, refused: this.refusals(exclude, now) };
    this.byKey.get(choice.id)!.lastPicked = ++this.pickSeq;
    return { key: choice.id };
  }

  /** Why no key could be picked, key by key, for the locally made error (only on that path). */
  private refusals(exclude: ReadonlySet<string>, now: number): KeyRefusal[] {
    return this.slots.map((s): KeyRefusal => {
      const h = s.health;
      if (h.disabled) return { key: s.hint, state: "disabled", retryInMs: null, reason: h.disabled.reason };
      if (h.cooldownUntil > now) return { key: s.hint, state: "rate_limited", retryInMs: h.cooldownUntil - now, reason: h.lastError?.message ?? null };
      return { key: s.hint, state: exclude.has(s.key) ? "tried" : "rate_limited", retryInMs: null, reason: h.lastError?.message ?? null };
    });
  }

  begin(key: string): void {
    const slot = this.byKey.get(key);
    if (slot) slot.inFlight++;
  }

  end(key: string, outcome: KeyOutcome, scope: Pick<RequestScope, "waitUntil">): void {
    const slot = this.byKey.get(key);
    if (!slot) return;
    slot.inFlight = Math.max(0, slot.inFlight - 1);
    const now = this.now();
    const wasDisabled = slot.health.disabled !== null;
    const prevCooldown = slot.health.cooldownUntil;
    const applied = applyOutcome(slot.health, this.scrubOutcome(outcome), now, this.policy);
    slot.health = applied.health;
    slot.pending = addDelta(slot.pending, {
      requests: applied.requests,
      failures: applied.failures,
      ...(applied.health.cooldownUntil > prevCooldown ? { cooldownUntil: applied.health.cooldownUntil } : {}),
      ...(!wasDisabled && applied.health.disabled ? { disabled: applied.health.disabled } : {}),
      ...(applied.failures > 0 && applied.health.lastError ? { lastError: applied.health.lastError } : {}),
    });

    if (!wasDisabled && applied.health.disabled) {
      this.log.error("upstream_key_disabled", {
        key: slot.hint,
        reason: applied.health.disabled.reason,
        action: "The Anthropic API refused this key; it stays out of rotation. Replace or remove it in ANTHROPIC_API_KEYS.",
      });
    } else if (applied.health.cooldownUntil > Math.max(prevCooldown, now)) {
      this.log.warn("upstream_key_cooling", {
        key: slot.hint,
        until: new Date(applied.health.cooldownUntil).toISOString(),
        reason: applied.health.lastError?.message ?? null,
      });
    }

    if (applied.urgent) scope.waitUntil(this.enqueue(() => this.flush()));
    else this.syncIfDue(scope);
  }

  async status(): Promise<KeyStatus[]> {
    // The operator asked: worth a round trip, and the freshest numbers there are.
    await this.enqueue(() => this.sync());
    const now = this.now();
    return this.slots.map((s) => {
      const h = s.health;
      const lastError =
        h.lastError && (!s.shared?.lastErrorAt || h.lastError.at >= s.shared.lastErrorAt)
          ? h.lastError
          : s.shared?.lastError && s.shared.lastErrorAt !== null
            ? { message: s.shared.lastError, at: s.shared.lastErrorAt }
            : null;
      return {
        key: s.hint,
        // Backing off after failures shows as cooling too; until then the key is tried only when no other is healthy.
        state: h.disabled ? "disabled" : Math.max(h.cooldownUntil, h.backoffUntil) > now ? "cooling" : "healthy",
        cooldownUntil: Math.max(h.cooldownUntil, h.backoffUntil) > now ? new Date(Math.max(h.cooldownUntil, h.backoffUntil)).toISOString() : null,
        disabledReason: h.disabled?.reason ?? null,
        disabledAt: h.disabled ? new Date(h.disabled.at).toISOString() : null,
        requests: (s.shared?.requests ?? 0) + s.pending.requests,
        failures: (s.shared?.failures ?? 0) + s.pending.failures,
        inFlight: s.inFlight,
        lastError: lastError ? `${new Date(lastError.at).toISOString()} ${lastError.message}` : null,
      } satisfies KeyStatus;
    });
  }

  /**
   * Puts the keys ending in `last4` back into rotation, here at once and for every
   * isolate through the shared store (others follow at their next sync). For the
   * operator who fixed a key rather than replacing it. Returns how many keys matched.
   */
  async enable(last4: string): Promise<number> {
    const matches = this.slots.filter((s) => s.key.endsWith(last4) && last4.length === 4);
    if (matches.length === 0) return 0;
    await this.ensureHashes();
    for (const s of matches) {
      s.health = { ...s.health, disabled: null, consecutiveFailures: 0, backoffUntil: 0 };
      delete s.pending.disabled;
      // Awaited and not swallowed: if the store did not take it, the next sync would
      // disable the key again, and the operator must hear that now.
      await this.withTimeout(this.store.enable(s.hash!), "enable");
      this.log.warn("upstream_key_enabled", { key: s.hint, by: "operator" });
    }
    return matches.length;
  }

  private syncIfDue(scope: Pick<RequestScope, "waitUntil">): void {
    const now = this.now();
    if (now - this.lastSyncStart < this.syncEveryMs) return;
    this.lastSyncStart = now;
    scope.waitUntil(this.enqueue(() => this.sync()));
  }

  /** One store conversation at a time, so a snapshot is never read before an earlier report landed. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work).catch((err: unknown) => {
      this.log.warn("key_pool_store_unavailable", {
        error: err instanceof Error ? err.message : String(err),
        effect: "Picking keys from this isolate's own view until the shared store answers again.",
      });
    });
    this.queue = run;
    return run;
  }

  private withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`key pool store: ${what} took longer than ${this.storeTimeoutMs} ms`)), this.storeTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => {
      if (timer !== undefined) clearTimeout(timer);
    });
  }

  private ensureHashes(): Promise<void> {
    this.hashing ??= Promise.all(
      this.slots.map(async (s) => {
        s.hash = await hashSecret(s.key);
      }),
    ).then(() => undefined);
    return this.hashing;
  }

  private async flush(): Promise<void> {
    await this.ensureHashes();
    const taken: [Slot, Delta][] = [];
    for (const s of this.slots) {
      if (isEmpty(s.pending)) continue;
      taken.push([s, s.pending]);
      s.pending = emptyDelta();
    }
    if (taken.length === 0) return;
    try {
      await this.withTimeout(this.store.report(taken.map(([s, d]) => ({ keyHash: s.hash!, hint: s.hint, ...d }))), "report");
    } catch (err) {
      // Keep what was learned; the next sync tries again.
      for (const [s, d] of taken) s.pending = addDelta(d, s.pending);
      throw err;
    }
  }

  private async sync(): Promise<void> {
    await this.flush();
    this.merge(await this.withTimeout(this.store.snapshot(), "snapshot"));
  }

  private merge(snap: KeySnapshot): void {
    const byHash = new Map(snap.keys.map((k) => [k.keyHash, k]));
    for (const s of this.slots) {
      const shared = s.hash ? byHash.get(s.hash) : undefined;
      s.shared = shared;
      s.health = {
        ...s.health,
        cooldownUntil: Math.max(s.health.cooldownUntil, shared?.cooldownUntil ?? 0),
        disabled:
          shared?.disabledReason != null
            ? (s.health.disabled ?? { reason: shared.disabledReason, at: shared.disabledAt ?? snap.takenAt })
            : // Everything learned here was reported before this snapshot was read, so a key
              // the store does not hold as disabled was re-enabled there (by the operator).
              s.pending.disabled
              ? s.health.disabled
              : null,
      };
    }
  }

  private scrubOutcome(outcome: KeyOutcome): KeyOutcome {
    if (outcome.kind !== "auth" && outcome.kind !== "network") return outcome;
    let message = outcome.message;
    for (const s of this.slots) if (message.includes(s.key)) message = message.split(s.key).join(s.hint);
    return { ...outcome, message };
  }
}
