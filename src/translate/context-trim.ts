import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";
import { messageChars, turnStarts } from "./turns";

export interface ContextOverflow {
  promptTokens: number;
  maxTokens: number;
}

/** Reads Anthropic's `prompt is too long: 205000 tokens > 200000 maximum`. */
export function parseContextOverflow(message: string): ContextOverflow | undefined {
  const m = /prompt is too long:\s*([\d,]+)\s*tokens\s*>\s*([\d,]+)\s*maximum/i.exec(message);
  if (!m) return undefined;
  const promptTokens = Number(m[1]!.replace(/,/g, ""));
  const maxTokens = Number(m[2]!.replace(/,/g, ""));
  return promptTokens > maxTokens && maxTokens > 0 ? { promptTokens, maxTokens } : undefined;
}

/** Aim below the limit: the token estimate from characters is rough. */
const TARGET_SHARE = 0.9;
/** An image or document weighs about as much as this many characters of text (~1,600 tokens). */
const ATTACHMENT_CHARS = 6400;

/**
 * Makes a conversation fit after the upstream said it is too long: drops whole turns
 * from the middle, oldest first, keeping the system prompt, the first user turn and
 * the latest turn (a turn runs from a user message to the next one that answers no
 * tool call, so tool_use/tool_result pairs stay together). The first kept turn after
 * the gap says how many messages were left out. Undefined when there is nothing to drop.
 */
export function trimForContext(body: AnthropicRequest, overflow: ContextOverflow): { body: AnthropicRequest; removedMessages: number } | undefined {
  const messages = body.messages;
  const starts = turnStarts(messages).filter((s) => s > 0);
  // Turns: [0, starts[0]), [starts[0], starts[1]), … The first and the last are kept.
  const bounds = [0, ...starts, messages.length];
  if (bounds.length < 4) return undefined;

  const weights = messages.map(weight);
  const fixed = JSON.stringify(body.system ?? "").length + JSON.stringify(body.tools ?? []).length;
  const total = fixed + weights.reduce((a, b) => a + b, 0);
  const tokensPerChar = overflow.promptTokens / Math.max(1, total);
  const needChars = (overflow.promptTokens - overflow.maxTokens * TARGET_SHARE) / tokensPerChar;

  let removedChars = 0;
  let lastRemovedTurn = 0; // turns 1..k are dropped (turn 0 is the first turn)
  for (let t = 1; t < bounds.length - 2 && removedChars < needChars; t++) {
    for (let i = bounds[t]!; i < bounds[t + 1]!; i++) removedChars += weights[i]!;
    lastRemovedTurn = t;
  }
  if (!lastRemovedTurn) return undefined;

  const from = bounds[1]!;
  const to = bounds[lastRemovedTurn + 1]!;
  const removedMessages = to - from;
  const next = messages[to]!;
  const note: AnthropicContentBlockParam = { type: "text", text: `[${removedMessages} earlier messages were left out here to fit the model's context window.]` };
  const nextContent = typeof next.content === "string" ? [{ type: "text" as const, text: next.content }] : next.content;
  const kept: AnthropicMessageParam[] = [...messages.slice(0, from), { ...next, content: [note, ...nextContent] } as AnthropicMessageParam, ...messages.slice(to + 1)];
  return { body: { ...body, messages: kept }, removedMessages };
}

function weight(msg: AnthropicMessageParam): number {
  let n = messageChars(msg);
  if (typeof msg.content !== "string") {
    for (const b of msg.content) {
      if (b.type === "image" || b.type === "document") n += ATTACHMENT_CHARS;
      if (b.type === "tool_result" && Array.isArray(b.content)) n += b.content.filter((x) => x.type === "image" || x.type === "document").length * ATTACHMENT_CHARS;
    }
  }
  return n;
}
