// Replaying recorded Anthropic streams in tests. The fixtures come from vitest's
// provide/inject (see vitest.config.ts); these helpers turn them into upstream bytes,
// split the bytes the way a network might, and read back what the gateway sent.
import { inject } from "vitest";

export function fixtures(): Record<string, string> {
  return inject("recordedFixtures");
}

/** The SSE data lines of a `*.chunks.txt` fixture. */
export function fixtureLines(name: string): string[] {
  const text = fixtures()[name];
  if (text === undefined) throw new Error(`no recorded fixture ${name}`);
  return text.split("\n").filter((l) => l.trim() !== "");
}

export function fixtureNames(suffix: ".chunks.txt" | ".json"): string[] {
  return Object.keys(fixtures())
    .filter((n) => n.endsWith(suffix))
    .sort();
}

export interface SseOptions {
  /** Add the whitespace the real API sometimes puts before a closing brace. */
  pad?: boolean;
}

/** Anthropic's wire framing for data lines: `event: <type>\ndata: <json>\n\n`. */
export function sseText(lines: string[], opts: SseOptions = {}): string {
  let out = "";
  for (const line of lines) {
    const type = (JSON.parse(line) as { type: string }).type;
    const data = opts.pad ? line.replace(/\}$/, "      }") : line;
    out += `event: ${type}\ndata: ${data}\n\n`;
  }
  return out;
}

/** Upstream SSE for a fixture (or raw data lines) as bytes. */
export function recordedSse(nameOrLines: string | string[], opts: SseOptions = {}): Uint8Array {
  const lines = typeof nameOrLines === "string" ? fixtureLines(nameOrLines) : nameOrLines;
  return new TextEncoder().encode(sseText(lines, opts));
}

/** Deterministic PRNG (mulberry32) so a failing split can be reproduced from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts bytes at random places (inside lines, inside UTF-8 sequences), pieces of 1..maxPiece bytes. */
export function splitBytes(bytes: Uint8Array, seed: number, maxPiece = 64): Uint8Array[] {
  const next = rng(seed);
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(next() * maxPiece);
    pieces.push(bytes.subarray(i, i + n));
    i += n;
  }
  return pieces;
}

/** A ReadableStream yielding the given pieces, then (optionally) failing instead of closing. */
export function streamOf(pieces: Uint8Array[] | Uint8Array, opts: { errorAtEnd?: unknown } = {}): ReadableStream<Uint8Array> {
  const queue = pieces instanceof Uint8Array ? [pieces] : [...pieces];
  return new ReadableStream<Uint8Array>({
    pull(c) {
      const next = queue.shift();
      if (next !== undefined) c.enqueue(next);
      else if (opts.errorAtEnd !== undefined) c.error(opts.errorAtEnd);
      else c.close();
    },
  });
}

export async function readText(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let out = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out + decoder.decode();
    out += decoder.decode(value, { stream: true });
  }
}

export interface ParsedOpenAIStream {
  /** Each `data:` JSON object, in order ([DONE] excluded). */
  chunks: any[];
  /** The raw SSE events, as framed (for framing assertions). */
  events: string[];
  comments: number;
  done: boolean;
  /** Whether [DONE] was the very last event. */
  doneLast: boolean;
}

/** Parses gateway output strictly: every event must be `data: <one line>` or a `:` comment. */
export function parseOpenAIStream(text: string): ParsedOpenAIStream {
  if (!text.endsWith("\n\n")) throw new Error("stream does not end with a blank line");
  const events = text.slice(0, -2).split("\n\n");
  const out: ParsedOpenAIStream = { chunks: [], events, comments: 0, done: false, doneLast: false };
  events.forEach((ev, i) => {
    if (ev.startsWith(":")) {
      out.comments++;
      return;
    }
    if (!ev.startsWith("data: ") || ev.includes("\n")) throw new Error(`bad SSE event: ${JSON.stringify(ev)}`);
    const data = ev.slice(6);
    if (data === "[DONE]") {
      out.done = true;
      out.doneLast = i === events.length - 1;
      return;
    }
    out.chunks.push(JSON.parse(data));
  });
  return out;
}

export interface Assembled {
  content: string;
  reasoning: string;
  refusal: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string | null;
  usage: any;
  error: any;
}

/** What a careful client would make of a chunk stream (the way openai-node accumulates). */
export function assemble(chunks: any[]): Assembled {
  const a: Assembled = { content: "", reasoning: "", refusal: null, toolCalls: [], finishReason: null, usage: null, error: null };
  for (const c of chunks) {
    if (c.error) a.error = c.error;
    if (c.usage) a.usage = c.usage;
    const choice = c.choices?.[0];
    if (!choice) continue;
    if (choice.finish_reason) a.finishReason = choice.finish_reason;
    const d = choice.delta ?? {};
    if (typeof d.content === "string") a.content += d.content;
    if (typeof d.reasoning_content === "string") a.reasoning += d.reasoning_content;
    if (typeof d.refusal === "string") a.refusal = (a.refusal ?? "") + d.refusal;
    for (const t of d.tool_calls ?? []) {
      if (t.id) a.toolCalls[t.index] = { id: t.id, name: t.function.name, arguments: "" };
      const call = a.toolCalls[t.index];
      if (call) call.arguments += t.function?.arguments ?? "";
    }
  }
  return a;
}

/**
 * A non-streamed Message re-expressed as the stream Anthropic would send for it,
 * so the stream and non-stream translations can be checked against each other.
 */
export function messageToStreamLines(msg: any): string[] {
  const lines: unknown[] = [];
  const { content, stop_reason, stop_sequence, stop_details, usage, ...rest } = msg;
  lines.push({ type: "message_start", message: { ...rest, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });
  (content as any[]).forEach((block, index) => {
    switch (block.type) {
      case "text":
        lines.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
        for (const citation of block.citations ?? []) lines.push({ type: "content_block_delta", index, delta: { type: "citations_delta", citation } });
        for (const piece of pieces(block.text)) lines.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
        break;
      case "thinking":
        lines.push({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } });
        for (const piece of pieces(block.thinking)) lines.push({ type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: piece } });
        lines.push({ type: "content_block_delta", index, delta: { type: "signature_delta", signature: block.signature } });
        break;
      case "tool_use":
      case "server_tool_use":
        lines.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
        lines.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: "" } });
        for (const piece of pieces(Object.keys(block.input).length ? JSON.stringify(block.input) : "")) {
          lines.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
        }
        break;
      default:
        lines.push({ type: "content_block_start", index, content_block: block });
    }
    lines.push({ type: "content_block_stop", index });
  });
  lines.push({ type: "message_delta", delta: { stop_reason, stop_sequence, stop_details }, usage });
  lines.push({ type: "message_stop" });
  return lines.map((l) => JSON.stringify(l));
}

function pieces(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 7) out.push(s.slice(i, i + 7));
  return out;
}
