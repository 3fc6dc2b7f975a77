import { describe, expect, it } from "vitest";
import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";
import { HISTORY_TITLE, packHistory } from "./history";
import { messageChars } from "./turns";

const words = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `w${seed}-${i}`).join(" ");

/** A growing chat: plain turns, with a tool loop every fourth turn. */
function conversation(turns: number): AnthropicMessageParam[] {
  const out: AnthropicMessageParam[] = [];
  for (let t = 1; t <= turns; t++) {
    out.push({ role: "user", content: `question ${t}: ${words(30, t)}` });
    if (t % 4 === 0) {
      out.push({ role: "assistant", content: [{ type: "text", text: "checking" }, { type: "tool_use", id: `toolu_${t}`, name: "lookup", input: { q: t } }] });
      out.push({ role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${t}`, content: words(40, t) }] });
    }
    out.push({ role: "assistant", content: `answer ${t}: ${words(30, t + 1000)}` });
  }
  return out;
}

const req = (messages: AnthropicMessageParam[]): AnthropicRequest => ({ model: "m", max_tokens: 10, system: "sys", messages });
const docOf = (body: AnthropicRequest) => {
  const first = body.messages[0]!.content as AnthropicContentBlockParam[];
  const doc = first[0];
  return doc?.type === "document" && doc.source.type === "text" ? doc.source.data : undefined;
};

function assertToolPairs(messages: AnthropicMessageParam[]) {
  messages.forEach((m, i) => {
    if (typeof m.content === "string") return;
    for (const b of m.content) {
      if (b.type === "tool_use") {
        const next = messages[i + 1];
        expect(typeof next?.content !== "string" && next?.content.some((x) => x.type === "tool_result" && x.tool_use_id === b.id)).toBe(true);
      }
      if (b.type === "tool_result") {
        const prev = messages[i - 1];
        expect(typeof prev?.content !== "string" && prev?.content.some((x) => x.type === "tool_use" && x.id === b.tool_use_id)).toBe(true);
      }
    }
  });
}

describe("packHistory", () => {
  it("is off at 0 and below the limit", () => {
    const body = req(conversation(10));
    expect(packHistory(body, 0)).toBe(body);
    expect(packHistory(body, 1_000_000)).toBe(body);
  });

  it("moves older turns into one document and keeps the recent ones as messages", () => {
    const body = req(conversation(30));
    const max = 4000;
    const out = packHistory(body, max);
    const doc = docOf(out)!;
    expect(doc).toContain("question 1:");
    expect(doc).toContain("[tool call toolu_4: lookup]");
    expect(out.messages[0]!.role).toBe("user");
    expect((out.messages[0]!.content as AnthropicContentBlockParam[])[0]).toMatchObject({ title: HISTORY_TITLE });
    expect(out.messages.at(-1)).toBe(body.messages.at(-1));
    const keptChars = out.messages.slice(1).map(messageChars).reduce((a, b) => a + b, 0);
    expect(keptChars).toBeLessThanOrEqual(max);
    assertToolPairs(out.messages);
    expect(out.system).toBe("sys");
  });

  it("keeps the document byte-identical from turn N to N+1, moving only in chunk steps", () => {
    const docs: string[] = [];
    for (let turns = 12; turns <= 60; turns++) {
      const out = packHistory(req(conversation(turns)), 4000);
      docs.push(docOf(out)!);
      assertToolPairs(out.messages);
    }
    let changes = 0;
    for (let i = 1; i < docs.length; i++) if (docs[i] !== docs[i - 1]) changes++;
    // ~20 turns of growth per 2,000-character chunk step (each turn is ~400 characters).
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(docs.length / 3);
    // Every new document extends the previous one: what was packed stays packed.
    for (let i = 1; i < docs.length; i++) expect(docs[i]!.startsWith(docs[i - 1]!)).toBe(true);
  });

  it("never cuts between a tool_use and its tool_result", () => {
    const messages: AnthropicMessageParam[] = [{ role: "user", content: "start" }];
    for (let i = 0; i < 20; i++) {
      messages.push({ role: "assistant", content: [{ type: "tool_use", id: `t${i}`, name: "step", input: { i } }] });
      messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: `t${i}`, content: words(50, i) }] });
    }
    messages.push({ role: "assistant", content: "done" }, { role: "user", content: "next" });
    const out = packHistory(req(messages), 500);
    assertToolPairs(out.messages);
    // The only turn start after 0 is the last user message: the whole loop is packed.
    expect(out.messages).toHaveLength(1);
    expect(docOf(out)).toContain("[tool result t19]");
  });

  it("carries attachments of packed turns forward instead of losing them", () => {
    const image: AnthropicContentBlockParam = { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } };
    const messages = conversation(20);
    messages[0] = { role: "user", content: [image, { type: "text", text: "what is this?" }] };
    const out = packHistory(req(messages), 3000);
    const first = out.messages[0]!.content as AnthropicContentBlockParam[];
    expect(first[1]).toBe(image);
    expect(docOf(out)).toContain("[image 1, attached after this document]");
  });
});
