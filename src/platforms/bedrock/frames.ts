import { EventStreamCodec } from "@smithy/eventstream-codec";
import type { AnthropicErrorType } from "../anthropic-shaped";

/**
 * Bedrock's streaming answer (`application/vnd.amazon.eventstream`), one frame at a time:
 * what both of its readers share (event-stream.ts re-frames it as Anthropic SSE for the
 * /v1/messages passthrough; events.ts hands its events to the chat renderers). Framing
 * (the length prefix) is done here; each frame is checked and split by AWS's own codec
 * (prelude and message CRC32, typed headers), so a corrupted frame is an error, never
 * silent garbage.
 */
const codec = new EventStreamCodec(
  (bytes) => utf8Decoder.decode(bytes),
  (text) => utf8Encoder.encode(text),
);
export const utf8Decoder = new TextDecoder();
export const utf8Encoder = new TextEncoder();

/** Bedrock's stream exceptions (API_runtime_ResponseStream) as Anthropic's stream error types. */
const EXCEPTION_TYPES: Record<string, AnthropicErrorType> = {
  throttlingException: "rate_limit_error",
  serviceUnavailableException: "overloaded_error",
  modelTimeoutException: "timeout_error",
  validationException: "invalid_request_error",
  internalServerException: "api_error",
  modelStreamErrorException: "api_error",
};

/** What one checked frame says. */
export type BedrockFrame =
  /** One Anthropic stream event's JSON, as a latin1 string of its UTF-8 bytes (what atob gives). */
  | { kind: "chunk"; json: string }
  /** The stream failed (an exception or error frame): the answer ends here. */
  | { kind: "error"; type: AnthropicErrorType; message: string }
  /** Nothing the Messages stream knows (future event or message types). */
  | { kind: "other" };

/**
 * The complete frames in `buf`, in order, each handed to `each` until it returns false
 * (the answer is over). Returns the unread tail, or null when nothing is left or `each`
 * stopped. Throws when a frame is malformed (its length, or the codec's checks).
 */
export function splitFrames(buf: Uint8Array, each: (frame: Uint8Array) => boolean): Uint8Array | null {
  let at = 0;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (buf.byteLength - at >= 4) {
    const length = view.getUint32(at, false);
    if (length < 16) throw new Error(`a frame declares ${length} bytes, less than its own envelope`);
    if (buf.byteLength - at < length) break;
    const frame = buf.subarray(at, at + length);
    at += length;
    if (!each(frame)) return null;
  }
  return at === buf.byteLength ? null : buf.slice(at);
}

/** One frame, checked by AWS's codec (throws on a CRC mismatch), as what it says. */
export function readFrame(frame: Uint8Array, label: string): BedrockFrame {
  const message = codec.decode(frame);
  const kind = message.headers[":message-type"]?.value;
  if (kind === "event") {
    if (message.headers[":event-type"]?.value !== "chunk") return { kind: "other" };
    return { kind: "chunk", json: atob(base64Of(utf8Decoder.decode(message.body))) };
  }
  if (kind === "exception") {
    const name = String(message.headers[":exception-type"]?.value ?? "exception");
    return { kind: "error", type: EXCEPTION_TYPES[name] ?? "api_error", message: `${label} stream failed: ${name}: ${exceptionMessage(message.body)}` };
  }
  if (kind === "error") {
    const code = String(message.headers[":error-code"]?.value ?? "error");
    return { kind: "error", type: "api_error", message: `${label} stream failed: ${code}: ${String(message.headers[":error-message"]?.value ?? "")}` };
  }
  return { kind: "other" };
}

/** The answer ended with part of a frame unread. */
export function truncatedMessage(label: string): string {
  return `The ${label} stream ended inside an event-stream frame; the answer is incomplete.`;
}

/** A frame failed the codec's checks (CRC, length, headers) or held no event. */
export function undecodableMessage(label: string, error: unknown): string {
  return `The ${label} stream could not be decoded (${error instanceof Error ? error.message : String(error)}); the answer is incomplete.`;
}

/**
 * `bytes` of a chunk payload (`{"bytes":"<base64>","p":"…"}`). Base64 has no quote or
 * backslash, so when the payload opens with it the value ends at the next quote: a full
 * JSON.parse of the wrapper cost as much as the rest of the decoding.
 */
function base64Of(payload: string): string {
  const head = '{"bytes":"';
  if (payload.startsWith(head)) {
    const end = payload.indexOf('"', head.length);
    if (end > 0) return payload.slice(head.length, end);
  }
  const bytes = (JSON.parse(payload) as { bytes?: unknown }).bytes;
  if (typeof bytes !== "string") throw new Error("a chunk without `bytes`");
  return bytes;
}

function exceptionMessage(body: Uint8Array): string {
  const text = utf8Decoder.decode(body);
  try {
    const parsed = JSON.parse(text) as { message?: unknown; Message?: unknown };
    const m = parsed.message ?? parsed.Message;
    if (typeof m === "string") return m;
  } catch {
    // not JSON: quote what came
  }
  return text.slice(0, 300) || "(no message)";
}

/** A latin1 string (one char per byte) as its bytes. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
