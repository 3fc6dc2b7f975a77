import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { BASE, getRequest, KEY, messagesRequest, send, userTurn } from "./test-support";

const FILES_BETA = { "anthropic-beta": "files-api-2025-04-14" };

function upload(sim: ClaudeSimulator, name: string, type: string, bytes: Uint8Array, key = KEY) {
  const form = new FormData();
  form.append("file", new File([bytes], name, { type }));
  return sim.fetch(new Request(`${BASE}/v1/files`, { method: "POST", headers: { "x-api-key": key, "anthropic-version": "2023-06-01", ...FILES_BETA }, body: form }));
}

describe("count_tokens", () => {
  it("counts what a message would bill as input", async () => {
    const sim = new ClaudeSimulator();
    const body = { model: "claude-sonnet-4-5", system: "Be nice.", messages: [{ role: "user", content: "How many tokens is this?" }] };
    const res = await sim.fetch(messagesRequest(body, {}, "/v1/messages/count_tokens"));
    expect(res.status).toBe(200);
    const { input_tokens } = await res.json<any>();
    const sent = await send(sim, { ...body, max_tokens: 10 });
    expect(input_tokens).toBe(sent.json.usage.input_tokens);
    const bad = await sim.fetch(messagesRequest({ model: "claude-nope", messages: [{ role: "user", content: "x" }] }, {}, "/v1/messages/count_tokens"));
    expect(bad.status).toBe(404);
  });
});

describe("received", () => {
  it("keeps only the latest maxReceived requests, so a long-lived demo does not grow without bound", async () => {
    const sim = new ClaudeSimulator({ maxReceived: 2 });
    for (const q of ["a", "b", "c"]) await sim.fetch(getRequest(`/v1/models?limit=1&q=${q}`));
    expect(sim.received.map((r) => r.query)).toEqual(["limit=1&q=b", "limit=1&q=c"]);
  });
});

describe("models", () => {
  it("lists newest first with pagination", async () => {
    const sim = new ClaudeSimulator();
    const all = await (await sim.fetch(getRequest("/v1/models?limit=1000"))).json<any>();
    expect(all.has_more).toBe(false);
    expect(all.first_id).toBe(all.data[0].id);
    const dates = all.data.map((m: any) => m.created_at);
    expect([...dates].sort().reverse()).toEqual(dates);
    const ids = all.data.map((m: any) => m.id);
    for (const id of ["claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6", "claude-sonnet-4-6", "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-opus-4-1-20250805", "claude-sonnet-5", "claude-opus-5", "claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5", "claude-fable-5"]) {
      expect(ids).toContain(id);
    }
    const page1 = await (await sim.fetch(getRequest("/v1/models?limit=2"))).json<any>();
    expect(page1).toMatchObject({ has_more: true, first_id: ids[0], last_id: ids[1] });
    const page2 = await (await sim.fetch(getRequest(`/v1/models?limit=2&after_id=${page1.last_id}`))).json<any>();
    expect(page2.data.map((m: any) => m.id)).toEqual(ids.slice(2, 4));
    const back = await (await sim.fetch(getRequest(`/v1/models?limit=2&before_id=${ids[2]}`))).json<any>();
    expect(back.data.map((m: any) => m.id)).toEqual(ids.slice(0, 2));
  });

  it("resolves aliases and reports capabilities that match what /v1/messages enforces", async () => {
    const sim = new ClaudeSimulator();
    const sonnet = await (await sim.fetch(getRequest("/v1/models/claude-sonnet-4-5"))).json<any>();
    expect(sonnet).toMatchObject({ type: "model", id: "claude-sonnet-4-5-20250929", max_tokens: 64000, max_input_tokens: 200000 });
    expect(sonnet.capabilities.thinking.types).toMatchObject({ enabled: { supported: true }, adaptive: { supported: false } });
    const opus = await (await sim.fetch(getRequest("/v1/models/claude-opus-4-8"))).json<any>();
    expect(opus).toMatchObject({ max_tokens: 128000, max_input_tokens: 1000000 });
    expect(opus.capabilities).toMatchObject({
      thinking: { supported: true, types: { enabled: { supported: false }, adaptive: { supported: true }, disabled: { supported: true } } },
      effort: { supported: true, xhigh: { supported: true }, max: { supported: true } },
      image_input: { supported: true }, pdf_input: { supported: true }, structured_outputs: { supported: true },
    });
    const fable = await (await sim.fetch(getRequest("/v1/models/claude-fable-5"))).json<any>();
    expect(fable.capabilities.thinking.types.disabled.supported).toBe(false);
    const missing = await sim.fetch(getRequest("/v1/models/claude-2"));
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error.message).toBe("model: claude-2");
  });

  it("every listed model accepts exactly the thinking types its capabilities claim", async () => {
    const sim = new ClaudeSimulator();
    const { data } = await (await sim.fetch(getRequest("/v1/models?limit=1000"))).json<any>();
    for (const m of data) {
      const types = m.capabilities.thinking.types;
      for (const [type, thinking] of [["enabled", { type: "enabled", budget_tokens: 1024 }], ["adaptive", { type: "adaptive" }], ["disabled", { type: "disabled" }]] as const) {
        const { status } = await send(sim, userTurn("hi", m.id, { max_tokens: 2048, thinking }));
        expect([m.id, type, status]).toEqual([m.id, type, types[type].supported ? 200 : 400]);
      }
    }
  });
});

describe("files", () => {
  it("uploads, lists, gets, refuses download, deletes", async () => {
    const sim = new ClaudeSimulator();
    const res = await upload(sim, "notes.txt", "text/plain", new TextEncoder().encode("hello file"));
    expect(res.status).toBe(200);
    const meta = await res.json<any>();
    expect(meta).toMatchObject({ type: "file", filename: "notes.txt", mime_type: "text/plain", size_bytes: 10, downloadable: false });
    expect(meta.id).toMatch(/^file_[0-9A-Za-z]+$/);
    expect(sim.files.get(meta.id)!.bytes).toEqual(new TextEncoder().encode("hello file"));
    expect(sim.received.at(-1)!.body).toEqual({ filename: "notes.txt", mime_type: "text/plain", size_bytes: 10 });

    const second = await (await upload(sim, "b.pdf", "application/pdf", new Uint8Array(4000))).json<any>();
    const list = await (await sim.fetch(getRequest("/v1/files", FILES_BETA))).json<any>();
    expect(list).toMatchObject({ first_id: second.id, last_id: meta.id, has_more: false });
    expect(list.data).toHaveLength(2);
    expect(await (await sim.fetch(getRequest(`/v1/files/${meta.id}`, FILES_BETA))).json()).toEqual(meta);

    const content = await sim.fetch(getRequest(`/v1/files/${meta.id}/content`, FILES_BETA));
    expect(content.status).toBe(400);

    const gone = await sim.fetch(getRequest(`/v1/files/${meta.id}`, FILES_BETA, "DELETE"));
    expect(await gone.json()).toEqual({ id: meta.id, type: "file_deleted" });
    expect((await sim.fetch(getRequest(`/v1/files/${meta.id}`, FILES_BETA))).status).toBe(404);
  });

  it("keeps files private to the uploading key", async () => {
    const sim = new ClaudeSimulator();
    const meta = await (await upload(sim, "a.txt", "text/plain", new Uint8Array(5))).json<any>();
    const other = await sim.fetch(getRequest(`/v1/files/${meta.id}`, { ...FILES_BETA, "x-api-key": "sk-ant-other" }));
    expect(other.status).toBe(404);
  });

  it("bills a referenced file as input tokens", async () => {
    const sim = new ClaudeSimulator();
    const meta = await (await upload(sim, "big.txt", "text/plain", new Uint8Array(40_000).fill(65))).json<any>();
    const withFile = { model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: [{ type: "document", source: { type: "file", file_id: meta.id } }, { type: "text", text: "Summarize." }] }] };
    const { status, json } = await send(sim, withFile, FILES_BETA);
    expect(status).toBe(200);
    expect(json.usage.input_tokens).toBeGreaterThan(10_000);
    expect(json.content[0].text).toContain("1 document");
    expect((await send(sim, withFile, { ...FILES_BETA, "x-api-key": "sk-ant-other" })).status).toBe(400);
  });

  it("reset forgets everything", async () => {
    const sim = new ClaudeSimulator();
    await upload(sim, "a.txt", "text/plain", new Uint8Array(5));
    sim.script({ content: [{ type: "text", text: "x" }] });
    sim.fault("*", { status: 500 });
    sim.reset();
    expect(sim.files.size).toBe(0);
    expect(sim.received).toHaveLength(0);
    const { json } = await send(sim, userTurn("after reset"));
    expect(json.content[0].text).toContain("after reset");
  });
});
