import { MessageAssembler } from "../../translate/assemble";
import { sumUsage, type UpstreamUsage } from "../../translate/usage";
import { MAX_CONTINUATIONS } from "./continuation";

/**
 * pause_turn continuation for a streamed answer: the parts' events go out as one answer.
 * The first part's message_start opens it; each later part's blocks follow with their
 * indices moved past the blocks before; a paused part's message_delta/message_stop are
 * held back while the next part is asked for (`next`, with the content so far); usage on
 * the last message_delta is the sum of the parts. Structural types: any event source and
 * sink with the chat core's shapes (platforms/anthropic/events.ts) fit.
 */
type Event = { type: string; [field: string]: any };
interface Sink {
  event(ev: Event): void;
  fail(error: { type: string; message: string }): void;
  end(): void;
}
interface Source {
  pull(sink: Sink): Promise<boolean>;
  cancel(reason?: string): void;
}

export function continuePausedEvents(first: Source, next: (content: readonly Record<string, any>[]) => Promise<Source>, max = MAX_CONTINUATIONS): Source {
  let source = first;
  let parts = 0;
  let offset = 0;
  let base: UpstreamUsage | null = null;
  let partUsage: UpstreamUsage = {};
  let paused: Event | null = null;
  let continuing = false;
  const assembler = new MessageAssembler();
  const content: Record<string, any>[] = [];

  const proxy = (sink: Sink): Sink => ({
    event(ev) {
      if (continuing) return;
      switch (ev.type) {
        case "message_start":
          partUsage = { ...(ev.message?.usage ?? {}) };
          if (parts > 0) return; // the answer is already open
          break;
        case "content_block_start":
        case "content_block_delta":
        case "content_block_stop":
          assembler.event(ev);
          if (offset > 0) ev = { ...ev, index: ev.index + offset };
          break;
        case "message_delta":
          if (ev.usage) partUsage = { ...partUsage, ...ev.usage };
          if (ev.delta?.stop_reason === "pause_turn" && parts < max) {
            paused = ev;
            return;
          }
          if (base) ev = { ...ev, usage: sumUsage(base, partUsage) };
          break;
        case "message_stop":
          if (paused) {
            continuing = true;
            return;
          }
          break;
      }
      sink.event(ev);
    },
    fail: (error) => sink.fail(error),
    end: () => {
      if (!continuing) sink.end();
    },
  });

  return {
    async pull(sink) {
      const over = await source.pull(proxy(sink));
      if (!continuing) return over;
      // The part paused and ended: ask for the next one with everything so far.
      content.push(...assembler.blocks());
      base = sumUsage(base, partUsage);
      offset = content.length;
      parts++;
      paused = null;
      continuing = false;
      assembler.content.length = 0;
      source.cancel("continued");
      try {
        source = await next(content);
      } catch (err) {
        sink.fail({ type: "upstream_error", message: `Continuing a paused web search turn failed: ${err instanceof Error ? err.message : String(err)}` });
        return true;
      }
      return false;
    },
    cancel(reason) {
      source.cancel(reason);
    },
  };
}
