import { describe, expect, it } from "vitest";
import { continuationBody, continuePaused, mayPause } from "./continuation";

const part = (text: string, stop: string, searches: number): any => ({
  id: `msg_${text}`, type: "message", role: "assistant", model: "m", stop_sequence: null, stop_reason: stop,
  content: [{ type: "text", text }],
  usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 1, cache_creation_input_tokens: 0, server_tool_use: { web_search_requests: searches, web_fetch_requests: 0 } },
});

describe("pause_turn continuation", () => {
  it("continues until the turn ends, sending the content so far back; one message, usage summed", async () => {
    const sent: unknown[][] = [];
    const parts = [part("b", "pause_turn", 3), part("c", "end_turn", 1)];
    const out = await continuePaused(part("a", "pause_turn", 3), async (content) => {
      sent.push([...content]);
      return parts.shift()!;
    });
    expect(sent).toEqual([[{ type: "text", text: "a" }], [{ type: "text", text: "a" }, { type: "text", text: "b" }]]);
    expect(out.id).toBe("msg_a");
    expect(out.stop_reason).toBe("end_turn");
    expect(out.content.map((b: any) => b.text)).toEqual(["a", "b", "c"]);
    expect(out.usage).toMatchObject({ input_tokens: 30, output_tokens: 6, cache_read_input_tokens: 3, server_tool_use: { web_search_requests: 7, web_fetch_requests: 0 } });
  });

  it("stops after the bound, leaving pause_turn (rendered as a finished answer)", async () => {
    let calls = 0;
    const out = await continuePaused(part("a", "pause_turn", 1), async () => (calls++, part("x", "pause_turn", 1)), 2);
    expect(calls).toBe(2);
    expect(out.stop_reason).toBe("pause_turn");
    expect(out.content).toHaveLength(3);
  });

  it("a finished answer is returned as it is; the next body ends with the assistant turn", async () => {
    const first = part("a", "end_turn", 0);
    expect(await continuePaused(first, async () => { throw new Error("no"); })).toBe(first);
    expect(continuationBody({ model: "m", messages: [{ role: "user", content: "q" }] }, [{ type: "text", text: "a" } as any])).toEqual({ model: "m", messages: [{ role: "user", content: "q" }, { role: "assistant", content: [{ type: "text", text: "a" }] }] });
  });
});

describe("mayPause", () => {
  it("is true only with a server tool in the body", () => {
    expect(mayPause({})).toBe(false);
    expect(mayPause({ tools: [{ name: "get_weather", input_schema: { type: "object" } }, { type: "custom", name: "x" }] })).toBe(false);
    expect(mayPause({ tools: [{ name: "get_weather" }, { type: "web_search_20250305", name: "web_search" }] })).toBe(true);
    expect(mayPause({ tools: [{ type: "web_fetch_20250910", name: "web_fetch" }] })).toBe(true);
  });
});
