import { describe, expect, inject, it } from "vitest";
import { MessageAssembler } from "./assemble";

describe("MessageAssembler", () => {
  it("rebuilds the recorded web-search answer from its stream", () => {
    const events = inject("recordedFixtures")["anthropic-web-search-tool.1.chunks.txt"]!.trim().split("\n").map((l) => JSON.parse(l));
    const a = new MessageAssembler();
    for (const ev of events) a.event(ev);
    const blocks = a.blocks();
    expect(a.stopReason).toBe("end_turn");
    expect(blocks[0]).toEqual({ type: "server_tool_use", id: "srvtoolu_01Bj5uzzLcYG5hfueSLcDH8k", name: "web_search", input: { query: "tech news today September 26 2025" } });
    expect(blocks[1]!.type).toBe("web_search_tool_result");
    expect(blocks[3]!.citations).toHaveLength(3);
    expect(blocks[3]!.text).toMatch(/^Apple today announced.*JST\.$/);
    expect(blocks).toHaveLength(21);
  });

  it("thinking keeps its signature; tool input parses at block stop", () => {
    const a = new MessageAssembler();
    a.event({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } });
    a.event({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Hm." } });
    a.event({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig" } });
    a.event({ type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "t", name: "f", input: {} } });
    a.event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"a":' } });
    a.event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "1}" } });
    a.event({ type: "content_block_stop", index: 1 });
    a.event({ type: "message_delta", delta: { stop_reason: "pause_turn" } });
    expect(a.blocks()).toEqual([{ type: "thinking", thinking: "Hm.", signature: "sig" }, { type: "tool_use", id: "t", name: "f", input: { a: 1 } }]);
    expect(a.stopReason).toBe("pause_turn");
  });
});
