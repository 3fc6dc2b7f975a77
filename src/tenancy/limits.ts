/**
 * The limits of a managed client key, as pure functions of its policy, its spend and
 * its rate buckets: disabled, expiry, models, budget, requests and tokens per minute.
 * No I/O and no clock of their own (`now` is passed in), so each rule is tested alone.
 */

export type BudgetPeriod = "day" | "month" | "total";

export interface KeyPolicy {
  id: string;
  name: string;
  disabled: boolean;
  /** Epoch ms, or null for never. */
  expiresAt: number | null;
  /** Allowed model ids; an entry ending in `*` is a prefix. Null: every model. */
  models: string[] | null;
  rpm: number | null;
  tpm: number | null;
  /** Budget for the period in picodollars; null: unlimited. */
  budgetPico: number | null;
  budgetPeriod: BudgetPeriod;
}

/** A refusal, in the terms of OpenAI's error body and headers. */
export interface Refusal {
  status: 401 | 403 | 429;
  type: string;
  code: string;
  param: string | null;
  message: string;
  headers: Record<string, string>;
}

const DAY_MS = 86_400_000;
// The day of the last call, reused while calls stay inside it: every answer's usage row is
// named by its day, and formatting a Date each time showed in profiles under load.
let lastDay = { start: 0, end: 0, text: "" };

/** UTC day `YYYY-MM-DD` of an instant. */
export function utcDay(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.text;
  const start = Math.floor(ms / DAY_MS) * DAY_MS;
  const text = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(start)) lastDay = { start, end: start + DAY_MS, text };
  return text;
}

/** First UTC day of the period that contains `now` (null for `total`: since the beginning). */
export function periodStartDay(period: BudgetPeriod, now: number): string | null {
  if (period === "total") return null;
  const day = utcDay(now);
  return period === "day" ? day : `${day.slice(0, 7)}-01`;
}

/** When the period that contains `now` ends (epoch ms); null for `total`. */
export function periodResetsAt(period: BudgetPeriod, now: number): number | null {
  const d = new Date(now);
  if (period === "day") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  if (period === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return null;
}

/** `models` entries are ids, or prefixes when they end in `*`; null or empty allows everything. */
export function modelAllowed(models: readonly string[] | null, model: string): boolean {
  if (!models || models.length === 0) return true;
  const id = model.toLowerCase();
  return models.some((m) => {
    const entry = m.toLowerCase();
    return entry.endsWith("*") ? id.startsWith(entry.slice(0, -1)) : id === entry;
  });
}

/**
 * A token bucket, OpenAI's model of rate limits: `capacity` per minute, refilled
 * continuously. It may go negative when a request used more tokens than estimated; the
 * key then waits until the debt is refilled.
 */
export interface Bucket {
  level: number;
  at: number;
}

export function refill(bucket: Bucket | undefined, capacity: number, now: number): Bucket {
  if (!bucket) return { level: capacity, at: now };
  const level = Math.min(capacity, bucket.level + ((now - bucket.at) * capacity) / 60_000);
  return { level, at: Math.max(now, bucket.at) };
}

/** Milliseconds until the bucket holds `need` (0 when it already does). */
export function msUntil(bucket: Bucket, capacity: number, need: number): number {
  if (bucket.level >= need || capacity <= 0) return 0;
  return Math.ceil(((need - bucket.level) * 60_000) / capacity);
}

/** OpenAI's duration style for x-ratelimit-reset-*: `20ms`, `1.5s`, `6m0s`. */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms - m * 60_000) / 1000)}s`;
}

export interface RateState {
  requests?: Bucket;
  tokens?: Bucket;
}

export interface Admission {
  ok: true;
  /** Buckets after taking this request (the caller keeps them). */
  state: RateState;
  headers: Record<string, string>;
}

export interface AccessInput {
  model: string;
  now: number;
  /** Spend in the key's current period, picodollars (as far as this isolate knows). */
  spentPico: number;
  rate: RateState;
  /** Tokens this request is expected to use (prompt estimate); corrected after the answer. */
  estimatedTokens: number;
}

/**
 * Decides whether a request of this key may go upstream, in the order an operator would
 * want the reason: disabled, expired, model, budget, requests per minute, tokens per
 * minute. The x-ratelimit-* headers count what remains after this request, as OpenAI's do.
 */
export function checkAccess(policy: KeyPolicy, input: AccessInput): Admission | Refusal {
  const { now } = input;
  const requests = policy.rpm !== null ? refill(input.rate.requests, policy.rpm, now) : undefined;
  const tokens = policy.tpm !== null ? refill(input.rate.tokens, policy.tpm, now) : undefined;
  const headersFor = (req: Bucket | undefined, tok: Bucket | undefined) => rateHeaders(policy, req, tok);

  if (policy.disabled) return refuse(401, "invalid_request_error", "key_disabled", null, `The API key "${policy.name}" is disabled. Ask the gateway's operator to enable it.`, headersFor(requests, tokens));
  if (policy.expiresAt !== null && now >= policy.expiresAt) {
    return refuse(401, "invalid_request_error", "key_expired", null, `The API key "${policy.name}" expired at ${new Date(policy.expiresAt).toISOString()}. Ask the gateway's operator for a new key.`, headersFor(requests, tokens));
  }
  if (!modelAllowed(policy.models, input.model)) {
    return refuse(403, "permission_error", "model_not_allowed", "model", `The API key "${policy.name}" may not use the model \`${input.model}\`. Allowed: ${policy.models!.join(", ")}.`, headersFor(requests, tokens));
  }
  if (policy.budgetPico !== null && input.spentPico >= policy.budgetPico) {
    const resets = periodResetsAt(policy.budgetPeriod, now);
    const when = resets === null ? "This budget is for the key's whole life and does not reset; ask the operator to raise budget_usd." : `The budget resets at ${new Date(resets).toISOString()}.`;
    const period = policy.budgetPeriod === "total" ? "in total" : `this ${policy.budgetPeriod} (UTC)`;
    return refuse(429, "insufficient_quota", "insufficient_quota", null, `The API key "${policy.name}" has used its budget of ${usd(policy.budgetPico)} ${period} (spent ${usd(input.spentPico)}). ${when}`, headersFor(requests, tokens));
  }
  if (requests && policy.rpm !== null && requests.level < 1) {
    const wait = msUntil(requests, policy.rpm, 1);
    return refuse(429, "requests", "rate_limit_exceeded", null, `Rate limit reached for the API key "${policy.name}" on requests per minute: limit ${policy.rpm}. Try again in ${formatResetDuration(wait)}.`, { ...headersFor(requests, tokens), "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) });
  }
  if (tokens && policy.tpm !== null && tokens.level <= 0) {
    const wait = msUntil(tokens, policy.tpm, 1);
    return refuse(429, "tokens", "rate_limit_exceeded", null, `Rate limit reached for the API key "${policy.name}" on tokens per minute: limit ${policy.tpm}. Try again in ${formatResetDuration(wait)}.`, { ...headersFor(requests, tokens), "retry-after": String(Math.max(1, Math.ceil(wait / 1000))) });
  }
  const state: RateState = {
    requests: requests && { level: requests.level - 1, at: requests.at },
    tokens: tokens && { level: tokens.level - input.estimatedTokens, at: tokens.at },
  };
  return { ok: true, state, headers: headersFor(state.requests, state.tokens) };
}

/** Corrects the token bucket once the real count is known (estimate taken at admission). */
export function settleTokens(bucket: Bucket | undefined, estimated: number, actual: number): Bucket | undefined {
  return bucket && { level: bucket.level + estimated - actual, at: bucket.at };
}

/** OpenAI's x-ratelimit-* headers for a key with rpm and/or tpm; none for an unlimited key. */
export function rateHeaders(policy: Pick<KeyPolicy, "rpm" | "tpm">, requests: Bucket | undefined, tokens: Bucket | undefined): Record<string, string> {
  const h: Record<string, string> = {};
  if (policy.rpm !== null && requests) {
    h["x-ratelimit-limit-requests"] = String(policy.rpm);
    h["x-ratelimit-remaining-requests"] = String(Math.max(0, Math.floor(requests.level)));
    h["x-ratelimit-reset-requests"] = formatResetDuration(msUntil(requests, policy.rpm, policy.rpm));
  }
  if (policy.tpm !== null && tokens) {
    h["x-ratelimit-limit-tokens"] = String(policy.tpm);
    h["x-ratelimit-remaining-tokens"] = String(Math.max(0, Math.floor(tokens.level)));
    h["x-ratelimit-reset-tokens"] = formatResetDuration(msUntil(tokens, policy.tpm, policy.tpm));
  }
  return h;
}

function refuse(status: Refusal["status"], type: string, code: string, param: string | null, message: string, headers: Record<string, string>): Refusal {
  return { status, type, code, param, message, headers };
}

/** Dollars for a message: cents, or more digits below a cent. */
export function usd(pico: number): string {
  const v = pico / 1e12;
  return `$${v >= 0.01 || v === 0 ? v.toFixed(2) : v.toPrecision(2)}`;
}
