import { describe, expect, it } from "vitest";
import { postChat, startGateway, type Gateway } from "../helpers/gateway";
import { fakePdfBase64 } from "../../src/uploads/test-support";

/**
 * Issue 3, long conversations: attachments uploaded once, history packed into a stable
 * document, overflow trimmed and retried once, and automatic prompt caching, all
 * through POST /v1/chat/completions with the simulator as the judge.
 */

const MODEL = "claude-sonnet-4-5";
const MB = 1024 * 1024;
const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
const uploads = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/files");
type Usage = { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number; cache_write_tokens: number } };

/** What a frontend like NextChat sends at turn `turns`: every user turn carries the same PDF again. */
function chatResendingPdf(pdf: string, turns: number) {
  const messages: unknown[] = [];
  for (let t = 1; t <= turns; t++) {
    if (t > 1) messages.push({ role: "assistant", content: `answer ${t - 1}` });
    messages.push({ role: "user", content: [{ type: "file", file: { filename: "big.pdf", file_data: `data:application/pdf;base64,${pdf}` } }, { type: "text", text: `question ${t}` }] });
  }
  return { model: MODEL, messages };
}

describe("a large attachment resent every turn crosses to the upstream once", () => {
  it("uploads a 2 MB PDF once in a 3-turn chat and references its file_id thereafter", async () => {
    const gw = startGateway();
    const pdf = fakePdfBase64(2 * MB);
    for (let turn = 1; turn <= 3; turn++) {
      const res = await postChat(gw, chatResendingPdf(pdf, turn));
      expect(res.status, await res.clone().text()).toBe(200);
    }
    expect(uploads(gw)).toHaveLength(1);
    expect(gw.sim.files.size).toBe(1);
    const [fileId] = [...gw.sim.files.keys()];
    const calls = messagesCalls(gw);
    expect(calls).toHaveLength(3);
    calls.forEach((call, i) => {
      const docs = call.body.messages.flatMap((m: any) => (typeof m.content === "string" ? [] : m.content)).filter((b: any) => b.type === "document");
      expect(docs).toHaveLength(i + 1);
      for (const d of docs) expect(d.source).toEqual({ type: "file", file_id: fileId });
      // The base64 itself never crossed again after the upload.
      expect(JSON.stringify(call.body)).not.toContain(pdf.slice(1000, 1200));
      expect(call.apiKey).toBe(gw.sim.files.get(fileId!)!.apiKey);
    });
  });

  it("sends an attachment below UPLOAD_THRESHOLD_BYTES inline", async () => {
    const gw = startGateway();
    const pdf = fakePdfBase64(64 * 1024);
    expect((await postChat(gw, chatResendingPdf(pdf, 1))).status).toBe(200);
    expect(uploads(gw)).toHaveLength(0);
    expect(messagesCalls(gw)[0]!.body.messages[0].content[0].source).toMatchObject({ type: "base64", data: pdf });
  });
});

describe("MAX_CHAT_HISTORY_LENGTH", () => {
  /** A chat of `turns` user turns, each turn ~400 characters of text. */
  function longChat(turns: number) {
    const messages: unknown[] = [{ role: "system", content: "You are terse." }];
    for (let t = 1; t <= turns; t++) {
      messages.push({ role: "user", content: `question ${t}: ${"lorem ipsum ".repeat(16)}` });
      if (t < turns) messages.push({ role: "assistant", content: `answer ${t}: ${"dolor sit amet ".repeat(12)}` });
    }
    return { model: MODEL, messages };
  }
  const historyDoc = (call: { body: any }) => call.body.messages[0].content.find((b: any) => b.type === "document" && b.title === "Earlier part of this conversation");

  it("is off by default: every turn stays a message", async () => {
    const gw = startGateway();
    expect((await postChat(gw, longChat(12))).status).toBe(200);
    expect(messagesCalls(gw)[0]!.body.messages).toHaveLength(23);
  });

  it("packs older turns into one document that stays byte-identical from turn to turn", async () => {
    const gw = startGateway({ MAX_CHAT_HISTORY_LENGTH: "3000" });
    const docs: string[] = [];
    for (let turns = 10; turns <= 24; turns++) {
      const res = await postChat(gw, longChat(turns));
      expect(res.status, await res.clone().text()).toBe(200);
      const call = messagesCalls(gw).at(-1)!;
      const doc = historyDoc(call);
      expect(doc, `turn ${turns}`).toBeDefined();
      expect(doc.source.type).toBe("text");
      const recentChars = call.body.messages.slice(1).reduce((n: number, m: any) => n + JSON.stringify(m.content).length, 0);
      expect(recentChars).toBeLessThan(3000 + 1000);
      docs.push(doc.source.data);
    }
    // The cut moves in chunk-sized steps: between steps the document is identical
    // (so it is read from cache), and a step only appends to it.
    let identical = 0;
    for (let i = 1; i < docs.length; i++) {
      if (docs[i] === docs[i - 1]) identical++;
      else expect(docs[i]!.startsWith(docs[i - 1]!)).toBe(true);
    }
    expect(identical).toBeGreaterThanOrEqual(docs.length / 2);
    expect(docs[0]).toContain("question 1:");
  });
});

describe("a conversation that outgrew the context window", () => {
  function chat(turns: number) {
    const messages: unknown[] = [{ role: "system", content: "Keep me." }];
    for (let t = 1; t <= turns; t++) {
      messages.push({ role: "user", content: `question ${t} ${"x".repeat(2000)}` });
      if (t < turns) messages.push({ role: "assistant", content: `answer ${t} ${"y".repeat(2000)}` });
    }
    return { model: MODEL, messages };
  }
  const tooLong = { error: { status: 400, type: "invalid_request_error", message: "prompt is too long: 250000 tokens > 200000 maximum" } };

  it.each([false, true])("is trimmed, retried once and answered with x-claude2api-context-trimmed (stream: %s)", async (stream) => {
    const gw = startGateway();
    gw.sim.script(tooLong);
    const res = await postChat(gw, { ...chat(10), stream });
    expect(res.status, await res.clone().text()).toBe(200);
    const removed = Number(res.headers.get("x-claude2api-context-trimmed"));
    expect(removed).toBeGreaterThan(0);
    const [first, retry] = messagesCalls(gw);
    expect(messagesCalls(gw)).toHaveLength(2);
    expect(retry!.body.messages.length).toBe(first!.body.messages.length - removed);
    const text = JSON.stringify(retry!.body);
    expect(text).toContain("Keep me.");
    expect(text).toContain("question 1 ");
    expect(text).toContain("question 10 ");
    expect(text).not.toContain("question 2 ");
    expect(text).toContain(`${removed} earlier messages were left out`);
    await res.text();
  });

  it("is retried only once: a second overflow is the client's 400", async () => {
    const gw = startGateway();
    gw.sim.script(tooLong, tooLong);
    const res = await postChat(gw, chat(10));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("prompt is too long");
    expect(messagesCalls(gw)).toHaveLength(2);
  });

  it("other 400s are not retried", async () => {
    const gw = startGateway();
    gw.sim.script({ error: { status: 400, type: "invalid_request_error", message: "messages.1: something else" } });
    expect((await postChat(gw, chat(10))).status).toBe(400);
    expect(messagesCalls(gw)).toHaveLength(1);
  });
});

describe("automatic prompt caching", () => {
  const SYSTEM = `You are a careful assistant. ${"Follow the house style guide in every answer. ".repeat(360)}`;
  const tool = { type: "function", function: { name: "lookup", description: "Looks things up", parameters: { type: "object", properties: { q: { type: "string" } } } } };
  const marks = (body: any) => {
    const out: Array<{ where: string; cc: unknown }> = [];
    (body.tools ?? []).forEach((t: any, i: number) => t.cache_control && out.push({ where: `tools.${i}`, cc: t.cache_control }));
    (Array.isArray(body.system) ? body.system : []).forEach((b: any, i: number) => b.cache_control && out.push({ where: `system.${i}`, cc: b.cache_control }));
    body.messages.forEach((m: any, i: number) => {
      if (typeof m.content === "string") return;
      m.content.forEach((b: any, j: number) => b.cache_control && out.push({ where: `messages.${i}.${j}`, cc: b.cache_control }));
    });
    return out;
  };

  it("places breakpoints on tools, system, the previous user turn and the end of the conversation", async () => {
    const gw = startGateway();
    const res = await postChat(gw, {
      model: MODEL,
      tools: [tool],
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: "first" },
        { role: "assistant", content: "one" },
        { role: "user", content: "second" },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const where = marks(messagesCalls(gw)[0]!.body).map((m) => m.where);
    expect(where).toEqual(["tools.0", "system.0", "messages.0.0", "messages.2.0"]);
  });

  it("keeps a client's breakpoints, ttl included, and never exceeds four", async () => {
    const gw = startGateway();
    const res = await postChat(gw, {
      model: MODEL,
      tools: [tool],
      messages: [
        { role: "system", content: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral", ttl: "1h" } }] },
        { role: "user", content: [{ type: "text", text: "first", cache_control: { type: "ephemeral" } }] },
        { role: "assistant", content: "one" },
        { role: "user", content: [{ type: "text", text: "second", cache_control: { type: "ephemeral" } }] },
        { role: "assistant", content: "two" },
        { role: "user", content: [{ type: "text", text: "third", cache_control: { type: "ephemeral" } }] },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const found = marks(messagesCalls(gw)[0]!.body);
    expect(found).toHaveLength(4);
    expect(found).toContainEqual({ where: "system.0", cc: { type: "ephemeral", ttl: "1h" } });
  });

  it("AUTO_CACHE=false places none of its own", async () => {
    const gw = startGateway({ AUTO_CACHE: "false" });
    await postChat(gw, { model: MODEL, tools: [tool], messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "hi" }] });
    expect(marks(messagesCalls(gw)[0]!.body)).toEqual([]);
  });

  it("makes a multi-turn chat read a growing share of its prompt from cache", async () => {
    const gw = startGateway();
    const messages: unknown[] = [{ role: "system", content: SYSTEM }];
    const cached: number[] = [];
    for (let turn = 1; turn <= 5; turn++) {
      messages.push({ role: "user", content: `question ${turn}: ${"please elaborate on the guide. ".repeat(40)}` });
      const res = await postChat(gw, { model: MODEL, messages });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { choices: Array<{ message: { content: string } }>; usage: Usage };
      cached.push(body.usage.prompt_tokens_details.cached_tokens);
      if (turn === 1) expect(body.usage.prompt_tokens_details.cache_write_tokens).toBeGreaterThan(0);
      messages.push({ role: "assistant", content: body.choices[0]!.message.content });
    }
    expect(cached[0]).toBe(0);
    for (let i = 1; i < cached.length; i++) expect(cached[i]!, `turn ${i + 1}: ${cached.join(",")}`).toBeGreaterThan(cached[i - 1]!);
  });
});
