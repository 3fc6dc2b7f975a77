import { blockTokens, textTokens, type Block, type FileSizeLookup } from "./tokens";

/** One cacheable piece of the prompt, in render order (tools → system → messages). */
export interface PromptUnit {
  tokens: number;
  /** What the unit contributes to the prefix identity (cache_control itself excluded). */
  key: string;
  ttl?: "5m" | "1h";
}

export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** Fixed framing every request pays (the role markers of the prompt template). */
const PROMPT_OVERHEAD_TOKENS = 3;
const PER_MESSAGE_TOKENS = 3;

function identity(value: Block): string {
  const { cache_control: _ignored, ...rest } = value;
  return JSON.stringify(rest);
}

function ttlOf(value: Block): "5m" | "1h" | undefined {
  const cc = value.cache_control;
  if (!cc || typeof cc !== "object") return undefined;
  return cc.ttl === "1h" ? "1h" : "5m";
}

export function promptUnits(body: Block, files: FileSizeLookup): PromptUnit[] {
  const units: PromptUnit[] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    units.push({ tokens: textTokens(identity(tool)), key: `tool:${identity(tool)}`, ttl: ttlOf(tool) });
  }
  if (typeof body.system === "string") units.push({ tokens: textTokens(body.system), key: `system:${body.system}` });
  for (const block of Array.isArray(body.system) ? body.system : []) {
    units.push({ tokens: blockTokens(block, files), key: `system:${identity(block)}`, ttl: ttlOf(block) });
  }
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    units.push({ tokens: PER_MESSAGE_TOKENS, key: `role:${message?.role}` });
    const content = typeof message?.content === "string" ? [{ type: "text", text: message.content }] : message?.content;
    for (const block of Array.isArray(content) ? content : []) {
      units.push({ tokens: blockTokens(block, files), key: identity(block), ttl: ttlOf(block) });
    }
  }
  // Top-level cache_control (automatic caching) marks the last cacheable block.
  const last = units[units.length - 1];
  if (body.cache_control && last && !last.ttl) last.ttl = ttlOf({ cache_control: body.cache_control });
  return units;
}

export function totalInputTokens(units: PromptUnit[]): number {
  return units.reduce((sum, u) => sum + u.tokens, PROMPT_OVERHEAD_TOKENS);
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const TTL_MS = { "5m": 5 * 60_000, "1h": 60 * 60_000 } as const;

/**
 * Prompt caching per API key: each breakpoint's prefix is hashed; the longest cached
 * prefix is read, later breakpoints long enough to cache are written.
 */
export class PromptCache {
  private readonly expiry = new Map<string, number>();

  clear(): void {
    this.expiry.clear();
  }

  async account(apiKey: string, units: PromptUnit[], minCacheableTokens: number, now = Date.now()): Promise<InputUsage> {
    const breakpoints: Array<{ tokens: number; hash: string; ttl: "5m" | "1h" }> = [];
    let prefix = "";
    let tokens = PROMPT_OVERHEAD_TOKENS;
    for (const unit of units) {
      prefix += unit.key + "\u0001";
      tokens += unit.tokens;
      if (unit.ttl) breakpoints.push({ tokens, hash: `${apiKey}\u0000${await sha256(prefix)}`, ttl: unit.ttl });
    }
    let hit = -1;
    for (let i = breakpoints.length - 1; i >= 0; i--) {
      if ((this.expiry.get(breakpoints[i]!.hash) ?? 0) > now) { hit = i; break; }
    }
    const usage: InputUsage = {
      input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: hit >= 0 ? breakpoints[hit]!.tokens : 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    };
    if (hit >= 0) this.expiry.set(breakpoints[hit]!.hash, now + TTL_MS[breakpoints[hit]!.ttl]);
    let covered = usage.cache_read_input_tokens;
    for (const bp of breakpoints.slice(hit + 1)) {
      if (bp.tokens < minCacheableTokens) continue;
      const written = bp.tokens - covered;
      if (bp.ttl === "1h") usage.cache_creation.ephemeral_1h_input_tokens += written;
      else usage.cache_creation.ephemeral_5m_input_tokens += written;
      usage.cache_creation_input_tokens += written;
      covered = bp.tokens;
      this.expiry.set(bp.hash, now + TTL_MS[bp.ttl]);
    }
    usage.input_tokens = tokens - covered;
    return usage;
  }
}
