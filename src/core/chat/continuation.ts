import type { AnthropicMessage } from "../../platforms/anthropic/types";
import { sumUsage, type UpstreamUsage } from "../../translate/usage";

/**
 * Claude pauses a long server-tool turn (web search, web fetch) with
 * `stop_reason: "pause_turn"`; the turn goes on when the paused content is sent back as
 * the last assistant message. The gateway does that itself, up to MAX_CONTINUATIONS times,
 * so an OpenAI client gets one finished answer. Each part is billed (usage is summed).
 */
export const MAX_CONTINUATIONS = 4;

type Block = AnthropicMessage["content"][number];

/**
 * Whether an answer to this body can pause: only server tools (a typed tool such as
 * web_search_20250305; client tools have no type or "custom") run long turns on
 * Anthropic's side. Other streams skip the continuation wrapper, which would otherwise
 * rebuild every block of the answer from its deltas just in case.
 */
export function mayPause(body: { tools?: unknown }): boolean {
  const tools = body.tools;
  if (!Array.isArray(tools)) return false;
  for (const t of tools) {
    const type = (t as { type?: unknown } | null)?.type;
    if (typeof type === "string" && type !== "custom") return true;
  }
  return false;
}

/** The Messages body of the next part: the paused content so far as the last assistant turn. */
export function continuationBody<B extends { messages: unknown[] }>(body: B, content: readonly Block[]): B {
  return { ...body, messages: [...body.messages, { role: "assistant", content: [...content] }] };
}

/** A non-streamed answer, continued while it pauses; `resend` asks for the next part. */
export async function continuePaused(
  first: AnthropicMessage,
  resend: (content: readonly Block[]) => Promise<AnthropicMessage>,
  max = MAX_CONTINUATIONS,
): Promise<AnthropicMessage> {
  let message = first;
  let content: Block[] = [...(first.content ?? [])];
  let usage: UpstreamUsage = { ...(first.usage ?? {}) };
  for (let n = 0; n < max && message.stop_reason === "pause_turn"; n++) {
    message = await resend(content);
    content = [...content, ...(message.content ?? [])];
    usage = sumUsage(usage, message.usage as UpstreamUsage);
  }
  if (message === first) return first;
  return { ...message, id: first.id, content, usage: usage as AnthropicMessage["usage"] };
}
