import { sleep } from "./sleep";
import type { Block } from "./tokens";

/**
 * A finished Message as the event sequence of §3: message_start, one early ping,
 * start/delta/stop per block, a cumulative message_delta, message_stop.
 */
export function messageEvents(message: Block): Block[] {
  const usage = message.usage;
  const events: Block[] = [{
    type: "message_start",
    message: { ...message, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: startUsage(usage) },
  }];
  const content: Block[] = message.content;
  if (content.length === 0) events.push({ type: "ping" });
  content.forEach((block, index) => {
    events.push(...blockEvents(block, index));
    if (index === 0) events.splice(2, 0, { type: "ping" });
  });
  const delta: Block = { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence };
  if (message.stop_details) delta.stop_details = message.stop_details;
  events.push({
    type: "message_delta",
    delta,
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      output_tokens: usage.output_tokens,
      ...(usage.server_tool_use ? { server_tool_use: usage.server_tool_use } : {}),
    },
  });
  events.push({ type: "message_stop" });
  return events;
}

/** message_start carries the input side; output and server tool counts come with message_delta (as recorded). */
function startUsage(usage: Block): Block {
  const { server_tool_use: _later, ...rest } = usage;
  return { ...rest, output_tokens: Math.min(1, usage.output_tokens) };
}

/** Word-ish pieces of about three words, like the chunks the real API sends. */
export function chunkText(text: string): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text]);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += 3) chunks.push(words.slice(i, i + 3).join(""));
  return chunks;
}

function splitInThree(json: string): string[] {
  const size = Math.ceil(json.length / 3);
  const parts: string[] = [];
  for (let i = 0; i < json.length; i += size) parts.push(json.slice(i, i + size));
  return parts;
}

function blockEvents(block: Block, index: number): Block[] {
  const delta = (d: Block) => ({ type: "content_block_delta", index, delta: d });
  const start = (content_block: Block) => ({ type: "content_block_start", index, content_block });
  const stop = { type: "content_block_stop", index };
  switch (block.type) {
    case "text": {
      // As recorded: a cited block starts with `citations: []`, and its citations_delta events
      // come before the text they cite.
      const citations: Block[] = Array.isArray(block.citations) ? block.citations : [];
      return [
        start(citations.length > 0 ? { citations: [], type: "text", text: "" } : { type: "text", text: "" }),
        ...citations.map((citation) => delta({ type: "citations_delta", citation })),
        ...chunkText(String(block.text)).map((text) => delta({ type: "text_delta", text })),
        stop,
      ];
    }
    case "thinking":
      return [
        start({ type: "thinking", thinking: "", signature: "" }),
        ...chunkText(String(block.thinking)).map((thinking) => delta({ type: "thinking_delta", thinking })),
        delta({ type: "signature_delta", signature: block.signature }),
        stop,
      ];
    case "tool_use":
    case "server_tool_use": {
      const json = JSON.stringify(block.input ?? {});
      const fragments = json === "{}" ? [] : splitInThree(json);
      return [
        start({ ...block, input: {} }),
        delta({ type: "input_json_delta", partial_json: "" }),
        ...fragments.map((partial_json) => delta({ type: "input_json_delta", partial_json })),
        stop,
      ];
    }
    default:
      // redacted_thinking and server-tool results arrive whole, with no delta type of their own.
      return [start(block), stop];
  }
}

export function encodeEvent(event: Block): string {
  // The real API writes the ping with a space after the colon; fragile parsers should meet it.
  const data = event.type === "ping" ? '{"type": "ping"}' : JSON.stringify(event);
  return `event: ${event.type}\ndata: ${data}\n\n`;
}

export type MidStreamFault =
  | { kind: "drop-mid-stream"; afterEvents: number }
  | { kind: "error-mid-stream"; afterEvents: number; errorType?: string };

const ERROR_MESSAGES: Record<string, string> = {
  overloaded_error: "Overloaded",
  api_error: "Internal server error",
  rate_limit_error: "Rate limited",
  timeout_error: "Request timed out",
};

/** The SSE body: paced by delayMs, stopped by the request's signal or a reader cancel, broken on demand. */
export function sseStream(events: Block[], options: { delayMs: number; signal: AbortSignal; fault?: MidStreamFault }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { fault, signal } = options;
      try {
        if (sent > 0 && options.delayMs > 0) await sleep(options.delayMs, signal);
        if (signal.aborted) throw signal.reason;
      } catch (reason) {
        controller.error(reason);
        return;
      }
      if (fault && sent === fault.afterEvents) {
        if (fault.kind === "drop-mid-stream") {
          controller.error(new TypeError("Network connection lost."));
          return;
        }
        const type = fault.errorType ?? "overloaded_error";
        // Real mid-stream errors carry `details: null` before the type (anthropics/claude-code#302,
        // nick1udwig/kibitz#145), unlike the JSON error bodies.
        controller.enqueue(encoder.encode(encodeEvent({ type: "error", error: { details: null, type, message: ERROR_MESSAGES[type] ?? "Error" } })));
        controller.close();
        return;
      }
      const event = events[sent++];
      if (event) controller.enqueue(encoder.encode(encodeEvent(event)));
      if (sent >= events.length) controller.close();
    },
  });
}
