import { describe, expect, it } from "vitest";
import { continuePausedEvents } from "./continuation-stream";

function source(events: any[]) {
  let i = 0;
  return {
    cancelled: false,
    async pull(sink: any) {
      const ev = events[i++];
      if (ev) sink.event(ev);
      if (i >= events.length) {
        sink.end();
        return true;
      }
      return false;
    },
    cancel() {
      this.cancelled = true;
    },
  };
}

const part = (text: string, stop: string, searches: number) => [
  { type: "message_start", message: { id: "m", usage: { input_tokens: 10, output_tokens: 1 } } },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: stop }, usage: { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: searches, web_fetch_requests: 0 } } },
  { type: "message_stop" },
];

async function drain(src: any) {
  const out: any[] = [];
  const sink = { event: (e: any) => out.push(e), fail: (e: any) => out.push({ type: "fail", e }), end: () => out.push({ type: "end" }) };
  while (!(await src.pull(sink)));
  return out;
}

describe("continuePausedEvents", () => {
  it("one answer from the parts: moved indices, no inner stop, summed usage, the content so far sent on", async () => {
    const asked: any[] = [];
    const chained = continuePausedEvents(source(part("a", "pause_turn", 3)), async (content) => {
      asked.push(structuredClone(content));
      return source(part("b", "end_turn", 1));
    });
    const out = await drain(chained);
    expect(out.map((e) => e.type)).toEqual([
      "message_start", "content_block_start", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop", "end",
    ]);
    expect(out[4].index).toBe(1);
    expect(out[7].delta.stop_reason).toBe("end_turn");
    expect(out[7].usage).toMatchObject({ input_tokens: 20, output_tokens: 10, server_tool_use: { web_search_requests: 4 } });
    expect(asked).toEqual([[{ type: "text", text: "a" }]]);
  });

  it("a failing continuation fails the stream; past the bound the pause goes out as it is", async () => {
    const failing = continuePausedEvents(source(part("a", "pause_turn", 1)), async () => { throw new Error("boom"); });
    const out = await drain(failing);
    expect(out.at(-1)).toMatchObject({ type: "fail", e: { type: "upstream_error" } });
    const bounded = continuePausedEvents(source(part("a", "pause_turn", 1)), async () => source(part("b", "pause_turn", 1)), 1);
    const events = await drain(bounded);
    expect(events.filter((e) => e.type === "message_delta").map((e) => e.delta.stop_reason)).toEqual(["pause_turn"]);
    expect(events.filter((e) => e.type === "content_block_start")).toHaveLength(2);
  });
});
