import { createParser } from "eventsource-parser";
import type { ReportedUsage } from "./tenancy";
import { concatBytes } from "../bytes";

/**
 * What an upstream answer used, read off its bytes as they pass (the Anthropic-format
 * passthrough, where nothing else parses them): the usage of the JSON message, or of a
 * stream's message_start and (cumulative) message_delta events. Settles exactly once:
 * when the body ends, fails, or is cancelled (the client went away). A stream that ended
 * before its final usage is reported with what the upstream had said so far, its output
 * estimated from the text that went through, and marked `estimated`.
 */
export interface Metered {
  usage: ReportedUsage;
  /** The model the upstream says answered, when it said so. */
  model: string | undefined;
  estimated: boolean;
  /** complete: the whole answer; aborted: the client left; failed: the upstream body broke. */
  end: "complete" | "aborted" | "failed";
}

/** Tokens guessed from text: about four characters (bytes of JSON) per token. */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/** Reads usage out of SSE text, event by event. */
export class StreamUsageReader {
  private readonly parser = createParser({ onEvent: (e) => this.event(e.event, e.data) });
  private readonly decoder = new TextDecoder();
  private usage: ReportedUsage | undefined;
  private model: string | undefined;
  private final = false;
  private deltaChars = 0;

  feed(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text) this.parser.feed(text);
  }

  result(end: Metered["end"], promptBytes: number): Metered {
    const reported = this.usage;
    if (this.final && reported) return { usage: reported, model: this.model, estimated: false, end };
    // Ended early: keep what the upstream said (message_start has the input side), estimate the output.
    const usage: ReportedUsage = reported ? { ...reported } : { input_tokens: estimateTokens(promptBytes) };
    usage.output_tokens = Math.max(reported?.output_tokens ?? 0, estimateTokens(this.deltaChars));
    return { usage, model: this.model, estimated: true, end };
  }

  private event(event: string | undefined, data: string): void {
    const type = event ?? "";
    if (type === "content_block_delta") {
      // The delta's own text, roughly: the event's JSON minus its envelope.
      this.deltaChars += Math.max(0, data.length - 60);
      return;
    }
    if (type !== "message_start" && type !== "message_delta") return;
    try {
      const ev = JSON.parse(data) as { message?: { model?: string; usage?: ReportedUsage }; usage?: ReportedUsage };
      if (type === "message_start") {
        this.model = ev.message?.model ?? this.model;
        if (ev.message?.usage) this.usage = { ...ev.message.usage };
      } else if (ev.usage) {
        this.usage = { ...this.usage };
        for (const [k, v] of Object.entries(ev.usage)) if (v !== null && v !== undefined) (this.usage as Record<string, unknown>)[k] = v;
        this.final = true;
      }
    } catch {
      // a malformed event carries no usage we can trust
    }
  }
}

/**
 * Passes a body through unchanged while metering it. `json` bodies (a non-stream
 * message) are collected up to a bound and parsed at the end; `sse` bodies are read
 * event by event. `onSettled` runs once, never throws into the stream.
 */
export function meterBody(body: ReadableStream<Uint8Array>, kind: "json" | "sse", promptBytes: number, onSettled: (m: Metered) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const sse = kind === "sse" ? new StreamUsageReader() : undefined;
  const chunks: Uint8Array[] = [];
  let collected = 0;
  let settled = false;
  const settle = (end: Metered["end"]) => {
    if (settled) return;
    settled = true;
    let m: Metered;
    if (sse) m = sse.result(end, promptBytes);
    else m = jsonResult(chunks, end, promptBytes, collected);
    try {
      onSettled(m);
    } catch {
      // metering must never break the client's answer
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (err) {
        settle("failed");
        controller.error(err);
        return;
      }
      if (r.done) {
        settle("complete");
        controller.close();
        return;
      }
      if (sse) sse.feed(r.value);
      else if (collected < MAX_JSON_BYTES) {
        chunks.push(r.value);
        collected += r.value.byteLength;
      }
      controller.enqueue(r.value);
    },
    cancel(reason) {
      settle("aborted");
      return reader.cancel(reason);
    },
  });
}

const MAX_JSON_BYTES = 16 << 20;

function jsonResult(chunks: Uint8Array[], end: Metered["end"], promptBytes: number, collected: number): Metered {
  if (end === "complete" && collected < MAX_JSON_BYTES) {
    try {
      const text = new TextDecoder().decode(concatBytes(chunks));
      const msg = JSON.parse(text) as { model?: string; usage?: ReportedUsage };
      if (msg.usage) return { usage: msg.usage, model: msg.model, estimated: false, end };
    } catch {
      // fall through to the estimate
    }
  }
  return { usage: { input_tokens: estimateTokens(promptBytes), output_tokens: estimateTokens(Math.max(0, collected - 300)) }, model: undefined, estimated: true, end };
}
