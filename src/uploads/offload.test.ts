import { describe, expect, it } from "vitest";
import type { AnthropicContentBlockParam, AnthropicMessageParam, AnthropicRequest } from "../platforms/anthropic/types";
import { FILES_BETA } from "../platforms/anthropic/files";
import { offloadLargeAttachments, type OffloadContext } from "./offload";
import { fakePdfBase64, KEY_A, KEY_B, scope, silentLog, uploadRig } from "./test-support";

const MB = 1024 * 1024;
const PDF = fakePdfBase64(2 * MB);

function pdfBlock(data = PDF): AnthropicContentBlockParam {
  return { type: "document", source: { type: "base64", media_type: "application/pdf", data }, title: "report.pdf" };
}

/** A chat in which the frontend resends the PDF with every user turn, as NextChat does. */
function chatWithPdf(turns: number): AnthropicRequest {
  const messages: AnthropicMessageParam[] = [];
  for (let t = 0; t < turns; t++) {
    if (t > 0) messages.push({ role: "assistant", content: `answer ${t}` });
    messages.push({ role: "user", content: [pdfBlock(), { type: "text", text: `question ${t + 1}` }] });
  }
  return { model: "claude-sonnet-4-5", max_tokens: 100, messages };
}

function ctxFor(rig: ReturnType<typeof uploadRig>, key = KEY_A, thresholdBytes = MB): OffloadContext {
  return { key, files: rig.files, tracker: rig.tracker, thresholdBytes, scope: scope(), log: silentLog };
}

const uploads = (rig: ReturnType<typeof uploadRig>) => rig.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/files").length;

async function sendToSim(rig: ReturnType<typeof uploadRig>, body: AnthropicRequest, betas: string[], key = KEY_A) {
  const headers: Record<string, string> = { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" };
  if (betas.length) headers["anthropic-beta"] = betas.join(",");
  return rig.sim.fetch(new Request("https://api.anthropic.test/v1/messages", { method: "POST", headers, body: JSON.stringify(body) }));
}

describe("offloadLargeAttachments", () => {
  it("uploads a 2 MB PDF resent in 3 turns once and references it thereafter", async () => {
    const rig = uploadRig();
    const ids = new Set<string>();
    for (let turn = 1; turn <= 3; turn++) {
      const result = await offloadLargeAttachments(chatWithPdf(turn), ctxFor(rig));
      expect(result.betas).toEqual([FILES_BETA]);
      const sources = result.body.messages.flatMap((m) => (typeof m.content === "string" ? [] : m.content)).filter((b) => b.type === "document").map((b) => b.source);
      expect(sources).toHaveLength(turn);
      for (const s of sources) {
        expect(s.type).toBe("file");
        if (s.type === "file") ids.add(s.file_id);
      }
      const res = await sendToSim(rig, result.body, result.betas);
      expect(res.status).toBe(200);
    }
    expect(ids.size).toBe(1);
    expect(uploads(rig)).toBe(1);
    expect(rig.sim.files.size).toBe(1);
    // The upstream never saw the base64 after the upload.
    for (const r of rig.sim.received.filter((r) => r.path === "/v1/messages")) expect(JSON.stringify(r.body)).not.toContain(PDF.slice(0, 200));
  });

  it("keeps block fields (title, cache_control) and shares untouched blocks", async () => {
    const rig = uploadRig();
    const small = { type: "text" as const, text: "hi" };
    const body: AnthropicRequest = {
      model: "m", max_tokens: 10,
      messages: [{ role: "user", content: [{ ...pdfBlock(), cache_control: { type: "ephemeral", ttl: "1h" } } as AnthropicContentBlockParam, small] }],
    };
    const { body: out } = await offloadLargeAttachments(body, ctxFor(rig));
    const blocks = out.messages[0]!.content as AnthropicContentBlockParam[];
    expect(blocks[0]).toMatchObject({ type: "document", title: "report.pdf", cache_control: { type: "ephemeral", ttl: "1h" }, source: { type: "file" } });
    expect(blocks[1]).toBe(small);
    // The caller's body is not modified: a failover to another key offloads it again.
    expect((body.messages[0]!.content as AnthropicContentBlockParam[])[0]).toMatchObject({ source: { type: "base64" } });
  });

  it("offloads large images, including inside tool results, and leaves small ones inline", async () => {
    const rig = uploadRig();
    const big = fakePdfBase64(MB + 10, 7); // bytes only matter for size and hash
    const smallData = fakePdfBase64(1000, 3);
    const body: AnthropicRequest = {
      model: "m", max_tokens: 10,
      messages: [
        { role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: big } }, { type: "image", source: { type: "base64", media_type: "image/png", data: smallData } }] },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "shot", input: {} }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "image", source: { type: "base64", media_type: "image/jpeg", data: fakePdfBase64(MB + 20, 9) } }] }] },
      ],
    };
    const result = await offloadLargeAttachments(body, ctxFor(rig));
    const first = result.body.messages[0]!.content as AnthropicContentBlockParam[];
    expect(first[0]).toMatchObject({ type: "image", source: { type: "file" } });
    expect(first[1]).toBe((body.messages[0]!.content as AnthropicContentBlockParam[])[1]);
    const tr = (result.body.messages[2]!.content as AnthropicContentBlockParam[])[0] as { content: AnthropicContentBlockParam[] };
    expect(tr.content[0]).toMatchObject({ type: "image", source: { type: "file" } });
    expect(result.fileIds).toHaveLength(2);
    expect([...rig.sim.files.values()].map((f) => f.mime_type).sort()).toEqual(["image/jpeg", "image/png"]);
    expect(result.body.messages[1]).toBe(body.messages[1]);
    expect((await sendToSim(rig, { ...result.body, model: "claude-sonnet-4-5" }, result.betas)).status).toBe(200);
  });

  it("returns the same body and no beta when nothing is large, the Files beta when a file is referenced", async () => {
    const rig = uploadRig();
    const plain: AnthropicRequest = { model: "m", max_tokens: 10, messages: [{ role: "user", content: [pdfBlock(fakePdfBase64(1000))] }] };
    expect(await offloadLargeAttachments(plain, ctxFor(rig))).toEqual({ body: plain, betas: [], fileIds: [] });
    const ref: AnthropicRequest = { model: "m", max_tokens: 10, messages: [{ role: "user", content: [{ type: "document", source: { type: "file", file_id: "file_x" } }] }] };
    const out = await offloadLargeAttachments(ref, ctxFor(rig));
    expect(out.body).toBe(ref);
    expect(out.betas).toEqual([FILES_BETA]);
    expect(rig.sim.received).toHaveLength(0);
  });

  it("uploads again for another key: files live in one key's workspace", async () => {
    const rig = uploadRig();
    const a = await offloadLargeAttachments(chatWithPdf(1), ctxFor(rig, KEY_A));
    const b = await offloadLargeAttachments(chatWithPdf(1), ctxFor(rig, KEY_B));
    expect(a.fileIds[0]).not.toBe(b.fileIds[0]);
    expect((await sendToSim(rig, b.body, b.betas, KEY_B)).status).toBe(200);
    expect(rig.sim.files.size).toBe(2);
  });

  it("sends the attachment inline when the upload fails, and a sweep later finds nothing left behind", async () => {
    const rig = uploadRig({
      wrap: (up) => async (url, init) => (init.method === "POST" && new URL(url).pathname === "/v1/files" ? new Response('{"type":"error","error":{"type":"api_error","message":"boom"}}', { status: 500 }) : up(url, init)),
    });
    const body = chatWithPdf(1);
    const result = await offloadLargeAttachments(body, ctxFor(rig));
    expect(result).toEqual({ body, betas: [], fileIds: [] });
    // A 5xx may have stored the file anyway: the intent stays for the sweeper.
    expect(rig.tracker.openIntents()).toHaveLength(1);
    await rig.tracker.sweep(Date.now() + 2 * 3600_000);
    expect(rig.tracker.openIntents()).toHaveLength(0);
    expect(rig.sim.files.size).toBe(0);
  });

  it("rejects malformed base64 with a 400 naming the block", async () => {
    const rig = uploadRig();
    const body: AnthropicRequest = { model: "m", max_tokens: 10, messages: [{ role: "user", content: [pdfBlock("!!!!".repeat(MB))] }] };
    await expect(offloadLargeAttachments(body, ctxFor(rig))).rejects.toMatchObject({ status: 400, message: expect.stringContaining("messages.0.content.0") });
    expect(rig.sim.received).toHaveLength(0);
  });
});

describe("cleanup after offloading", () => {
  it("leaves the file store empty after the idle time with CHAT_DELETE on", async () => {
    const rig = uploadRig({ chatDelete: true });
    for (let turn = 1; turn <= 2; turn++) await offloadLargeAttachments(chatWithPdf(turn), ctxFor(rig));
    expect(rig.sim.files.size).toBe(1);
    await rig.tracker.sweep(Date.now() + 30 * 60_000);
    expect(rig.sim.files.size).toBe(1); // not idle yet
    await rig.tracker.sweep(Date.now() + 2 * 3600_000);
    expect(rig.sim.files.size).toBe(0);
    expect(await rig.tracker.pending()).toEqual([]);
  });

  it("keeps the files with CHAT_DELETE off", async () => {
    const rig = uploadRig({ chatDelete: false });
    await offloadLargeAttachments(chatWithPdf(1), ctxFor(rig));
    await rig.tracker.sweep(Date.now() + 30 * 24 * 3600_000);
    expect(rig.sim.files.size).toBe(1);
  });

  it("after an upstream error on the messages call, the uploaded file is still swept", async () => {
    const rig = uploadRig();
    rig.sim.fault(KEY_A, { status: 529 });
    const result = await offloadLargeAttachments(chatWithPdf(1), ctxFor(rig));
    expect((await sendToSim(rig, result.body, result.betas)).status).toBe(529);
    await rig.tracker.sweep(Date.now() + 2 * 3600_000);
    expect(rig.sim.files.size).toBe(0);
  });

  it("after the client aborts while the upload is in flight, the sweep finds the file that landed", async () => {
    const abort = new AbortController();
    const rig = uploadRig({
      // The upstream stores the file, then the client goes away before the answer arrives.
      wrap: (up) => async (url, init) => {
        const res = await up(url, init);
        if (new URL(url).pathname === "/v1/files" && init.method === "POST") {
          abort.abort(new Error("client went away"));
          throw new DOMException("aborted", "AbortError");
        }
        return res;
      },
    });
    const ctx = { ...ctxFor(rig), scope: { waitUntil: () => undefined, signal: abort.signal } };
    await expect(offloadLargeAttachments(chatWithPdf(1), ctx)).rejects.toThrow();
    expect(rig.sim.files.size).toBe(1);
    expect(rig.tracker.openIntents()).toHaveLength(1);
    await rig.tracker.sweep(Date.now() + 2 * 3600_000);
    expect(rig.sim.files.size).toBe(0);
  });

  it("after a crash between the upload and its record, the sweep finds the file by its name and deletes it", async () => {
    const rig = uploadRig();
    const dying = Object.create(rig.tracker) as typeof rig.tracker;
    dying.record = () => Promise.reject(new Error("isolate restarted"));
    await offloadLargeAttachments(chatWithPdf(1), { ...ctxFor(rig), tracker: dying });
    expect(rig.sim.files.size).toBe(1);
    expect(await rig.tracker.pending()).toEqual([]);
    expect(rig.tracker.openIntents()).toHaveLength(1);
    await rig.tracker.sweep(Date.now() + 2 * 3600_000);
    expect(rig.sim.files.size).toBe(0);
    expect(rig.tracker.openIntents()).toHaveLength(0);
  });
});
