import { z } from "zod";

/**
 * What each model costs, per million tokens (USD), as Anthropic publishes it.
 *
 * Sources (looked up 2026-12-03):
 * - https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing": Fable/Mythos 5 and 5.1,
 *   Opus 4 to 5, with 5m/1h cache writes and cache hits);
 * - the model overview pages https://platform.claude.com/docs/en/models/<model>/overview (Opus 5.5,
 *   Sonnet 5 and 5.5, Haiku 5.5 with its two prompt-length bands);
 * - https://docs.anthropic.com/en/docs/about-claude/pricing (2025 edition: Sonnet 3.7 to 4.5, Haiku 3 to
 *   4.5, and the long-context rates of Sonnet 4 / 4.5 above 200K prompt tokens);
 * - Sonnet 5.5's cache read was cut from $0.20 to $0.10 on 2026-10-07 and Fable/Mythos 5.2 are $8/$40 with
 *   $0.20 cache hits, as price trackers that audit the official page record it (claude-usage v1.5.7, checked
 *   2026-12-01; PromptFuel v1.0.23); the overview page copy we found still shows $0.20 for Sonnet 5.5.
 * Cache writes are 1.25× (5 minutes) and 2× (1 hour) the input rate wherever the page gives no figure.
 * Not modelled: the Batch API (the gateway does not use it), `inference_geo: "us"` (1.1×), fast mode.
 * The operator can correct or extend the table with PRICES (JSON, same fields; see parsePriceOverrides).
 */
export interface Rates {
  input: number;
  output: number;
  cache_write_5m: number;
  cache_write_1h: number;
  cache_read: number;
}

export interface ModelPrice extends Rates {
  /** Higher rates for every token of a request whose prompt (input + cache reads + cache writes) exceeds `above_tokens`. */
  long_context?: Rates & { above_tokens: number };
}

const r = (input: number, output: number, cache_read: number, cache_write_5m = input * 1.25, cache_write_1h = input * 2): Rates => ({ input, output, cache_write_5m, cache_write_1h, cache_read });

const FABLE_5_1 = r(10, 50, 0.25);
const FABLE_5 = r(10, 50, 1);
const FABLE_5_2 = r(8, 40, 0.2);
const OPUS_5_5 = r(4, 20, 0.2);
const OPUS_4_5 = r(5, 25, 0.5);
const OPUS_4 = r(15, 75, 1.5);
const SONNET_5 = r(2, 10, 0.2);
const SONNET_4 = r(3, 15, 0.3);
const SONNET_4_LONG = { ...r(6, 22.5, 0.6), above_tokens: 200_000 };
const HAIKU_5_5 = { ...r(0.1, 0.5, 0.01), long_context: { ...r(0.5, 2.5, 0.05), above_tokens: 100_000 } };
const HAIKU_4_5 = r(1, 5, 0.1);

/** Keys are model ids or id prefixes (matched at a `-` boundary, longest first). */
export const BUILTIN_PRICES: Readonly<Record<string, ModelPrice>> = {
  "claude-fable-5-2": FABLE_5_2,
  "claude-mythos-5-2": FABLE_5_2,
  "claude-fable-5-1": FABLE_5_1,
  "claude-mythos-5-1": FABLE_5_1,
  "claude-fable-5": FABLE_5,
  "claude-mythos-5": FABLE_5,
  "claude-opus-5-5": OPUS_5_5,
  "claude-opus-5": OPUS_4_5,
  "claude-opus-4-8": OPUS_4_5,
  "claude-opus-4-7": OPUS_4_5,
  "claude-opus-4-6": OPUS_4_5,
  "claude-opus-4-5": OPUS_4_5,
  "claude-opus-4-1": OPUS_4,
  "claude-opus-4-0": OPUS_4,
  "claude-opus-4": OPUS_4,
  "claude-3-opus": OPUS_4,
  "claude-sonnet-5-5": r(2, 10, 0.1),
  "claude-sonnet-5": SONNET_5,
  "claude-sonnet-4-6": SONNET_4,
  "claude-sonnet-4-5": { ...SONNET_4, long_context: SONNET_4_LONG },
  "claude-sonnet-4-0": { ...SONNET_4, long_context: SONNET_4_LONG },
  "claude-sonnet-4": { ...SONNET_4, long_context: SONNET_4_LONG },
  "claude-3-7-sonnet": SONNET_4,
  "claude-3-5-sonnet": SONNET_4,
  "claude-haiku-5-5": HAIKU_5_5,
  "claude-haiku-4-5": HAIKU_4_5,
  "claude-3-5-haiku": r(0.8, 4, 0.08, 1, 1.6),
  "claude-3-haiku": r(0.25, 1.25, 0.03, 0.3, 0.5),
};

/**
 * A model missing from the table is priced as its family's most expensive current
 * model (never under-charged) and flagged; a model of no known family as Fable.
 */
const FAMILY_PRICES: ReadonlyArray<[RegExp, string, ModelPrice]> = [
  [/fable|mythos/, "fable", FABLE_5],
  [/opus/, "opus", OPUS_4_5],
  [/sonnet/, "sonnet", SONNET_4],
  [/haiku/, "haiku", HAIKU_4_5],
];

export interface PriceLookup {
  price: ModelPrice;
  /** The table key that matched, or `family:<name>` when the model was priced by its family. */
  source: string;
  /** True when the model is not in the table (priced by family): usage rows carry the flag. */
  byFamily: boolean;
}

/** Rates in picodollars per token (1 $/MTok = 10^6 p$/token): integers for every published price. */
interface PicoRates {
  input: number;
  output: number;
  w5: number;
  w1h: number;
  read: number;
}

const pico = (usdPerMTok: number) => Math.round(usdPerMTok * 1e6);
const toPico = (r: Rates): PicoRates => ({ input: pico(r.input), output: pico(r.output), w5: pico(r.cache_write_5m), w1h: pico(r.cache_write_1h), read: pico(r.cache_read) });

/**
 * Web search, $10 per 1,000 searches on top of the tokens its results add (the pricing page's
 * "Web search" line, looked up 2026-12-03); web fetch costs only its tokens. In picodollars.
 */
export const WEB_SEARCH_PICO_USD = 10_000_000_000;

/** Token counts of one request, as the upstream reported them (input is the uncached part). */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  /** Searches Claude ran on Anthropic's side (usage.server_tool_use.web_search_requests). */
  webSearches?: number;
}

export class PriceTable {
  private readonly keys: string[];
  private readonly cache = new Map<string, PriceLookup>();

  constructor(private readonly table: Readonly<Record<string, ModelPrice>> = BUILTIN_PRICES) {
    this.keys = Object.keys(table).sort((a, b) => b.length - a.length);
  }

  /** With operator overrides (PRICES) on top of the built-in table. */
  static withOverrides(overrides: Record<string, ModelPrice> | undefined): PriceTable {
    return new PriceTable(overrides ? { ...BUILTIN_PRICES, ...overrides } : BUILTIN_PRICES);
  }

  lookup(model: string): PriceLookup {
    const hit = this.cache.get(model);
    if (hit) return hit;
    const id = normalizeModelId(model);
    let found: PriceLookup | undefined;
    for (const key of this.keys) {
      if (id === key || (id.startsWith(key) && id.charAt(key.length) === "-")) {
        found = { price: this.table[key]!, source: key, byFamily: false };
        break;
      }
    }
    if (!found) {
      const family = FAMILY_PRICES.find(([re]) => re.test(id));
      found = family ? { price: family[2], source: `family:${family[1]}`, byFamily: true } : { price: FABLE_5, source: "family:unknown", byFamily: true };
    }
    if (this.cache.size < 1000) this.cache.set(model, found);
    return found;
  }

  /**
   * Exact cost in picodollars (integer): every published rate is a whole number of
   * picodollars per token, so nothing is rounded per request.
   */
  costPicoUsd(model: string, t: TokenCounts): { pico: number; byFamily: boolean } {
    const { price, byFamily } = this.lookup(model);
    const prompt = t.input + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h;
    const rates = toPico(price.long_context && prompt > price.long_context.above_tokens ? price.long_context : price);
    const searches = (t.webSearches ?? 0) * WEB_SEARCH_PICO_USD;
    const pico = t.input * rates.input + t.output * rates.output + t.cacheRead * rates.read + t.cacheWrite5m * rates.w5 + t.cacheWrite1h * rates.w1h + searches;
    return { pico, byFamily };
  }
}

/**
 * Upstream ids as the platforms spell them, reduced to Anthropic's: Bedrock's
 * `us.anthropic.claude-…-v1:0`, Vertex's `claude-…@20250929`, case.
 */
export function normalizeModelId(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^(?:[a-z]{2,4}\.)?anthropic\./, "")
    .replace(/-v\d+(?::\d+)?$/, "")
    .replace("@", "-");
}

/** Anthropic usage (any of its optional, nullable fields) → token counts; the cache writes split by TTL. */
export function tokenCounts(u: {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  server_tool_use?: { web_search_requests?: number | null } | null;
} | null | undefined): TokenCounts {
  const writes = u?.cache_creation_input_tokens ?? 0;
  const w1h = Math.min(writes, u?.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  const searches = u?.server_tool_use?.web_search_requests;
  const webSearches = typeof searches === "number" && Number.isFinite(searches) && searches > 0 ? Math.floor(searches) : 0;
  return { input: u?.input_tokens ?? 0, output: u?.output_tokens ?? 0, cacheRead: u?.cache_read_input_tokens ?? 0, cacheWrite5m: writes - w1h, cacheWrite1h: w1h, webSearches };
}

const rate = z.number().finite().nonnegative();
const ratesSchema = z.object({ input: rate, output: rate, cache_write_5m: rate.optional(), cache_write_1h: rate.optional(), cache_read: rate.optional() });
const priceSchema = ratesSchema.extend({ long_context: ratesSchema.extend({ above_tokens: z.number().int().positive() }).optional() });

const complete = (p: z.output<typeof ratesSchema>): Rates => r(p.input, p.output, p.cache_read ?? p.input * 0.1, p.cache_write_5m, p.cache_write_1h);

/**
 * PRICES: `{"<model id or prefix>": {"input": 3, "output": 15, "cache_read"?: 0.3,
 * "cache_write_5m"?: 3.75, "cache_write_1h"?: 6, "long_context"?: {"above_tokens": 200000, …}}}`,
 * $ per million tokens. Missing cache rates follow Anthropic's multipliers (0.1×, 1.25×, 2× input).
 * Throws an Error naming the problem (config parsing turns it into a startup error).
 */
export function parsePriceOverrides(json: string): Record<string, ModelPrice> {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`PRICES is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = z.record(z.string().min(1), priceSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`PRICES: ${issue.path.join(".") || "(top level)"}: ${issue.message}; expected {"<model>": {"input": <$ per MTok>, "output": <$ per MTok>, …}}`);
  }
  const out: Record<string, ModelPrice> = {};
  for (const [model, p] of Object.entries(parsed.data)) {
    out[normalizeModelId(model)] = { ...complete(p), ...(p.long_context ? { long_context: { ...complete(p.long_context), above_tokens: p.long_context.above_tokens } } : {}) };
  }
  return out;
}

/** Picodollars → USD as a number (for JSON); sums stay exact as integers until this point. */
export const picoToUsd = (pico: number): number => pico / 1e12;
/** USD (a budget) → picodollars. */
export const usdToPico = (usd: number): number => Math.round(usd * 1e12);
