import type { Logger } from "../log";
import type { RequestScope } from "../request-scope";
import { last4, looksManaged, staticKeyId } from "./key-material";
import { hashSecret } from "../hash";
import { checkAccess, periodStartDay, settleTokens, utcDay, type KeyPolicy, type RateState, type Refusal } from "./limits";
import { PriceTable, tokenCounts } from "./prices";
import type { Authorization, ClientKeyRecord, ClientKeyStore, UsageDelta } from "./store";

/** Who made a request, as auth resolved it. Never holds key material. */
export interface ClientIdentity {
  kind: "static" | "managed" | "open";
  id: string;
  name: string;
  last4: string;
}

/** What a request carries from admission to its usage record: recorded exactly once. */
export interface UsageTicket {
  identity: ClientIdentity;
  estimatedTokens: number;
  recorded: boolean;
}

/** Anthropic usage as the core saw it (any field may be missing or null). */
export interface ReportedUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  /** Claude's server tools; searches are priced per request (prices.ts WEB_SEARCH_PICO_USD). */
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
}

interface CachedAuth {
  auth: Authorization | null;
  fetchedAt: number;
  /** Sequence number (Tenancy.seq) of the lookup behind `auth`: writes confirmed before it are in its spend. */
  lookupSeq: number;
  /** A background refresh under way (at most one per key). */
  refreshing: boolean;
  rate: RateState;
  /** Costs recorded in this isolate that the store's spend may not include yet (pruned at each refresh). */
  ledger: LedgerEntry[];
}

interface LedgerEntry {
  pico: number;
  /** Sequence number at which the store confirmed the write that holds this cost; undefined until then. */
  writtenSeq?: number;
}

export interface TenancyOptions {
  store: ClientKeyStore;
  staticKeys: readonly string[];
  prices: PriceTable;
  log: Logger;
  now?: () => number;
  /** An authorisation younger than this is used as is. */
  freshMs?: number;
  /** …and up to this age it is used while a refresh runs in the background: the revocation bound. */
  maxStaleMs?: number;
  /**
   * Usage waits this long in the isolate so that the requests of a busy second share one
   * store write (default 1 s; the write runs under waitUntil, after the answer).
   */
  flushDelayMs?: number;
}

/** Identity of requests on a gateway without APIKEY (the offline demo): their usage is still shown. */
export const OPEN_IDENTITY: ClientIdentity = { kind: "open", id: "key_open", name: "open (no APIKEY)", last4: "" };

/**
 * Client keys at request time, per isolate: who is calling (static APIKEY keys without
 * any I/O; managed keys from an authorisation cached a few seconds), whether they may
 * (limits.ts against the cached policy, this isolate's spend and rate buckets), and what
 * they used (priced, batched, written to the store in the background).
 *
 * Revocation: an authorisation is used as is for `freshMs` (5 s), then while a
 * background refresh runs up to `maxStaleMs` (10 s); older, the request waits for the
 * store. A revoked or disabled key therefore stops everywhere within 10 s.
 */
export class Tenancy {
  readonly store: ClientKeyStore;
  readonly prices: PriceTable;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly freshMs: number;
  private readonly maxStaleMs: number;
  private readonly cache = new Map<string, CachedAuth>();
  private readonly staticIds: Promise<ClientIdentity[]>;
  private staticResolved: ClientIdentity[] | undefined;
  private readonly pending = new Map<string, UsageDelta>();
  /** Costs of `pending`, marked written when their batch is stored. */
  private pendingLedger: LedgerEntry[] = [];
  private scheduled = false;
  /**
   * Orders lookups and confirmed writes in this isolate (a clock could tie): a lookup that
   * began after a write was confirmed sees it, as the store serialises both.
   */
  private seq = 0;
  private readonly flushDelayMs: number;
  private readonly warnedModels = new Set<string>();

  constructor(opts: TenancyOptions) {
    this.store = opts.store;
    this.prices = opts.prices;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.freshMs = opts.freshMs ?? 5_000;
    this.maxStaleMs = opts.maxStaleMs ?? 10_000;
    this.flushDelayMs = opts.flushDelayMs ?? 1_000;
    this.staticIds = Promise.all(opts.staticKeys.map(async (k) => ({ kind: "static" as const, id: await staticKeyId(k), name: `static …${last4(k)}`, last4: last4(k) })));
    void this.staticIds.then((ids) => (this.staticResolved = ids));
  }

  /** The static keys' identities (APIKEY order). */
  staticIdentities(): Promise<ClientIdentity[]> {
    return this.staticIds;
  }

  /** The identity of APIKEY entry `index`: synchronous once the ids are computed (at startup). */
  staticIdentity(index: number): ClientIdentity | Promise<ClientIdentity> {
    const hit = this.staticResolved?.[index];
    return hit ?? this.staticIds.then((ids) => ids[index]!);
  }

  /**
   * A managed key's identity, or undefined when the presented key is not a live managed
   * key. At most one store round trip, and none while the cached authorisation is fresh.
   */
  async identifyManaged(presented: string, scope: Pick<RequestScope, "waitUntil">): Promise<ClientIdentity | undefined> {
    if (!looksManaged(presented)) return undefined;
    const hash = await hashSecret(presented);
    const entry = await this.authorization(hash, scope);
    const key = entry.auth?.key;
    if (!key) return undefined;
    const identity: ClientIdentity = { kind: "managed", id: key.id, name: key.name, last4: key.last4 };
    // The cache slot travels with the identity, invisible to JSON and logs.
    Object.defineProperty(identity, "hash", { value: hash, enumerable: false });
    return identity;
  }

  /**
   * Checks a request against its key's limits before the upstream call. Static and open
   * keys are unlimited. A managed key's rate buckets are taken here.
   */
  admit(identity: ClientIdentity, model: string, estimate: number | (() => number)): { ok: true; headers: Record<string, string>; ticket: UsageTicket } | Refusal {
    const ticket: UsageTicket = { identity, estimatedTokens: 0, recorded: false };
    if (identity.kind !== "managed") return { ok: true, headers: {}, ticket };
    const entry = this.cache.get(hashOf(identity));
    const key = entry?.auth?.key;
    if (!entry || !key) return { ok: true, headers: {}, ticket }; // evicted between identify and admit: identify just said it was live
    const now = this.now();
    // Only a tokens-per-minute limit needs the prompt estimated.
    const estimatedTokens = key.tpm === null ? 0 : typeof estimate === "number" ? estimate : estimate();
    ticket.estimatedTokens = estimatedTokens;
    const decision = checkAccess(policyOf(key), { model, now, spentPico: this.spentPico(entry), rate: entry.rate, estimatedTokens });
    if (!("ok" in decision)) return decision;
    entry.rate = decision.state;
    return { ok: true, headers: decision.headers, ticket };
  }

  /**
   * Records what a request used, once per ticket (a second call is ignored: failover
   * and error paths may both reach here). Priced now, written in the background.
   */
  record(ticket: UsageTicket, model: string, usage: ReportedUsage | null | undefined, estimated: boolean, scope: Pick<RequestScope, "waitUntil">): void {
    if (ticket.recorded) return;
    ticket.recorded = true;
    const now = this.now();
    const counts = tokenCounts(usage);
    const { pico, byFamily } = this.prices.costPicoUsd(model, counts);
    if (byFamily && !this.warnedModels.has(model) && this.warnedModels.size < 100) {
      this.warnedModels.add(model);
      this.log.warn("model_priced_by_family", { model, priced_as: this.prices.lookup(model).source, note: "not in the price table; add it to PRICES for exact costs" });
    }
    const id = ticket.identity;
    if (id.kind === "managed") {
      const entry = this.cache.get(hashOf(id));
      if (entry) {
        const cost: LedgerEntry = { pico };
        entry.ledger.push(cost);
        this.pendingLedger.push(cost);
        const total = counts.input + counts.output + counts.cacheRead + counts.cacheWrite5m + counts.cacheWrite1h;
        entry.rate = { ...entry.rate, tokens: settleTokens(entry.rate.tokens, ticket.estimatedTokens, total) };
      }
    }
    const day = utcDay(now);
    const slot = `${id.id}\n${model}\n${day}`;
    const d = this.pending.get(slot) ?? { keyId: id.id, model, day, requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costPico: 0, estimatedRequests: 0, familyPricedRequests: 0, at: now };
    d.requests += 1;
    d.inputTokens += counts.input;
    d.outputTokens += counts.output;
    d.cacheReadTokens += counts.cacheRead;
    d.cacheWriteTokens += counts.cacheWrite5m + counts.cacheWrite1h;
    d.reasoningTokens += usage?.output_tokens_details?.thinking_tokens ?? 0;
    d.costPico += pico;
    d.estimatedRequests += estimated ? 1 : 0;
    d.familyPricedRequests += byFamily ? 1 : 0;
    d.at = now;
    this.pending.set(slot, d);
    // The first request to record after a write schedules the next one, under its own
    // waitUntil: no request ever waits on a promise of another request's context.
    if (!this.scheduled) {
      this.scheduled = true;
      const delay = this.flushDelayMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, this.flushDelayMs)) : Promise.resolve();
      scope.waitUntil(
        delay.then(() => {
          this.scheduled = false;
          return this.flush();
        }),
      );
    }
  }

  /**
   * Writes everything pending in one store call (usage of the requests of the last
   * second, summed per key × model × day). A failed write is put back and goes out with
   * the next one.
   */
  flush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    const batch = [...this.pending.values()];
    const costs = this.pendingLedger;
    this.pending.clear();
    this.pendingLedger = [];
    return this.store.record(batch).then(
      () => {
        const seq = ++this.seq;
        for (const c of costs) c.writtenSeq = seq;
      },
      (err: unknown) => {
        for (const d of batch) this.requeue(d);
        this.pendingLedger.push(...costs);
        this.log.error("usage_write_failed", { rows: batch.length, error: err instanceof Error ? err.message : String(err), note: "kept in memory and retried with the next write" });
      },
    );
  }

  /** After an admin change in this isolate: the next request of the key reads the store. */
  forget(keyHash?: string): void {
    if (keyHash) this.cache.delete(keyHash);
    else this.cache.clear();
  }

  private requeue(d: UsageDelta): void {
    const slot = `${d.keyId}\n${d.model}\n${d.day}`;
    const cur = this.pending.get(slot);
    if (!cur) return void this.pending.set(slot, d);
    for (const f of ["requests", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens", "costPico", "estimatedRequests", "familyPricedRequests"] as const) cur[f] += d[f];
  }

  /**
   * This isolate's view of a key's spend this period: the store's, plus the costs recorded
   * here that the store's figure cannot include (not written before that lookup began).
   * A cost whose write was under way during the lookup may be counted twice for a few
   * seconds: the error is on the side of refusing early, never of overspending.
   */
  private spentPico(entry: CachedAuth): number {
    let local = 0;
    for (const e of entry.ledger) if (!included(e, entry.lookupSeq)) local += e.pico;
    return (entry.auth?.spentPico ?? 0) + local;
  }

  private async authorization(hash: string, scope: Pick<RequestScope, "waitUntil">): Promise<CachedAuth> {
    const now = this.now();
    let entry = this.cache.get(hash);
    if (entry) {
      const age = now - entry.fetchedAt;
      const key = entry.auth?.key;
      const samePeriod = !key || periodStartDay(key.budgetPeriod, now) === periodStartDay(key.budgetPeriod, entry.fetchedAt);
      if (age < this.freshMs && samePeriod) return entry;
      if (age < this.maxStaleMs && samePeriod) {
        if (!entry.refreshing) {
          entry.refreshing = true;
          scope.waitUntil(this.refresh(hash, entry).finally(() => (entry!.refreshing = false)));
        }
        return entry;
      }
      // Too old to trust: this request looks the key up itself (never awaiting another request's lookup).
      await this.refresh(hash, entry);
      return entry;
    }
    entry = { auth: null, fetchedAt: 0, lookupSeq: 0, refreshing: false, rate: {}, ledger: [] };
    if (this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, entry);
    await this.refresh(hash, entry);
    return entry;
  }

  private refresh(hash: string, entry: CachedAuth): Promise<void> {
    const startedAt = this.now();
    const seq = ++this.seq;
    return this.store.authorize(hash, startedAt).then(
      (auth) => {
        if (seq < entry.lookupSeq) return; // a later lookup already answered
        entry.auth = auth ?? null;
        entry.fetchedAt = startedAt;
        entry.lookupSeq = seq;
        entry.ledger = entry.ledger.filter((e) => !included(e, seq));
      },
      (err: unknown) => {
        // The store is unreachable: keep what we knew until it is too old to trust.
        this.log.error("client_key_lookup_failed", { error: err instanceof Error ? err.message : String(err) });
        if (this.now() - entry.fetchedAt >= this.maxStaleMs) throw err;
      },
    );
  }
}

/** Whether the lookup numbered `lookupSeq` saw this cost: its write had been confirmed before that lookup began. */
function included(e: LedgerEntry, lookupSeq: number): boolean {
  return e.writtenSeq !== undefined && e.writtenSeq < lookupSeq;
}

/** The cache key of a managed identity: its key hash, carried on the identity object but never serialised. */
function hashOf(identity: ClientIdentity): string {
  return (identity as ClientIdentity & { hash: string }).hash;
}

export function policyOf(key: ClientKeyRecord): KeyPolicy {
  return { id: key.id, name: key.name, disabled: key.disabled, expiresAt: key.expiresAt, models: key.models, rpm: key.rpm, tpm: key.tpm, budgetPico: key.budgetPico, budgetPeriod: key.budgetPeriod };
}

/**
 * The name under which the gateway keeps something for a client (signed thinking by tool
 * call id, Responses answer texts by message id): scoped to the client key, so that
 * another key asking for the same id finds nothing.
 */
export function ownedId(client: { readonly id: string } | undefined, id: string): string {
  return client ? `${client.id}/${id}` : id;
}
