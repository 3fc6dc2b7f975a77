import { EventStreamCodec } from "@smithy/eventstream-codec";
import type { ChunkReader } from "../upstream";
import { sseErrorEvent, type AnthropicErrorType } from "../anthropic-shaped";

/**
 * Bedrock's streaming answer (`application/vnd.amazon.eventstream`) → the Anthropic SSE
 * bytes the rest of the gateway already reads. Why SSE bytes rather than parsed events:
 * each Bedrock frame carries exactly one Anthropic event as JSON (base64 in `bytes`), so
 * re-framing it as `event: <type>\ndata: <json>\n\n` costs a base64 decode and a copy,
 * with no parse of the event itself; the translator parses it once, as it does for
 * Anthropic's own stream, and the /v1/messages passthrough can hand it to Anthropic SDKs
 * unchanged. One frame layer is added, not a second event model.
 *
 * Framing (length prefix) is done here; each frame is checked and split by AWS's own codec
 * (prelude and message CRC32, typed headers). Pull-based like the rest of the stream path:
 * the Bedrock body is read only when the consumer reads.
 */
const codec = new EventStreamCodec(
  (bytes) => utf8Decoder.decode(bytes),
  (text) => utf8Encoder.encode(text),
);
const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** Bedrock's stream exceptions (API_runtime_ResponseStream) as Anthropic's stream error types. */
const EXCEPTION_TYPES: Record<string, AnthropicErrorType> = {
  throttlingException: "rate_limit_error",
  serviceUnavailableException: "overloaded_error",
  modelTimeoutException: "timeout_error",
  validationException: "invalid_request_error",
  internalServerException: "api_error",
  modelStreamErrorException: "api_error",
};

export function bedrockStreamToSse(source: ChunkReader, label: string): ChunkReader {
  let pending: Uint8Array | null = null;
  let finished = false;

  /** Frames fully inside `buf` → SSE text (latin1: one char per byte); returns the unread tail. */
  const drain = (buf: Uint8Array, out: string[]): Uint8Array | null => {
    let at = 0;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (buf.byteLength - at >= 4) {
      const length = view.getUint32(at, false);
      if (length < 16) throw new Error(`a frame declares ${length} bytes, less than its own envelope`);
      if (buf.byteLength - at < length) break;
      const frame = buf.subarray(at, at + length);
      at += length;
      const text = frameToSse(frame, label);
      out.push(text);
      if (text.startsWith("event: error")) {
        finished = true;
        return null;
      }
    }
    return at === buf.byteLength ? null : buf.slice(at);
  };

  return {
    async read() {
      while (!finished) {
        const { done, value } = await source.read();
        if (done) {
          finished = true;
          if (pending && pending.byteLength) {
            return { done: false, value: utf8Encoder.encode(sseErrorEvent("api_error", `The ${label} stream ended inside an event-stream frame; the answer is incomplete.`)) };
          }
          return { done: true, value: undefined };
        }
        const buf = pending ? concat(pending, value) : value;
        const out: string[] = [];
        try {
          pending = drain(buf, out);
        } catch (error) {
          finished = true;
          out.push(binary(sseErrorEvent("api_error", `The ${label} stream could not be decoded (${error instanceof Error ? error.message : String(error)}); the answer is incomplete.`)));
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
  const message = codec.decode(frame);
  const kind = message.headers[":message-type"]?.value;
  if (kind === "event") {
    const eventType = message.headers[":event-type"]?.value;
    if (eventType !== "chunk") return ""; // future event types: nothing the Messages stream knows
    const json = atob(base64Of(utf8Decoder.decode(message.body))); // latin1: the UTF-8 bytes of the event, one char each
    return `event: ${eventName(json)}\ndata: ${json.includes("\n") ? oneLine(json) : json}\n\n`;
  }
  if (kind === "exception") {
    const name = String(message.headers[":exception-type"]?.value ?? "exception");
    return binary(sseErrorEvent(EXCEPTION_TYPES[name] ?? "api_error", `${label} stream failed: ${name}: ${exceptionMessage(message.body)}`));
  }
  if (kind === "error") {
    const code = String(message.headers[":error-code"]?.value ?? "error");
    return binary(sseErrorEvent("api_error", `${label} stream failed: ${code}: ${String(message.headers[":error-message"]?.value ?? "")}`));
  }
  return "";
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

function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
