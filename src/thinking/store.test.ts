import { describe, expect, it } from "vitest";
import { TieredThinkingStore, workersCacheBlobs } from "./store";
import type { AnthropicContentBlock } from "../platforms/anthropic/types";

const block = (text: string) => ({ type: "thinking", thinking: text, signature: "sig-" + text }) as unknown as AnthropicContentBlock;
const pending: Promise<unknown>[] = [];
const scope = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };

describe("TieredThinkingStore", () => {
  it("returns the blocks under every tool call id of the turn", async () => {
    const store = new TieredThinkingStore(undefined);
    store.put(["call_a", "call_b"], [block("x")], scope);
    expect(await store.get("call_a")).toEqual([block("x")]);
    expect(await store.get("call_b")).toEqual([block("x")]);
    expect(await store.get("call_c")).toBeUndefined();
  });

  it("evicts the oldest entries beyond its bound", async () => {
    const store = new TieredThinkingStore(undefined, 2);
    store.put(["1"], [block("1")], scope);
    store.put(["2"], [block("2")], scope);
    store.put(["3"], [block("3")], scope);
    expect(await store.get("1")).toBeUndefined();
    expect(await store.get("3")).toEqual([block("3")]);
  });

  it("bounds its local tier by size too: a turn's search results are large", async () => {
    const store = new TieredThinkingStore(undefined, 2000, 3600, 150_000);
    const big = (n: string) => [block(n), { type: "web_search_tool_result", tool_use_id: "srvtoolu_" + n, content: [{ type: "web_search_result", encrypted_content: "e".repeat(30_000) }] } as unknown as AnthropicContentBlock];
    store.put(["a"], big("a"), scope);
    store.put(["b"], big("b"), scope);
    expect(await store.get("a")).toBeDefined();
    store.put(["c"], big("c"), scope);
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("b")).toBeDefined();
    expect(await store.get("c")).toBeDefined();
    // Re-putting an id replaces it without counting it twice.
    for (let i = 0; i < 5; i++) store.put(["c"], big("c"), scope);
    expect(await store.get("b")).toBeDefined();
  });

  it("finds entries another isolate stored in the shared Cache API", async () => {
    const cache = await caches.open("thinking-test");
    const writer = new TieredThinkingStore(workersCacheBlobs(cache));
    writer.put(["toolu_shared"], [block("shared")], scope);
    await Promise.all(pending);
    const reader = new TieredThinkingStore(workersCacheBlobs(cache));
    expect(await reader.get("toolu_shared")).toEqual([block("shared")]);
  });
});
