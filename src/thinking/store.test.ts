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

  it("finds entries another isolate stored in the shared Cache API", async () => {
    const cache = await caches.open("thinking-test");
    const writer = new TieredThinkingStore(workersCacheBlobs(cache));
    writer.put(["toolu_shared"], [block("shared")], scope);
    await Promise.all(pending);
    const reader = new TieredThinkingStore(workersCacheBlobs(cache));
    expect(await reader.get("toolu_shared")).toEqual([block("shared")]);
  });
});
