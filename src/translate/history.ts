import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";
import { messageChars, turnStarts } from "./turns";

export const HISTORY_TITLE = "Earlier part of this conversation";

/**
 * MAX_CHAT_HISTORY_LENGTH (name kept from the seed project; 0 = off, the default).
 * When the conversation's text exceeds `maxChars`, the older turns move into one text
 * document at the start of the first remaining user turn; the recent turns stay
 * messages. Off by default because prompt caching already makes long histories cheap
 * while keeping the model's view of roles and tool calls exact; packing flattens them.
 *
 * The document must be byte-identical from one turn to the next so that it caches.
 * So cut points come from a chunking of the conversation that depends only on the
 * messages before each cut (a chunk closes at the first turn start after it reaches
 * half the limit), and the gateway packs the fewest whole chunks that bring the rest
 * under the limit: as the chat grows, the cut moves only in chunk-sized steps, and
 * between steps the document does not change. Cuts fall only on turn starts, so a
 * tool_use is never separated from its tool_result.
 */
export function packHistory(body: AnthropicRequest, maxChars: number): AnthropicRequest {
  if (maxChars <= 0) return body;
  const messages = body.messages;
  const chars = messages.map(messageChars);
  const total = chars.reduce((a, b) => a + b, 0);
  if (total <= maxChars) return body;

  const cut = chooseCut(messages, chars, maxChars);
  if (cut === undefined) return body;

  const { text, attachments } = render(messages.slice(0, cut));
  const first = messages[cut]!;
  const doc: AnthropicContentBlockParam = { type: "document", source: { type: "text", media_type: "text/plain", data: text }, title: HISTORY_TITLE };
  const firstContent = typeof first.content === "string" ? [{ type: "text" as const, text: first.content }] : first.content;
  return { ...body, messages: [{ role: "user", content: [doc, ...attachments, ...firstContent] }, ...messages.slice(cut + 1)] };
}

/** The packing cut: the first chunk boundary that leaves at most maxChars as messages. */
export function chooseCut(messages: readonly AnthropicMessageParam[], chars: readonly number[], maxChars: number): number | undefined {
  const chunk = Math.max(1, Math.floor(maxChars / 2));
  const cuts: number[] = [];
  let acc = 0;
  let prev = 0;
  for (const start of turnStarts(messages)) {
    if (start === 0) continue;
    for (let i = prev; i < start; i++) acc += chars[i]!;
    prev = start;
    if (acc >= chunk) {
      cuts.push(start);
      acc = 0;
    }
  }
  let rest = chars.reduce((a, b) => a + b, 0);
  let at = 0;
  for (const cut of cuts) {
    for (; at < cut; at++) rest -= chars[at]!;
    if (rest <= maxChars) return cut;
  }
  // Even the last cut leaves too much (one huge recent turn): pack what can be packed.
  return cuts.at(-1);
}

function render(messages: readonly AnthropicMessageParam[]): { text: string; attachments: AnthropicContentBlockParam[] } {
  const attachments: AnthropicContentBlockParam[] = [];
  const attach = (b: AnthropicContentBlockParam) => {
    attachments.push(b);
    return `[${b.type} ${attachments.length}, attached after this document]`;
  };
  const parts: string[] = [];
  for (const msg of messages) {
    const lines: string[] = [];
    const blocks = typeof msg.content === "string" ? [{ type: "text" as const, text: msg.content }] : msg.content;
    for (const b of blocks) {
      if (b.type === "text") lines.push(b.text);
      else if (b.type === "tool_use") lines.push(`[tool call ${b.id}: ${b.name}] ${JSON.stringify(b.input ?? {})}`);
      else if (b.type === "tool_result") {
        const inner = typeof b.content === "string" ? [b.content] : (b.content ?? []).map((x) => (x.type === "text" ? x.text : attach(x as AnthropicContentBlockParam)));
        lines.push(`[tool result ${b.tool_use_id}${b.is_error ? " (error)" : ""}] ${inner.join("\n")}`);
      } else if (b.type === "image" || b.type === "document") lines.push(attach(b));
      // Thinking blocks of finished turns are not needed again.
    }
    parts.push(`### ${msg.role}\n${lines.join("\n")}`);
  }
  return { text: parts.join("\n\n"), attachments };
}
