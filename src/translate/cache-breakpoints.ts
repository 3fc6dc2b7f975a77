import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";

/** Anthropic rejects a request with more than four cache_control breakpoints. */
export const MAX_CACHE_BREAKPOINTS = 4;

export type CacheTtl = "5m" | "1h";

export interface CacheBreakpointOptions {
  /** AUTO_CACHE: place the gateway's own breakpoints. Client breakpoints are kept either way. */
  enabled: boolean;
  /** TTL of the gateway's breakpoints (default 5m: 1h writes cost 2× instead of 1.25×). */
  ttl?: CacheTtl;
}

type CacheControl = { type: "ephemeral"; ttl?: CacheTtl };

/** Where a block sits, in render order: tools, then system, then messages. */
type Slot =
  | { kind: "tool"; i: number }
  | { kind: "system"; i: number }
  | { kind: "message"; m: number; c: number; k?: number };

interface SlotInfo {
  slot: Slot;
  pos: number;
  cc: CacheControl | undefined;
  eligible: boolean;
}

/**
 * Places prompt-cache breakpoints so that a chat from a client that knows nothing about
 * caching is billed mostly at cache-read rates:
 * - the last block of the conversation: the next turn reads everything up to it;
 * - the last block of the previous user turn: exactly where the previous request wrote
 *   its cache, so it is read even when a tool loop added more than the ~20 blocks the
 *   API looks back from a breakpoint;
 * - the system prompt and the tools: they survive edits to the conversation.
 * Client breakpoints (ttl included) are kept and count against the limit of four.
 * The input is not modified; only the containers on the path to a changed block are copied.
 */
export function applyCacheBreakpoints(body: AnthropicRequest, opts: CacheBreakpointOptions): AnthropicRequest {
  const slots = enumerate(body);
  const client = slots.filter((s) => s.cc);
  // A top-level cache_control is a breakpoint on the last cacheable block, placed by the API.
  const topLevel = body.cache_control ? 1 : 0;
  const removals = new Set<number>();
  // More than four would be a 400. The latest breakpoints cover the longest prefixes and
  // are what the next turn reads, so the extras are dropped from the earliest.
  const over = client.length + topLevel - MAX_CACHE_BREAKPOINTS;
  for (let n = 0; n < over && n < client.length; n++) removals.add(client[n]!.pos);

  const adds: { pos: number; ttl: CacheTtl }[] = [];
  if (opts.enabled) {
    let budget = MAX_CACHE_BREAKPOINTS - Math.min(MAX_CACHE_BREAKPOINTS, client.length + topLevel);
    const taken = new Set(client.map((s) => s.pos));
    const candidates = [
      topLevel ? undefined : lastEligible(slots, "message"),
      previousUserTurnEnd(body, slots),
      lastEligible(slots, "system"),
      lastEligible(slots, "tool"),
    ];
    for (const cand of candidates) {
      if (!cand || taken.has(cand.pos) || budget <= 0) continue;
      taken.add(cand.pos);
      adds.push({ pos: cand.pos, ttl: opts.ttl ?? "5m" });
      budget--;
    }
    // Anthropic requires 1h breakpoints to come before 5m ones: the gateway's own adapt
    // to the client's rather than turning a valid request into a 400.
    const kept = client.filter((s) => !removals.has(s.pos));
    for (const a of adds) {
      if (kept.some((s) => s.pos > a.pos && ttlOf(s.cc!) === "1h")) a.ttl = "1h";
      else if (a.ttl === "1h" && kept.some((s) => s.pos < a.pos && ttlOf(s.cc!) === "5m")) a.ttl = "5m";
    }
  }
  if (!removals.size && !adds.length) return body;

  const changes = new Map<number, CacheControl | null>();
  for (const pos of removals) changes.set(pos, null);
  for (const a of adds) changes.set(a.pos, a.ttl === "1h" ? { type: "ephemeral", ttl: "1h" } : { type: "ephemeral" });
  return rewrite(body, slots, changes);
}

function ttlOf(cc: CacheControl): CacheTtl {
  return cc.ttl === "1h" ? "1h" : "5m";
}

/** Thinking blocks and empty text blocks cannot carry cache_control. */
function eligible(block: { type: string; text?: unknown }): boolean {
  if (block.type === "thinking" || block.type === "redacted_thinking") return false;
  if (block.type === "text") return typeof block.text === "string" && block.text.trim() !== "";
  return true;
}

function enumerate(body: AnthropicRequest): SlotInfo[] {
  const out: SlotInfo[] = [];
  let pos = 0;
  const add = (slot: Slot, block: unknown, ok: boolean) => {
    const cc = (block as { cache_control?: CacheControl | null }).cache_control;
    out.push({ slot, pos: pos++, cc: cc ?? undefined, eligible: ok });
  };
  (body.tools ?? []).forEach((tool, i) => add({ kind: "tool", i }, tool, true));
  if (typeof body.system === "string") add({ kind: "system", i: 0 }, {}, body.system.trim() !== "");
  else (body.system ?? []).forEach((b, i) => add({ kind: "system", i }, b, eligible(b)));
  body.messages.forEach((msg, m) => {
    if (typeof msg.content === "string") return add({ kind: "message", m, c: 0 }, {}, msg.content.trim() !== "");
    msg.content.forEach((block, c) => {
      // A tool result's inner blocks render before its end. They count against the
      // limit; the gateway itself never places a breakpoint there.
      if (block.type === "tool_result" && Array.isArray(block.content)) {
        block.content.forEach((inner, k) => add({ kind: "message", m, c, k }, inner, false));
      }
      add({ kind: "message", m, c }, block, eligible(block));
    });
  });
  return out;
}

function lastEligible(slots: SlotInfo[], kind: Slot["kind"], message?: number): SlotInfo | undefined {
  for (let n = slots.length - 1; n >= 0; n--) {
    const s = slots[n]!;
    if (s.slot.kind !== kind || !s.eligible) continue;
    if (message !== undefined && s.slot.kind === "message" && s.slot.m !== message) continue;
    return s;
  }
  return undefined;
}

function previousUserTurnEnd(body: AnthropicRequest, slots: SlotInfo[]): SlotInfo | undefined {
  const users = body.messages.flatMap((msg, m) => (msg.role === "user" ? [m] : []));
  const previous = users.at(-2);
  return previous === undefined ? undefined : lastEligible(slots, "message", previous);
}

function rewrite(body: AnthropicRequest, slots: SlotInfo[], changes: Map<number, CacheControl | null>): AnthropicRequest {
  const out: AnthropicRequest = { ...body };
  const setCc = <T extends object>(block: T, cc: CacheControl | null): T => {
    const copy = { ...block } as T & { cache_control?: CacheControl };
    if (cc) copy.cache_control = cc;
    else delete copy.cache_control;
    return copy;
  };
  let tools: NonNullable<AnthropicRequest["tools"]> | undefined;
  let system: Exclude<AnthropicRequest["system"], string | undefined> | undefined;
  let messages: AnthropicMessageParam[] | undefined;
  const contents = new Map<number, AnthropicContentBlockParam[]>();

  for (const s of slots) {
    const cc = changes.get(s.pos);
    if (cc === undefined) continue;
    const slot = s.slot;
    if (slot.kind === "tool") {
      tools ??= out.tools = body.tools!.slice();
      tools[slot.i] = setCc(tools[slot.i]!, cc);
    } else if (slot.kind === "system") {
      system ??= out.system = typeof body.system === "string" ? [{ type: "text", text: body.system }] : body.system!.slice();
      system[slot.i] = setCc(system[slot.i]!, cc);
    } else {
      messages ??= out.messages = body.messages.slice();
      let arr = contents.get(slot.m);
      if (!arr) {
        const msg = messages[slot.m]!;
        arr = typeof msg.content === "string" ? [{ type: "text", text: msg.content }] : msg.content.slice();
        contents.set(slot.m, arr);
        messages[slot.m] = { ...msg, content: arr } as AnthropicMessageParam;
      }
      if (slot.k === undefined) {
        arr[slot.c] = setCc(arr[slot.c]!, cc);
      } else {
        const tr = arr[slot.c] as Extract<AnthropicContentBlockParam, { type: "tool_result" }>;
        const inner = (tr.content as Exclude<typeof tr.content, string | undefined>).slice();
        inner[slot.k] = setCc(inner[slot.k]!, cc);
        arr[slot.c] = { ...tr, content: inner };
      }
    }
  }
  return out;
}
