/** Request builders and an SSE reader for the simulator's own tests (never imported by production code). */
import type { ClaudeSimulator } from "./index";

export const KEY = "sk-ant-test-key";
export const BASE = "https://api.anthropic.com";

export function messagesRequest(body: unknown, headers: Record<string, string> = {}, path = "/v1/messages"): Request {
  return new Request(BASE + path, {
    method: "POST",
    headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

export function getRequest(path: string, headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request(BASE + path, { method, headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01", ...headers } });
}

export async function send(sim: ClaudeSimulator, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; res: Response }> {
  const res = await sim.fetch(messagesRequest(body, headers));
  return { status: res.status, json: await res.json(), res };
}

export function userTurn(text: string, model = "claude-sonnet-4-5", extra: Record<string, unknown> = {}) {
  return { model, max_tokens: 1024, messages: [{ role: "user", content: text }], ...extra };
}

export interface SseEvent {
  event: string;
  data: any;
  raw: string;
}

/** Parses `event:`/`data:` frames by hand, so the test does not trust any SSE library. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      const lines = frame.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
      const raw = lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "";
      return { event, data: JSON.parse(raw), raw };
    });
}

/** Rebuilds the Message a client would assemble from the stream. */
export function assemble(events: SseEvent[]): any {
  let message: any;
  const json: Record<number, string> = {};
  for (const { data } of events) {
    if (data.type === "message_start") message = structuredClone(data.message);
    if (data.type === "content_block_start") message.content[data.index] = structuredClone(data.content_block);
    if (data.type === "content_block_delta") {
      const block = message.content[data.index];
      const d = data.delta;
      if (d.type === "text_delta") block.text += d.text;
      if (d.type === "thinking_delta") block.thinking += d.thinking;
      if (d.type === "signature_delta") block.signature = d.signature;
      if (d.type === "citations_delta") (block.citations ??= []).push(d.citation);
      if (d.type === "input_json_delta") json[data.index] = (json[data.index] ?? "") + d.partial_json;
    }
    if (data.type === "content_block_stop" && json[data.index] !== undefined) {
      message.content[data.index].input = json[data.index] === "" ? {} : JSON.parse(json[data.index]!);
    }
    if (data.type === "message_delta") {
      Object.assign(message, data.delta);
      message.usage = { ...message.usage, ...data.usage };
    }
  }
  return message;
}
