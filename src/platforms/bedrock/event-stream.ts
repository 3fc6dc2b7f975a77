import type { ChunkReader } from "../upstream";
import { sseErrorEvent } from "../anthropic-shaped";
import { latin1, readFrame, splitFrames, truncatedMessage, undecodableMessage, utf8Decoder, utf8Encoder } from "./frames";
import { concatBytes } from "../../bytes";

/**
 * Bedrock's streaming answer (`application/vnd.amazon.eventstream`) → Anthropic's SSE
 * bytes, for the /v1/messages passthrough only: its clients are Anthropic SDKs, which read
 * SSE. Each frame carries exactly one Anthropic event as JSON (base64 in `bytes`), so the
 * re-framing as `event: <type>\ndata: <json>\n\n` costs a base64 decode and a copy, with
 * no parse of the event itself.
 *
 * The chat renderers do not come this way: they take the frames' events straight
 * (events.ts, offered as the answer's `anthropicEvents()`), because SSE text only to be
 * split and parsed again made a Bedrock chat stream cost ~2.8× an Anthropic one
 * (bench/eventstream.mjs).
 *
 * Frames are split and checked in frames.ts. Pull-based like the rest of the stream path:
 * the Bedrock body is read only when the consumer reads.
 */
export function bedrockStreamToSse(source: ChunkReader, label: string): ChunkReader {
  let pending: Uint8Array | null = null;
  let finished = false;

  /** Frames fully inside `buf` → SSE text (latin1: one char per byte); returns the unread tail. */
  const drain = (buf: Uint8Array, out: string[]): Uint8Array | null =>
    splitFrames(buf, (frame) => {
      const text = frameToSse(frame, label);
      out.push(text);
      if (text.startsWith("event: error")) {
        finished = true;
        return false;
      }
      return true;
    });

  return {
    async read() {
      while (!finished) {
        const { done, value } = await source.read();
        if (done) {
          finished = true;
          if (pending && pending.byteLength) {
            return { done: false, value: utf8Encoder.encode(sseErrorEvent("api_error", truncatedMessage(label))) };
          }
          return { done: true, value: undefined };
        }
        const buf = pending ? concatBytes([pending, value]) : value;
        const out: string[] = [];
        try {
          pending = drain(buf, out);
        } catch (error) {
          finished = true;
          out.push(binary(sseErrorEvent("api_error", undecodableMessage(label, error))));
        }
        if (finished) source.cancel().catch(() => {});
        if (out.length) return { done: false, value: latin1(out.join("")) };
      }
      return { done: true, value: undefined };
    },
    cancel(reason) {
      finished = true;
      return source.cancel(reason);
    },
  };
}

/** One checked frame → its SSE text; an exception frame → an SSE error event. */
function frameToSse(frame: Uint8Array, label: string): string {
  const what = readFrame(frame, label);
  if (what.kind === "chunk") {
    const json = what.json; // latin1: the UTF-8 bytes of the event, one char each
    return `event: ${eventName(json)}\ndata: ${json.includes("\n") ? oneLine(json) : json}\n\n`;
  }
  if (what.kind === "error") return binary(sseErrorEvent(what.type, what.message));
  return "";
}

/** The event's `type` from its opening (Anthropic's events start with it), else by parsing. */
function eventName(latin1Json: string): string {
  const m = /^\{\s*"type"\s*:\s*"([a-z_]+)"/.exec(latin1Json);
  if (m) return m[1]!;
  try {
    const type = (JSON.parse(latin1Json) as { type?: unknown }).type;
    return typeof type === "string" ? type : "message";
  } catch {
    return "message";
  }
}

/** A pretty-printed event would break the SSE line; re-serialise it (never seen from Bedrock). */
function oneLine(latin1Json: string): string {
  const text = utf8Decoder.decode(latin1(latin1Json));
  return binary(JSON.stringify(JSON.parse(text)));
}

/** Text as a latin1 string of its UTF-8 bytes, to sit beside the decoded base64 in one output. */
function binary(text: string): string {
  const bytes = utf8Encoder.encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}
