import { describe, expect, it } from "vitest";
import { postChat, startGateway, type Gateway } from "../helpers/gateway";
import { fakePdfBase64 } from "../../src/uploads/test-support";
import type { MemoryUploadTracker } from "../../src/uploads/memory-tracker";

/**
 * Issue 3, cleanup (CHAT_DELETE): whatever happens to a request that offloaded an
 * attachment, the simulator's file store ends empty once the sweep has run; with
 * CHAT_DELETE off files stay, and files clients uploaded through /v1/files always stay.
 * (A Worker's isolate dying mid-request is proven against the Durable Object in
 * src/uploads; here the same "uploaded, never recorded" state comes from a client
 * that leaves during the upload.)
 */

const MODEL = "claude-sonnet-4-5";
const HOUR = 3600_000;
const PDF = fakePdfBase64(2 * 1024 * 1024);
const withPdf = (extra: Record<string, unknown> = {}) => ({
  model: MODEL,
  messages: [{ role: "user", content: [{ type: "file", file: { filename: "big.pdf", file_data: `data:application/pdf;base64,${PDF}` } }, { type: "text", text: "summarise" }] }],
  ...extra,
});
const tracker = (gw: Gateway) => gw.deps.uploads as MemoryUploadTracker;
/** A sweep as the Durable Object alarm would run it, well after FILE_IDLE_SECONDS (and the upload-intent grace). */
const sweepLater = async (gw: Gateway) => {
  await gw.settle();
  return tracker(gw).sweep(Date.now() + 2 * HOUR);
};

describe("with CHAT_DELETE on (the default)", () => {
  it("deletes the gateway's uploads once the conversation is idle, and the status view shows them until then", async () => {
    const gw = startGateway();
    for (let n = 0; n < 2; n++) expect((await postChat(gw, withPdf())).status).toBe(200);
    expect(gw.sim.files.size).toBe(1);
    const status = (await (await gw.fetch("/status", { headers: gw.admin() })).json()) as { uploads: { pending: Array<{ fileId: string; owner: string }> } };
    expect(status.uploads.pending).toEqual([expect.objectContaining({ fileId: [...gw.sim.files.keys()][0], owner: "gateway" })]);

    // Not yet idle: a sweep now keeps it for the next turn.
    expect((await tracker(gw).sweep()).deleted).toEqual([]);
    expect(gw.sim.files.size).toBe(1);
    await sweepLater(gw);
    expect(gw.sim.files.size).toBe(0);
    expect(await tracker(gw).pending()).toEqual([]);
  });

  it("with FILE_IDLE_SECONDS=0 the very next sweep deletes them", async () => {
    const gw = startGateway({ FILE_IDLE_SECONDS: "0" });
    expect((await postChat(gw, withPdf())).status).toBe(200);
    await gw.settle();
    await tracker(gw).sweep();
    expect(gw.sim.files.size).toBe(0);
  });

  it("cleans up after a client that aborts in the middle of the stream", async () => {
    const gw = startGateway({}, { streamDelayMs: 10 });
    const client = new AbortController();
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body: JSON.stringify(withPdf({ stream: true })), signal: client.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    client.abort();
    await reader.cancel().catch(() => undefined);
    expect(gw.sim.files.size).toBe(1);
    await sweepLater(gw);
    expect(gw.sim.files.size).toBe(0);
  });

  it("cleans up after an upstream error, on every key the request tried", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { status: 500 });
    const res = await postChat(gw, withPdf());
    expect(res.status).toBe(502);
    // Each attempt offloads into its own key's workspace.
    expect(new Set([...gw.sim.files.values()].map((f) => f.apiKey)).size).toBe(2);
    await sweepLater(gw);
    expect(gw.sim.files.size).toBe(0);
  });

  it("cleans up a file that landed while the client left during the upload (never recorded)", async () => {
    const gw = startGateway();
    const client = new AbortController();
    const original = gw.deps.upstream;
    gw.deps.upstream = async (url, init) => {
      const res = await original(url, init);
      // The upload reached the store, then the request died before it could record it.
      if (init.method === "POST" && new URL(url).pathname === "/v1/files") {
        client.abort();
        throw new DOMException("The client closed the request.", "AbortError");
      }
      return res;
    };
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body: JSON.stringify(withPdf()), signal: client.signal }).catch((e: unknown) => e);
    if (res instanceof Response) expect(res.status).toBeGreaterThanOrEqual(400);
    expect(gw.sim.files.size).toBe(1);
    expect(await tracker(gw).pending()).toEqual([]);
    expect(tracker(gw).openIntents()).toHaveLength(1);
    await sweepLater(gw);
    expect(gw.sim.files.size).toBe(0);
    expect(tracker(gw).openIntents()).toEqual([]);
  });
});

describe("files that must stay", () => {
  it("with CHAT_DELETE off, gateway uploads are kept and still reused", async () => {
    const gw = startGateway({ CHAT_DELETE: "false" });
    expect((await postChat(gw, withPdf())).status).toBe(200);
    await sweepLater(gw);
    expect(gw.sim.files.size).toBe(1);
    expect((await postChat(gw, withPdf())).status).toBe(200);
    expect(gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/files")).toHaveLength(1);
  });

  it("files clients uploaded through /v1/files are never swept, used or not", async () => {
    const gw = startGateway({ FILE_IDLE_SECONDS: "0" });
    const form = new FormData();
    form.append("file", new Blob(["%PDF-1.7 mine"], { type: "application/pdf" }), "mine.pdf");
    const { id } = (await (await gw.fetch("/v1/files", { method: "POST", headers: { authorization: gw.auth().authorization }, body: form })).json()) as { id: string };
    const res = await postChat(gw, { model: MODEL, messages: [{ role: "user", content: [{ type: "file", file: { file_id: id } }, { type: "text", text: "read" }] }] });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    await sweepLater(gw);
    expect(gw.sim.files.has(id)).toBe(true);
    expect((await gw.fetch(`/v1/files/${id}`, { headers: gw.auth() })).status).toBe(200);
  });
});
