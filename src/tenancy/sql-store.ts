import { periodStartDay, type BudgetPeriod } from "./limits";
import type { Authorization, ClientKeyPatch, ClientKeyRecord, ClientKeyView, NewClientKey, UsageDelta, UsageQuery, UsageRow } from "./store";

export type SqlValue = string | number | null;
/** Runs one statement and returns its rows: DO storage's `sql.exec(...).toArray()`, node:sqlite's `prepare(...).all(...)`. */
export type Sql = (query: string, ...params: SqlValue[]) => Record<string, unknown>[];

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS client_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    last4 TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER,
    models TEXT,
    rpm INTEGER,
    tpm INTEGER,
    budget_micro INTEGER,
    budget_period TEXT NOT NULL DEFAULT 'month',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_used_at INTEGER,
    deleted_at INTEGER
  )`,
  `CREATE TABLE IF NOT EXISTS usage_daily (
    key_id TEXT NOT NULL,
    model TEXT NOT NULL,
    day TEXT NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens INTEGER NOT NULL DEFAULT 0,
    cost_pico INTEGER NOT NULL DEFAULT 0,
    estimated_requests INTEGER NOT NULL DEFAULT 0,
    family_priced_requests INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, day, model)
  )`,
];

/** Budgets are kept in whole microdollars: a picodollar budget of $10,000 would not fit a JavaScript integer. */
const microOf = (pico: number | null): number | null => (pico === null ? null : Math.round(pico / 1e6));

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

function toRecord(r: Record<string, unknown>): ClientKeyRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    keyHash: String(r.key_hash),
    last4: String(r.last4),
    disabled: num(r.disabled) !== 0,
    expiresAt: numOrNull(r.expires_at),
    models: typeof r.models === "string" ? (JSON.parse(r.models) as string[]) : null,
    rpm: numOrNull(r.rpm),
    tpm: numOrNull(r.tpm),
    budgetPico: r.budget_micro === null || r.budget_micro === undefined ? null : num(r.budget_micro) * 1e6,
    budgetPeriod: String(r.budget_period) as BudgetPeriod,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    lastUsedAt: numOrNull(r.last_used_at),
    deletedAt: numOrNull(r.deleted_at),
  };
}

/**
 * A sum of picodollars passes 2^53 (JavaScript's exact integers) beyond $9,007, and both
 * SQLite drivers refuse to hand such an integer over: sum whole microdollars and the
 * picodollar remainders apart, and join them in JavaScript (exact below $9,007, within
 * 10^-16 of it above).
 */
const COST_SUM = "SUM(cost_pico / 1000000) AS cost_micro, SUM(cost_pico % 1000000) AS cost_rem";
const costOf = (r: Record<string, unknown>) => num(r.cost_micro) * 1e6 + num(r.cost_rem);

const SUMS = `SUM(requests) AS requests, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
  SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens,
  SUM(reasoning_tokens) AS reasoning_tokens, ${COST_SUM},
  SUM(estimated_requests) AS estimated_requests, SUM(family_priced_requests) AS family_priced_requests`;

/**
 * Client keys and usage in SQLite, written once for both runtimes: the ClientKeysDO
 * (Workers) and a node:sqlite file (Node) hand it their synchronous `sql`. Usage is one
 * row per key × UTC day × model, added to in place: a month of traffic is a few
 * thousand rows, and the spend of a period is a sum over its days.
 */
export class ClientKeysDb {
  constructor(
    private readonly sql: Sql,
    private readonly transaction: <T>(fn: () => T) => T = (fn) => fn(),
  ) {
    for (const statement of SCHEMA) sql(statement);
    // Databases made before budgets moved to microdollars (budget_pico) get the column.
    const columns = sql("PRAGMA table_info(client_keys)").map((c) => String(c.name));
    if (!columns.includes("budget_micro")) sql("ALTER TABLE client_keys ADD COLUMN budget_micro INTEGER");
  }

  create(k: NewClientKey): ClientKeyView {
    this.sql(
      `INSERT INTO client_keys (id, name, key_hash, last4, disabled, expires_at, models, rpm, tpm, budget_micro, budget_period, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      k.id, k.name, k.keyHash, k.last4, k.disabled ? 1 : 0, k.expiresAt, k.models ? JSON.stringify(k.models) : null, k.rpm, k.tpm, microOf(k.budgetPico), k.budgetPeriod, k.createdAt, k.createdAt,
    );
    return { ...k, updatedAt: k.createdAt, lastUsedAt: null, deletedAt: null, spentPico: 0 };
  }

  list(now: number): ClientKeyView[] {
    return this.sql("SELECT * FROM client_keys WHERE deleted_at IS NULL ORDER BY created_at, id").map((r) => this.withSpend(toRecord(r), now));
  }

  get(id: string, now: number): ClientKeyView | undefined {
    const row = this.sql("SELECT * FROM client_keys WHERE id = ?", id)[0];
    return row ? this.withSpend(toRecord(row), now) : undefined;
  }

  update(id: string, patch: ClientKeyPatch, now: number): ClientKeyView | undefined {
    const cols: string[] = [];
    const vals: SqlValue[] = [];
    const set = (col: string, v: SqlValue) => {
      cols.push(`${col} = ?`);
      vals.push(v);
    };
    if (patch.name !== undefined) set("name", patch.name);
    if (patch.disabled !== undefined) set("disabled", patch.disabled ? 1 : 0);
    if (patch.expiresAt !== undefined) set("expires_at", patch.expiresAt);
    if (patch.models !== undefined) set("models", patch.models ? JSON.stringify(patch.models) : null);
    if (patch.rpm !== undefined) set("rpm", patch.rpm);
    if (patch.tpm !== undefined) set("tpm", patch.tpm);
    if (patch.budgetPico !== undefined) set("budget_micro", microOf(patch.budgetPico));
    if (patch.budgetPeriod !== undefined) set("budget_period", patch.budgetPeriod);
    set("updated_at", now);
    this.sql(`UPDATE client_keys SET ${cols.join(", ")} WHERE id = ? AND deleted_at IS NULL`, ...vals, id);
    const key = this.get(id, now);
    return key && key.deletedAt === null ? key : undefined;
  }

  revoke(id: string, now: number): boolean {
    const live = this.sql("SELECT id FROM client_keys WHERE id = ? AND deleted_at IS NULL", id).length > 0;
    if (live) this.sql("UPDATE client_keys SET deleted_at = ?, updated_at = ? WHERE id = ?", now, now, id);
    return live;
  }

  authorize(keyHash: string, now: number): Authorization | undefined {
    const row = this.sql("SELECT * FROM client_keys WHERE key_hash = ? AND deleted_at IS NULL", keyHash)[0];
    if (!row) return undefined;
    const { spentPico, ...key } = this.withSpend(toRecord(row), now);
    return { key, spentPico };
  }

  record(deltas: readonly UsageDelta[]): void {
    this.transaction(() => {
      for (const d of deltas) {
        this.sql(
          `INSERT INTO usage_daily (key_id, model, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_pico, estimated_requests, family_priced_requests)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key_id, day, model) DO UPDATE SET
             requests = requests + excluded.requests,
             input_tokens = input_tokens + excluded.input_tokens,
             output_tokens = output_tokens + excluded.output_tokens,
             cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
             cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
             reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
             cost_pico = cost_pico + excluded.cost_pico,
             estimated_requests = estimated_requests + excluded.estimated_requests,
             family_priced_requests = family_priced_requests + excluded.family_priced_requests`,
          d.keyId, d.model, d.day, d.requests, d.inputTokens, d.outputTokens, d.cacheReadTokens, d.cacheWriteTokens, d.reasoningTokens, d.costPico, d.estimatedRequests, d.familyPricedRequests,
        );
        this.sql("UPDATE client_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?", d.at, d.keyId);
      }
    });
  }

  usage(q: UsageQuery): UsageRow[] {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.keyId) (where.push("key_id = ?"), params.push(q.keyId));
    if (q.model) (where.push("model = ?"), params.push(q.model));
    if (q.from) (where.push("day >= ?"), params.push(q.from));
    if (q.to) (where.push("day <= ?"), params.push(q.to));
    const dims = q.groupBy === "day" ? ["day"] : q.groupBy === "model" ? ["model"] : q.groupBy === "key" ? ["key_id"] : ["day", "key_id", "model"];
    const rows = this.sql(`SELECT ${dims.join(", ")}, ${SUMS} FROM usage_daily ${where.length ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY ${dims.join(", ")} ORDER BY ${dims.join(", ")}`, ...params);
    return rows.map((r) => ({
      keyId: dims.includes("key_id") ? String(r.key_id) : null,
      model: dims.includes("model") ? String(r.model) : null,
      day: dims.includes("day") ? String(r.day) : null,
      requests: num(r.requests),
      inputTokens: num(r.input_tokens),
      outputTokens: num(r.output_tokens),
      cacheReadTokens: num(r.cache_read_tokens),
      cacheWriteTokens: num(r.cache_write_tokens),
      reasoningTokens: num(r.reasoning_tokens),
      costPico: costOf(r),
      estimatedRequests: num(r.estimated_requests),
      familyPricedRequests: num(r.family_priced_requests),
    }));
  }

  spendSince(ids: readonly string[], fromDay: string | null): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of ids) out[id] = this.spend(id, fromDay);
    return out;
  }

  names(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of this.sql("SELECT id, name FROM client_keys")) out[String(r.id)] = String(r.name);
    return out;
  }

  private spend(keyId: string, fromDay: string | null): number {
    const row = fromDay === null ? this.sql(`SELECT ${COST_SUM} FROM usage_daily WHERE key_id = ?`, keyId)[0] : this.sql(`SELECT ${COST_SUM} FROM usage_daily WHERE key_id = ? AND day >= ?`, keyId, fromDay)[0];
    return row ? costOf(row) : 0;
  }

  private withSpend(key: ClientKeyRecord, now: number): ClientKeyView {
    return { ...key, spentPico: this.spend(key.id, periodStartDay(key.budgetPeriod, now)) };
  }
}
