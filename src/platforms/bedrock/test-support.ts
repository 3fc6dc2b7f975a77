import { EventStreamCodec } from "@smithy/eventstream-codec";
import type { ChunkReader } from "../upstream";

// Frames made with AWS's own codec, so the decoders' tests do not lean on the simulator's encoder.
const codec = new EventStreamCodec(
  (b) => new TextDecoder().decode(b),
  (s) => new TextEncoder().encode(s),
);
const str = (value: string) => ({ type: "string" as const, value });

/** A `chunk` event frame carrying one Anthropic event, as Bedrock sends it (base64 JSON in `bytes`). */
export function chunk(event: unknown): Uint8Array {
  return chunkOf(new TextEncoder().encode(typeof event === "string" ? event : JSON.stringify(event)));
}

/** A `chunk` frame whose payload is these bytes, whatever they are. */
export function chunkOf(bytes: Uint8Array): Uint8Array {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return codec.encode({
    headers: { ":event-type": str("chunk"), ":content-type": str("application/json"), ":message-type": str("event") },
    body: new TextEncoder().encode(JSON.stringify({ bytes: btoa(bin), p: "abcdefgh" })),
  });
}

export function exception(name: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ":exception-type": str(name), ":content-type": str("application/json"), ":message-type": str("exception") },
    body: new TextEncoder().encode(JSON.stringify({ message })),
  });
}

/** An event frame of a type the Messages stream does not know. */
export function otherEvent(type: string): Uint8Array {
  return codec.encode({
    headers: { ":event-type": str(type), ":content-type": str("application/json"), ":message-type": str("event") },
    body: new TextEncoder().encode("{}"),
  });
}

/** A body read as these chunks; counts reads and remembers a cancel. */
export function readerOver(chunks: Uint8Array[]): ChunkReader & { cancelled: boolean; reads: number } {
  let i = 0;
  const r = {
    cancelled: false,
    reads: 0,
    read: async () => {
      r.reads++;
      return i < chunks.length ? { done: false as const, value: chunks[i++]! } : { done: true as const, value: undefined };
    },
    cancel: async () => void (r.cancelled = true),
  };
  return r;
}

export { concatBytes as concat } from "../../bytes";

/** `whole` cut into reads of `size` bytes (the last one shorter). */
export function splitEvery(whole: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0; at < whole.length; at += size) parts.push(whole.slice(at, at + size));
  return parts;
}

/** A Bedrock answer's events (non-ASCII text, Bedrock's invocation metrics on message_stop). */
export const EVENTS = [
  { type: "message_start", message: { id: "msg_bdrk_01", type: "message", role: "assistant", content: [], usage: { input_tokens: 16, output_tokens: 5 } } },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Olá! ✓ 🎉" } },
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 7 } },
  { type: "message_stop", "amazon-bedrock-invocationMetrics": { inputTokenCount: 16, outputTokenCount: 7, invocationLatency: 451, firstByteLatency: 433 } },
];
