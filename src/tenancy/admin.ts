import { z } from "zod";
import { last4, newClientKey, newKeyId } from "./key-material";
import { hashSecret } from "../hash";
import { periodResetsAt, periodStartDay, utcDay, type BudgetPeriod } from "./limits";
import { picoToUsd, usdToPico } from "./prices";
import type { ClientKeyPatch, ClientKeyView, UsageGroup, UsageRow } from "./store";
import type { ClientIdentity, Tenancy } from "./tenancy";

/**
 * The admin API and the billing endpoints as plain functions over the Tenancy: request
 * schemas, the JSON shapes scripts rely on (snake_case, ISO dates, USD), CSV. The HTTP
 * routes (src/http/routes/admin.ts, src/http/routes/billing.ts) only parse and answer.
 */

/** A problem with the caller's input: rendered as a 4xx OpenAI error by the route. */
export class AdminInputError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z")
  .transform((s) => Date.parse(s));
const limit = z.number().int().positive().max(1e9).nullable();
const modelList = z.array(z.string().trim().min(1).max(200)).max(200).nullable();

const keyFields = {
  name: z.string().trim().min(1).max(100),
  budget_usd: z.number().finite().nonnegative().max(1e6).nullable(),
  budget_period: z.enum(["day", "month", "total"]),
  rpm: limit,
  tpm: limit,
  models: modelList,
  expires_at: isoDate.nullable(),
  disabled: z.boolean(),
};

export const createKeySchema = z
  .object({ ...keyFields, budget_usd: keyFields.budget_usd.optional(), budget_period: keyFields.budget_period.optional(), rpm: limit.optional(), tpm: limit.optional(), models: modelList.optional(), expires_at: keyFields.expires_at.optional(), disabled: z.boolean().optional() })
  .strict();
export const patchKeySchema = z
  .object(keyFields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "send at least one field to change");

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.join(".");
  const unknown = issue.code === "unrecognized_keys" ? (issue as { keys?: string[] }).keys?.[0] : undefined;
  if (unknown) throw new AdminInputError(400, `Unknown field \`${unknown}\`. Key fields: name, budget_usd, budget_period, rpm, tpm, models, expires_at, disabled.`, unknown, "unknown_parameter");
  throw new AdminInputError(400, `${path ? `\`${path}\`: ` : ""}${issue.message}`, path || null, "invalid_value");
}

/** A key as the admin API shows it: never its material, only the last four characters. */
export interface KeyJson {
  id: string;
  object: "client_key";
  kind: "managed" | "static";
  name: string;
  last4: string;
  disabled: boolean;
  expires_at: string | null;
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: BudgetPeriod;
  spend_this_period_usd: number;
  period_resets_at: string | null;
  created_at: string | null;
  last_used_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function keyJson(k: ClientKeyView, now: number): KeyJson {
  return {
    id: k.id,
    object: "client_key",
    kind: "managed",
    name: k.name,
    last4: k.last4,
    disabled: k.disabled,
    expires_at: iso(k.expiresAt),
    models: k.models,
    rpm: k.rpm,
    tpm: k.tpm,
    budget_usd: k.budgetPico === null ? null : picoToUsd(k.budgetPico),
    budget_period: k.budgetPeriod,
    spend_this_period_usd: picoToUsd(k.spentPico),
    period_resets_at: iso(periodResetsAt(k.budgetPeriod, now)),
    created_at: iso(k.createdAt),
    last_used_at: iso(k.lastUsedAt),
  };
}

function staticKeyJson(id: ClientIdentity, spentPico: number, now: number): KeyJson {
  return {
    id: id.id,
    object: "client_key",
    kind: "static",
    name: id.name,
    last4: id.last4,
    disabled: false,
    expires_at: null,
    models: null,
    rpm: null,
    tpm: null,
    budget_usd: null,
    budget_period: "month",
    spend_this_period_usd: picoToUsd(spentPico),
    period_resets_at: iso(periodResetsAt("month", now)),
    created_at: null,
    last_used_at: null,
  };
}

/** A usage row as GET /admin/usage answers it (issue 11's shape, plus a few extras). */
export interface UsageJson {
  key_id: string | null;
  key_name: string | null;
  model: string | null;
  day: string | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  estimated: boolean;
  /** Extras: how many requests were estimated, or priced by their model's family. */
  estimated_requests: number;
  priced_by_family_requests: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface UsageParams {
  key?: string;
  model?: string;
  from?: string;
  to?: string;
  group_by?: string;
}

export function parseUsageParams(q: UsageParams): { keyId?: string; model?: string; from?: string; to?: string; groupBy?: UsageGroup } {
  for (const field of ["from", "to"] as const) {
    const v = q[field];
    if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(v)))) throw new AdminInputError(400, `\`${field}\` must be a UTC day as YYYY-MM-DD (inclusive), got ${JSON.stringify(v.slice(0, 40))}.`, field, "invalid_value");
  }
  if (q.from && q.to && q.from > q.to) throw new AdminInputError(400, "`from` is after `to`.", "from", "invalid_value");
  if (q.group_by !== undefined && !["day", "model", "key"].includes(q.group_by)) throw new AdminInputError(400, "`group_by` is one of day, model, key (or absent: one row per key, model and day).", "group_by", "invalid_value");
  return { keyId: q.key || undefined, model: q.model || undefined, from: q.from, to: q.to, groupBy: q.group_by as UsageGroup | undefined };
}

export const USAGE_CSV_COLUMNS = ["key_id", "key_name", "model", "day", "requests", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cost_usd", "estimated"] as const;

export function usageCsv(rows: UsageJson[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    // Quote what needs it; a leading =,+,-,@ would be a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [USAGE_CSV_COLUMNS.join(","), ...rows.map((r) => USAGE_CSV_COLUMNS.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}

/** USD with exact picodollars kept until here: 12 decimal places at most, no binary noise. */
const usdOf = (pico: number) => Number(picoToUsd(pico).toFixed(12));

export class AdminService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly now: () => number = Date.now,
  ) {}

  async create(body: unknown): Promise<KeyJson & { key: string }> {
    const b = parse(createKeySchema, body);
    const now = this.now();
    const material = newClientKey();
    const view = await this.tenancy.store.create({
      id: newKeyId(),
      name: b.name,
      keyHash: await hashSecret(material),
      last4: last4(material),
      disabled: b.disabled ?? false,
      expiresAt: b.expires_at ?? null,
      models: b.models ?? null,
      rpm: b.rpm ?? null,
      tpm: b.tpm ?? null,
      budgetPico: b.budget_usd == null ? null : usdToPico(b.budget_usd),
      budgetPeriod: b.budget_period ?? "month",
      createdAt: now,
    });
    return { ...keyJson(view, now), key: material };
  }

  async list(): Promise<KeyJson[]> {
    const now = this.now();
    const statics = await this.tenancy.staticIdentities();
    const [managed, spend] = await Promise.all([this.tenancy.store.list(now), this.tenancy.store.spendSince(statics.map((s) => s.id), periodStartDay("month", now))]);
    return [...statics.map((s) => staticKeyJson(s, spend[s.id] ?? 0, now)), ...managed.map((k) => keyJson(k, now))];
  }

  async get(id: string): Promise<KeyJson> {
    const now = this.now();
    const s = (await this.tenancy.staticIdentities()).find((x) => x.id === id);
    if (s) return staticKeyJson(s, (await this.tenancy.store.spendSince([s.id], periodStartDay("month", now)))[s.id] ?? 0, now);
    const k = await this.tenancy.store.get(id, now);
    if (!k || k.deletedAt !== null) throw notFound(id);
    return keyJson(k, now);
  }

  async patch(id: string, body: unknown): Promise<KeyJson> {
    await this.refuseStatic(id, "changed");
    const b = parse(patchKeySchema, body);
    const patch: ClientKeyPatch = {};
    if (b.name !== undefined) patch.name = b.name;
    if (b.disabled !== undefined) patch.disabled = b.disabled;
    if (b.expires_at !== undefined) patch.expiresAt = b.expires_at;
    if (b.models !== undefined) patch.models = b.models;
    if (b.rpm !== undefined) patch.rpm = b.rpm;
    if (b.tpm !== undefined) patch.tpm = b.tpm;
    if (b.budget_usd !== undefined) patch.budgetPico = b.budget_usd === null ? null : usdToPico(b.budget_usd);
    if (b.budget_period !== undefined) patch.budgetPeriod = b.budget_period;
    const now = this.now();
    const view = await this.tenancy.store.update(id, patch, now);
    if (!view) throw notFound(id);
    this.tenancy.forget(view.keyHash);
    return keyJson(view, now);
  }

  async revoke(id: string): Promise<{ id: string; object: "client_key"; deleted: true }> {
    await this.refuseStatic(id, "revoked here");
    const now = this.now();
    const view = await this.tenancy.store.get(id, now);
    if (!view || !(await this.tenancy.store.revoke(id, now))) throw notFound(id);
    this.tenancy.forget(view.keyHash);
    return { id, object: "client_key", deleted: true };
  }

  /** Usage rows with key names; unflushed usage of this isolate is written first. */
  async usage(params: UsageParams): Promise<{ object: "list"; group_by: UsageGroup | null; from: string | null; to: string | null; data: UsageJson[]; total: UsageJson }> {
    const q = parseUsageParams(params);
    await this.tenancy.flush();
    const [rows, names, statics] = await Promise.all([this.tenancy.store.usage(q), this.tenancy.store.names(), this.tenancy.staticIdentities()]);
    for (const s of statics) names[s.id] = s.name;
    const nameOf = (id: string | null) => (id === null ? null : (names[id] ?? (id === "key_open" ? "open (no APIKEY)" : null)));
    const data = rows.map((r) => usageJson(r, nameOf(r.keyId)));
    const total = usageJson(sumRows(rows), null);
    return { object: "list", group_by: q.groupBy ?? null, from: q.from ?? null, to: q.to ?? null, data, total };
  }

  private async refuseStatic(id: string, what: string): Promise<void> {
    if ((await this.tenancy.staticIdentities()).some((s) => s.id === id)) {
      throw new AdminInputError(409, `${id} is a static key from APIKEY; it cannot be ${what}. Remove it from APIKEY (and redeploy) to revoke it.`, "id", "static_key");
    }
  }
}

function notFound(id: string): AdminInputError {
  return new AdminInputError(404, `No client key with id ${JSON.stringify(id.slice(0, 80))}. GET /admin/keys lists them.`, "id", "key_not_found");
}

function usageJson(r: UsageRow, keyName: string | null): UsageJson {
  return {
    key_id: r.keyId,
    key_name: keyName,
    model: r.model,
    day: r.day,
    requests: r.requests,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cache_read_tokens: r.cacheReadTokens,
    cache_write_tokens: r.cacheWriteTokens,
    reasoning_tokens: r.reasoningTokens,
    cost_usd: usdOf(r.costPico),
    estimated: r.estimatedRequests > 0,
    estimated_requests: r.estimatedRequests,
    priced_by_family_requests: r.familyPricedRequests,
  };
}

export function sumRows(rows: UsageRow[]): UsageRow {
  const t: UsageRow = { keyId: null, model: null, day: null, requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costPico: 0, estimatedRequests: 0, familyPricedRequests: 0 };
  for (const r of rows) {
    t.requests += r.requests;
    t.inputTokens += r.inputTokens;
    t.outputTokens += r.outputTokens;
    t.cacheReadTokens += r.cacheReadTokens;
    t.cacheWriteTokens += r.cacheWriteTokens;
    t.reasoningTokens += r.reasoningTokens;
    t.costPico += r.costPico;
    t.estimatedRequests += r.estimatedRequests;
    t.familyPricedRequests += r.familyPricedRequests;
  }
  return t;
}

/** NextChat and one-api-style clients: what GET /dashboard/billing/* answer for the calling key. */
export class BillingService {
  constructor(
    private readonly tenancy: Tenancy,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `hard_limit_usd` is the key's budget; an unlimited key reports 100000000, as
   * one-api does, which NextChat shows as a (very) large balance. `access_until` is the
   * expiry in Unix seconds (0: none).
   */
  async subscription(identity: ClientIdentity) {
    await this.tenancy.flush();
    const now = this.now();
    const key = identity.kind === "managed" ? await this.tenancy.store.get(identity.id, now) : undefined;
    const period: BudgetPeriod = key?.budgetPeriod ?? "month";
    const spent = key ? key.spentPico : ((await this.tenancy.store.spendSince([identity.id], periodStartDay("month", now)))[identity.id] ?? 0);
    const limitUsd = key?.budgetPico != null ? usdOf(key.budgetPico) : 100_000_000;
    return {
      object: "billing_subscription",
      has_payment_method: true,
      canceled: false,
      canceled_at: null,
      delinquent: null,
      access_until: key?.expiresAt ? Math.floor(key.expiresAt / 1000) : 0,
      soft_limit: Math.round(limitUsd * 100),
      hard_limit: Math.round(limitUsd * 100),
      system_hard_limit: Math.round(limitUsd * 100),
      soft_limit_usd: limitUsd,
      hard_limit_usd: limitUsd,
      system_hard_limit_usd: limitUsd,
      plan: { title: key?.budgetPico != null ? `claude2api ${period} budget` : "claude2api", id: period },
      account_name: identity.name,
      po_number: null,
      billing_email: null,
      tax_ids: null,
      billing_address: null,
      business_address: null,
      // Ours: what the key spent in its current budget period and when that resets.
      claude2api: {
        key_id: identity.id,
        budget_period: period,
        spend_this_period_usd: usdOf(spent),
        remaining_usd: key?.budgetPico != null ? usdOf(Math.max(0, key.budgetPico - spent)) : null,
        period_resets_at: iso(periodResetsAt(period, now)),
      },
    };
  }

  /**
   * OpenAI's legacy usage: `start_date` inclusive, `end_date` exclusive (NextChat asks
   * from the first of the month to tomorrow), `total_usage` in cents.
   */
  async usage(identity: ClientIdentity, startDate: string | undefined, endDate: string | undefined) {
    const now = this.now();
    const start = startDate ?? periodStartDay("month", now)!;
    const end = endDate ?? utcDay(now + 86_400_000);
    for (const [name, v] of [["start_date", start], ["end_date", end]] as const) {
      if (!DAY.test(v) || Number.isNaN(Date.parse(v))) throw new AdminInputError(400, `\`${name}\` must be a day as YYYY-MM-DD, got ${JSON.stringify(v.slice(0, 40))}.`, name, "invalid_value");
    }
    const lastDay = utcDay(Date.parse(`${end}T00:00:00Z`) - 86_400_000);
    await this.tenancy.flush();
    const rows = start <= lastDay ? await this.tenancy.store.usage({ keyId: identity.id, from: start, to: lastDay }) : [];
    const byDay = new Map<string, Array<{ name: string; cost: number }>>();
    for (const r of rows) {
      const items = byDay.get(r.day!) ?? [];
      items.push({ name: r.model!, cost: usdOf(r.costPico) * 100 });
      byDay.set(r.day!, items);
    }
    const total = rows.reduce((s, r) => s + r.costPico, 0);
    return {
      object: "list",
      daily_costs: [...byDay].map(([day, line_items]) => ({ timestamp: Date.parse(`${day}T00:00:00Z`) / 1000, line_items })),
      total_usage: Number((picoToUsd(total) * 100).toFixed(10)),
    };
  }
}
