import { describe, expect, it } from "vitest";
import { conversationAffinity } from "./affinity";

const turn1 = { model: "m", system: "be brief", messages: [{ role: "user", content: "first question" }] };

describe("conversationAffinity", () => {
  it("is the same for every turn of one conversation", () => {
    const turn3 = { ...turn1, messages: [...turn1.messages, { role: "assistant", content: "a" }, { role: "user", content: "b" }] };
    expect(conversationAffinity(turn3)).toBe(conversationAffinity(turn1));
  });

  it("differs between conversations, models and system prompts", () => {
    const base = conversationAffinity(turn1);
    expect(conversationAffinity({ ...turn1, messages: [{ role: "user", content: "another" }] })).not.toBe(base);
    expect(conversationAffinity({ ...turn1, model: "n" })).not.toBe(base);
    expect(conversationAffinity({ ...turn1, system: "be long" })).not.toBe(base);
  });

  it("ignores cache_control, which clients move between turns", () => {
    const marked = { ...turn1, messages: [{ role: "user", content: [{ type: "text", text: "first question", cache_control: { type: "ephemeral" } }] }] };
    const plain = { ...turn1, messages: [{ role: "user", content: [{ type: "text", text: "first question" }] }] };
    expect(conversationAffinity(marked)).toBe(conversationAffinity(plain));
  });

  it("stays short for a first message carrying megabytes of base64", () => {
    const big = { ...turn1, messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", data: "A".repeat(5_000_000) } }] }] };
    expect(conversationAffinity(big).length).toBeLessThan(1000);
  });
});

describe("conversationAffinity on hostile bodies", () => {
  const deep = (depth: number): unknown => JSON.parse("[".repeat(depth) + "]".repeat(depth));

  it("does not throw for a first message or system prompt nested 100,000 deep", () => {
    expect(() => conversationAffinity({ model: "m", system: deep(100_000), messages: [{ role: "user", content: "x" }] })).not.toThrow();
    expect(() => conversationAffinity({ model: "m", messages: [deep(100_000)] })).not.toThrow();
  });

  it("still tells models apart for such bodies", () => {
    const a = conversationAffinity({ model: "m", messages: [deep(100_000)] });
    const b = conversationAffinity({ model: "n", messages: [deep(100_000)] });
    expect(a).not.toBe(b);
  });
});
