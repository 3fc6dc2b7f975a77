import { z } from "zod";
import type { PlatformName } from "./platforms/anthropic-shaped";
import { parseModelMap, type ModelMap } from "./platforms/model-map";
import { parseServiceAccount, type ServiceAccount } from "./platforms/vertex/service-account";
import { parsePriceOverrides, type ModelPrice } from "./tenancy/prices";

/**
 * Everything the operator can set, as Worker vars/secrets (or environment variables
 * on Node). Parsed once per isolate; the names from the seed project (APIKEY,
 * CHAT_DELETE, MAX_CHAT_HISTORY_LENGTH, ADDRESS) keep their meaning.
 */
const list = z
  .string()
  .optional()
  .transform((s) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean));

const optionalText = z
  .string()
  .optional()
  .transform((s) => s?.trim() || undefined);

const PLATFORMS: readonly PlatformName[] = ["anthropic", "bedrock", "vertex"];

const bool = (fallback: boolean) =>
  z
    .union([z.string(), z.boolean()])
    .optional()
    .transform((v) => {
      if (v === undefined || v === "") return fallback;
      if (typeof v === "boolean") return v;
      return !["0", "false", "no", "off"].includes(v.trim().toLowerCase());
    });

const int = (fallback: number) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = typeof v === "number" ? v : Number(v.trim());
      if (!Number.isFinite(n) || n < 0) {
        ctx.addIssue({ code: "custom", message: `expected a non-negative number, got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      return Math.floor(n);
    });

/**
 * An outbound proxy URL, `http://[user:pass@]host:port` (a bare `host:port` means http://,
 * as in curl). An error never quotes the value: it may carry the proxy's password.
 */
const proxyUrl = z
  .string()
  .optional()
  .transform((s, ctx): string | undefined => {
    const v = s?.trim();
    if (!v) return undefined;
    let url: URL;
    try {
      url = new URL(v.includes("://") ? v : `http://${v}`);
    } catch {
      ctx.addIssue({ code: "custom", message: "not a URL: expected http://[user:pass@]host:port (the value is not repeated here: it may hold a password)" });
      return z.NEVER;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: `a ${url.protocol}// proxy is not supported: use an HTTP proxy, http://[user:pass@]host:port (HTTP CONNECT for https upstreams)` });
      return z.NEVER;
    }
    return url.href;
  });

export const configSchema = z.object({
  APIKEY: list,
  ANTHROPIC_API_KEYS: list,
  ANTHROPIC_BASE_URL: z.string().url().optional().default("https://api.anthropic.com"),
  ANTHROPIC_VERSION: z.enum(["2023-06-01", "2026-10-21"]).optional().default("2023-06-01"),
  /**
   * `anthropic` (the default, and what a deployment gets), `simulator` (the built-in
   * Claude simulator), or `auto` (simulator while no ANTHROPIC_API_KEYS are set: what
   * `npm start` uses, so a fresh clone answers offline).
   */
  UPSTREAM: z.enum(["anthropic", "simulator", "auto"]).optional().default("anthropic"),
  DEFAULT_MAX_TOKENS: int(32000),
  /** `reasoning_content` (default), `think_tags` (`<think>…</think>` inside content) or `hidden`. */
  REASONING_OUTPUT: z.enum(["reasoning_content", "think_tags", "hidden"]).optional().default("reasoning_content"),
  PASSTHROUGH_KEYS: bool(false),
  CHAT_DELETE: bool(true),
  MAX_CHAT_HISTORY_LENGTH: int(0),
  UPLOAD_THRESHOLD_BYTES: int(1024 * 1024),
  FILE_IDLE_SECONDS: int(3600),
  AUTO_CACHE: bool(true),
  /**
   * TTL of the gateway's own cache breakpoints. 5m (default): writes cost 1.25× and a
   * chat turn usually follows within minutes; 1h writes cost 2× and pay off only for
   * chats with long pauses. Client breakpoints keep the ttl they carry.
   */
  AUTO_CACHE_TTL: z.enum(["5m", "1h"]).optional().default("5m"),
  UPSTREAM_TIMEOUT_MS: int(300_000),
  STREAM_KEEPALIVE_MS: int(15_000),
  MODELS_CACHE_SECONDS: int(3600),
  MAX_UPSTREAM_ATTEMPTS: int(3),
  /**
   * When every usable key is rate limited and the soonest recovers within this many ms,
   * a request waits for it instead of getting the gateway's own 429. 0 = never wait.
   */
  POOL_WAIT_MS: int(5_000),
  /**
   * The largest request body accepted, in bytes (100 MB: the Workers limit on the Free
   * and Pro plans). Attachments above UPLOAD_THRESHOLD_BYTES stream out of the body into
   * the Files API, so a 25 MB PDF inline (a 34 MB body) works although Anthropic's own
   * request limit is 32 MB. A larger body is answered 413.
   */
  MAX_REQUEST_BYTES: int(100_000_000),
  /**
   * Claude's web search server tool, offered when a client asks for it (`web_search_options`,
   * a `-search` model, the Responses `web_search` tool). `off`: such requests are a 400
   * naming this setting. Billed by Anthropic per search.
   */
  WEB_SEARCH: bool(true),
  /** Claude's web fetch tool, offered alongside search. Off by default: it fetches any URL a prompt names. */
  WEB_FETCH: bool(false),
  /** Only these domains (and their subdomains) may appear in search results and be fetched. Comma-separated. */
  WEB_SEARCH_ALLOWED_DOMAINS: list,
  /** These domains never appear in results and are never fetched (ignored while an allowed list applies). */
  WEB_SEARCH_BLOCKED_DOMAINS: list,
  /** Upper bound on searches (and fetches) per request, whatever the client asks; 0 = no cap. */
  WEB_SEARCH_MAX_USES: int(0),
  /** Ask Claude for citations on every PDF and text document (`file` parts); per part with `"citations": true` otherwise. */
  CITATIONS: bool(false),
  /** Emit OpenRouter-style `reasoning_details` (signed thinking clients echo back) on messages and deltas. */
  REASONING_DETAILS: bool(true),
  /**
   * The operator's key for the admin API (client keys, usage) and the status page.
   * Unset: those answer 503 and say so. Never a client key.
   */
  ADMIN_KEY: z
    .string()
    .optional()
    .transform((s) => s?.trim() || undefined)
    .refine((s) => s === undefined || s.length >= 16, "ADMIN_KEY must be at least 16 characters (it guards every client key and all usage)"),
  /**
   * Node only: the outbound proxy for every upstream call (src/platforms/outbound-proxy.ts).
   * HTTPS_PROXY for https upstreams (HTTP CONNECT), HTTP_PROXY for http ones, NO_PROXY the
   * hosts that bypass it; lower-case forms are read too (and win, as in curl and Node).
   * PROXY is the seed project's name: both, unless HTTPS_PROXY / HTTP_PROXY say otherwise.
   * A Worker cannot use a proxy and refuses every request while one is set.
   */
  HTTPS_PROXY: proxyUrl,
  HTTP_PROXY: proxyUrl,
  PROXY: proxyUrl,
  NO_PROXY: z.string().optional().transform((s) => s?.trim() || undefined),
  /** Node only: directory of the client key and usage database (client-keys.sqlite). Unset: kept in memory. */
  DATA_DIR: z.string().optional().transform((s) => s?.trim() || undefined),
  /** JSON price overrides per model ($ per million tokens), on top of the built-in table (src/tenancy/prices.ts). */
  PRICES: z
    .string()
    .optional()
    .transform((s, ctx): Record<string, ModelPrice> | undefined => {
      if (!s?.trim()) return undefined;
      try {
        return parsePriceOverrides(s);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    }),
  /** Amazon Bedrock (docs/platforms.md): the region of the bedrock-runtime endpoint and of the SigV4 scope. */
  BEDROCK_REGION: optionalText,
  BEDROCK_ACCESS_KEY_ID: optionalText,
  BEDROCK_SECRET_ACCESS_KEY: optionalText,
  BEDROCK_SESSION_TOKEN: optionalText,
  /** A Bedrock API key (bearer), instead of the access key pair. */
  BEDROCK_API_KEY: optionalText,
  /** Cross-region inference profile prefix (`global.`, `us.`, `eu.`, `apac.`, `jp.`, `au.`, or `none`); unset: `global.` where the model has one. */
  BEDROCK_MODEL_PREFIX: optionalText.refine((s) => s === undefined || /^(none|[a-z-]+\.?)$/.test(s), "BEDROCK_MODEL_PREFIX must be a profile prefix such as global., us., eu., apac., or none"),
  BEDROCK_BASE_URL: z.string().url().optional(),
  /** The service account key JSON (secret). */
  VERTEX_SERVICE_ACCOUNT: z
    .string()
    .optional()
    .transform((s, ctx): ServiceAccount | undefined => {
      if (!s?.trim()) return undefined;
      try {
        return parseServiceAccount(s);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    }),
  VERTEX_REGION: z.string().optional().transform((s) => s?.trim() || "global"),
  VERTEX_PROJECT_ID: optionalText,
  VERTEX_BASE_URL: z.string().url().optional(),
  /** Platform priority (`bedrock,vertex,anthropic`); unset: load is spread over every member. */
  POOL_ORDER: list.refine((l) => l.every((p) => PLATFORMS.includes(p as PlatformName)), "POOL_ORDER lists platforms: anthropic, bedrock, vertex"),
  /** Platform model ids the built-in tables lack or get wrong for this account (JSON by platform). */
  MODEL_MAP: z
    .string()
    .optional()
    .transform((s, ctx): ModelMap => {
      try {
        return parseModelMap(s);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: e instanceof Error ? e.message : String(e) });
        return z.NEVER;
      }
    }),
});

export type Config = Omit<z.output<typeof configSchema>, "UPSTREAM"> & { UPSTREAM: "anthropic" | "simulator" };

/** Parses env into a typed Config; throws an Error naming every bad variable. */
export function parseConfig(env: Record<string, unknown>): Config {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) if (typeof env[key] === "string" || typeof env[key] === "number" || typeof env[key] === "boolean") picked[key] = env[key];
  // Proxy variables are conventionally lower-case too; lower-case wins, as in curl and Node.
  for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"]) {
    const lower = env[name.toLowerCase()];
    if (typeof lower === "string" && lower.trim()) picked[name] = lower;
  }
  const result = configSchema.safeParse(picked);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`claude2api: invalid configuration: ${problems}`);
  }
  const data = result.data;
  if (data.ADMIN_KEY && data.APIKEY.includes(data.ADMIN_KEY)) {
    throw new Error("claude2api: invalid configuration: ADMIN_KEY: must differ from every APIKEY entry (the admin key is not a client key)");
  }
  checkPlatforms(data);
  const platformsSet = Boolean(data.BEDROCK_REGION || data.VERTEX_SERVICE_ACCOUNT);
  const upstream = data.UPSTREAM === "auto" ? (data.ANTHROPIC_API_KEYS.length || platformsSet ? "anthropic" : "simulator") : data.UPSTREAM;
  return { ...data, UPSTREAM: upstream };
}

/**
 * BEDROCK_REGION and VERTEX_REGION name one region or several, comma-separated: each region
 * is its own pool member (its own quota and health), with the same credentials.
 */
export function regionsOf(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(",").map((r) => r.trim()).filter(Boolean))];
}

const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Half-configured platforms are startup errors naming what is missing, not 500s on the first request. */
function checkPlatforms(data: z.output<typeof configSchema>): void {
  const fail = (problem: string) => {
    throw new Error(`claude2api: invalid configuration: ${problem}`);
  };
  const bedrockSet = [data.BEDROCK_ACCESS_KEY_ID, data.BEDROCK_SECRET_ACCESS_KEY, data.BEDROCK_SESSION_TOKEN, data.BEDROCK_API_KEY].some(Boolean);
  if (bedrockSet && !data.BEDROCK_REGION) fail("BEDROCK_REGION: required with Bedrock credentials (e.g. us-east-1)");
  if (data.BEDROCK_REGION) {
    const pair = Boolean(data.BEDROCK_ACCESS_KEY_ID) && Boolean(data.BEDROCK_SECRET_ACCESS_KEY);
    if (Boolean(data.BEDROCK_ACCESS_KEY_ID) !== Boolean(data.BEDROCK_SECRET_ACCESS_KEY)) fail("BEDROCK_ACCESS_KEY_ID and BEDROCK_SECRET_ACCESS_KEY go together");
    if (!pair && !data.BEDROCK_API_KEY) fail("BEDROCK_REGION is set but neither BEDROCK_ACCESS_KEY_ID + BEDROCK_SECRET_ACCESS_KEY nor BEDROCK_API_KEY is");
  }
  for (const [name, value, baseUrl] of [["BEDROCK_REGION", data.BEDROCK_REGION, data.BEDROCK_BASE_URL], ["VERTEX_REGION", data.VERTEX_REGION, data.VERTEX_BASE_URL]] as const) {
    const regions = regionsOf(value);
    if (value !== undefined && regions.length === 0) fail(`${name}: names no region (one region, or several separated by commas, e.g. us-east-1,us-west-2)`);
    const bad = regions.find((r) => !REGION.test(r));
    if (bad !== undefined) fail(`${name}: ${JSON.stringify(bad.slice(0, 40))} is not a region name (one region, or several separated by commas, e.g. us-east-1,us-west-2)`);
    // One endpoint for several regions would get requests signed (or addressed) for the wrong one.
    const baseName = name === "BEDROCK_REGION" ? "BEDROCK_BASE_URL" : "VERTEX_BASE_URL";
    if (regions.length > 1 && baseUrl) fail(`${baseName} names one endpoint, but ${name} lists ${regions.length} regions; use one region with ${baseName}, or unset it`);
  }
  if (data.VERTEX_SERVICE_ACCOUNT && !data.VERTEX_PROJECT_ID && !data.VERTEX_SERVICE_ACCOUNT.project_id) {
    fail("VERTEX_PROJECT_ID: required when the service account key has no project_id");
  }
}

/** The key the offline demo uses against its own simulator; it never leaves the process. */
export const SIMULATOR_DEMO_KEY = "sk-ant-simulator-offline-demo";

/** The upstream keys in use: the operator's, or the demo key in simulator mode. */
export function upstreamKeys(config: Config): string[] {
  if (config.ANTHROPIC_API_KEYS.length) return config.ANTHROPIC_API_KEYS;
  return config.UPSTREAM === "simulator" ? [SIMULATOR_DEMO_KEY] : [];
}
