import type { AnthropicMessageParam } from "../platforms/anthropic/types";

/**
 * Indexes of the messages where a new turn starts: a user message that answers no tool
 * call. Cutting a conversation only there never separates a tool_use from its
 * tool_result (nor a thinking block from the tool loop that needs it).
 */
export function turnStarts(messages: readonly AnthropicMessageParam[]): number[] {
  const starts: number[] = [];
  messages.forEach((msg, i) => {
    if (msg.role !== "user") return;
    if (typeof msg.content !== "string" && msg.content.some((b) => b.type === "tool_result")) return;
    starts.push(i);
  });
  return starts;
}

/** Characters of text a message carries (text, tool calls and results, thinking); attachments count 0. */
export function messageChars(msg: AnthropicMessageParam): number {
  if (typeof msg.content === "string") return msg.content.length;
  let n = 0;
  for (const b of msg.content) {
    if (b.type === "text") n += b.text.length;
    else if (b.type === "thinking") n += b.thinking.length;
    else if (b.type === "tool_use") n += b.name.length + JSON.stringify(b.input ?? {}).length;
    else if (b.type === "tool_result") {
      if (typeof b.content === "string") n += b.content.length;
      else for (const inner of b.content ?? []) if (inner.type === "text") n += inner.text.length;
    }
  }
  return n;
}
