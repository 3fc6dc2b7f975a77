import type { KeyPolicy } from "./limits";

/**
 * Where managed client keys and usage live: a SQLite-backed Durable Object on Workers
 * (ClientKeysDO), a node:sqlite file under DATA_DIR on Node. Both run the same SQL
 * (sql-store.ts) behind this interface.
 *
 * A key record is its policy (the fields the limits read) plus what the store keeps beside it.
 */
export interface ClientKeyRecord extends KeyPolicy {
  /** Hex SHA-256 of the key: how a presented key is found. The key itself is never stored. */
  keyHash: string;
  last4: string;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
  /** Revoked (DELETE): kept so that its usage keeps a name and its hash is never accepted again. */
  deletedAt: number | null;
}

/** A key as listed: with what it spent in its current period. */
export type ClientKeyView = ClientKeyRecord & { spentPico: number };

export type NewClientKey = Omit<ClientKeyRecord, "updatedAt" | "lastUsedAt" | "deletedAt">;

export type ClientKeyPatch = Partial<Pick<ClientKeyRecord, "name" | "disabled" | "expiresAt" | "models" | "rpm" | "tpm" | "budgetPico" | "budgetPeriod">>;

/** Usage to add to one key × model × UTC day. */
export interface UsageDelta {
  keyId: string;
  model: string;
  day: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costPico: number;
  /** Requests whose tokens were estimated (an aborted stream without the upstream's count). */
  estimatedRequests: number;
  /** Requests of a model missing from the price table (priced by its family). */
  familyPricedRequests: number;
  /** When the last of these requests was made (epoch ms): the key's last_used_at. */
  at: number;
}

export type UsageGroup = "day" | "model" | "key";

export interface UsageQuery {
  keyId?: string;
  model?: string;
  /** `YYYY-MM-DD`, inclusive. */
  from?: string;
  to?: string;
  /** Without: one row per key × model × day. */
  groupBy?: UsageGroup;
}

/** A usage row; the dimensions summed over by `groupBy` are null. */
export interface UsageRow {
  keyId: string | null;
  model: string | null;
  day: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costPico: number;
  estimatedRequests: number;
  familyPricedRequests: number;
}

/** What auth needs of a managed key, in one round trip. */
export interface Authorization {
  key: ClientKeyRecord;
  /** Spent in the key's current period (as of `now`), picodollars. */
  spentPico: number;
}

export interface ClientKeyStore {
  create(key: NewClientKey): Promise<ClientKeyView>;
  /** Keys not revoked, oldest first, each with its spend this period. */
  list(now: number): Promise<ClientKeyView[]>;
  /** A key by id (revoked keys too, with deletedAt set). */
  get(id: string, now: number): Promise<ClientKeyView | undefined>;
  update(id: string, patch: ClientKeyPatch, now: number): Promise<ClientKeyView | undefined>;
  /** Revokes: the key stops working; its usage stays. False when there is no such live key. */
  revoke(id: string, now: number): Promise<boolean>;
  /** A live (not revoked) key by the hash of its material, with its spend this period. */
  authorize(keyHash: string, now: number): Promise<Authorization | undefined>;
  record(deltas: UsageDelta[]): Promise<void>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  /** Spend per key id since a day (inclusive; null: ever), picodollars. */
  spendSince(ids: readonly string[], fromDay: string | null): Promise<Record<string, number>>;
  /** Id → name of every key ever made (revoked included), for usage rows. */
  names(): Promise<Record<string, string>>;
}
