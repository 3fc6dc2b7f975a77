import { createParser, type EventSourceParser } from "eventsource-parser";

/**
 * Upstream SSE bytes → (event name, data text) callbacks, synchronously, in the same
 * pass as the translation: no intermediate stream and no per-event objects beyond the
 * parser's own. Bytes may be split anywhere, even inside a UTF-8 sequence.
 */
export class SseDecoder {
  readonly #decoder = new TextDecoder();
  readonly #parser: EventSourceParser;

  constructor(onEvent: (event: string | undefined, data: string) => void) {
    this.#parser = createParser({ onEvent: (e) => onEvent(e.event, e.data) });
  }

  feed(bytes: Uint8Array): void {
    const text = this.#decoder.decode(bytes, { stream: true });
    if (text) this.#parser.feed(text);
  }

  /** Flushes a final event that lacked its blank line (a body that ended abruptly). */
  end(): void {
    const rest = this.#decoder.decode();
    if (rest) this.#parser.feed(rest);
    this.#parser.reset({ consume: true });
  }
}
