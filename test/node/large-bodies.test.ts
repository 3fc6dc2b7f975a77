/**
 * Bodies over MAX_REQUEST_BYTES on the Node server, sent by Node's own fetch (undici), over
 * a real socket: the client must *receive* the 413 JSON. Closing the connection while the
 * client is still sending made fetch reject with `TypeError: fetch failed` instead; the
 * server now reads and discards the rest of the body (bounded in bytes and time) and then
 * answers. The chat path is served straight from node:http; /v1/responses, /v1/messages
 * and /v1/files go through the Hono app's Node adapter: both are covered.
 */
import type { Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import { buildDeps } from "../../src/runtime/build-deps";
import { createNodeServer } from "../../src/http/node-server";
import { ClaudeSimulator } from "../../src/simulator";

const CLIENT_KEY = "node-large-body-client-key-0123456789";
const KEYS = ["sk-ant-node-large-body-key-1111"];
const LIMIT = 2_000_000;

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(env: Record<string, string> = {}) {
  const sim = new ClaudeSimulator({ apiKeys: KEYS });
  const config = parseConfig({ APIKEY: CLIENT_KEY, ANTHROPIC_API_KEYS: KEYS.join(","), STREAM_KEEPALIVE_MS: "0", MAX_REQUEST_BYTES: String(LIMIT), ...env });
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const deps = buildDeps(config, { upstream: sim.fetch, log });
  const app = createApp({ deps: () => deps, scope: (c) => ({ waitUntil: (p) => void p.catch(() => undefined), signal: c.req.raw.signal }) });
  const server: Server = createNodeServer(app, deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, sim, upstreamPosts: () => sim.received.filter((r) => r.method === "POST").length };
}

/** A JSON body of about `bytes` bytes: one long user message. */
function bigJson(path: string, bytes: number): Uint8Array {
  const filler = "x".repeat(bytes);
  const body =
    path === "/v1/responses"
      ? { model: "claude-sonnet-4-5", input: filler }
      : { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: filler }] };
  return new TextEncoder().encode(JSON.stringify(body));
}

/** The same bytes as a stream of 64 KB chunks: fetch then sends it chunked, without a content-length. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 65_536));
      at += 65_536;
    },
  });
}

const JSON_PATHS = ["/v1/chat/completions", "/v1/responses", "/v1/messages", "/v1/messages/count_tokens"];

describe("a body over MAX_REQUEST_BYTES, sent by Node's fetch", () => {
  it.each(JSON_PATHS.flatMap((p) => [[p, "content-length"], [p, "chunked"]]))("%s (%s): the client receives the 413 JSON", async (path, mode) => {
    const gw = await start();
    const bytes = bigJson(path, 3 * LIMIT);
    const init: RequestInit & { duplex?: "half" } =
      mode === "chunked" ? { method: "POST", body: chunked(bytes), duplex: "half" } : { method: "POST", body: bytes };
    const res = await fetch(gw.url + path, { ...init, headers: { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" } });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const json = JSON.parse(text) as { error: { message: string } };
    expect(json.error.message).toMatch(/too large/i);
    expect(json.error.message).toContain(String(LIMIT));
    expect(gw.upstreamPosts()).toBe(0);
  });

  it("POST /v1/files over the limit: the client receives the 413 JSON", async () => {
    const gw = await start();
    const form = new FormData();
    form.set("purpose", "user_data");
    form.set("file", new Blob([new Uint8Array(3 * LIMIT)], { type: "application/pdf" }), "big.pdf");
    const res = await fetch(gw.url + "/v1/files", { method: "POST", body: form, headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(413);
    expect(JSON.parse(text)).toMatchObject({ error: { code: "request_too_large" } });
    expect(gw.upstreamPosts()).toBe(0);
  });

  it("the connection stays usable: a request right after the refused one is answered", async () => {
    const gw = await start();
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" };
    const refused = await fetch(gw.url + "/v1/chat/completions", { method: "POST", body: bigJson("/v1/chat/completions", 3 * LIMIT), headers });
    expect(refused.status).toBe(413);
    await refused.text();
    const ok = await fetch(gw.url + "/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] }), headers });
    expect(ok.status, await ok.clone().text()).toBe(200);
  });

  it.each(JSON_PATHS)("%s: a body under the limit still goes upstream", async (path) => {
    const gw = await start();
    const res = await fetch(gw.url + path, {
      method: "POST",
      body: bigJson(path, LIMIT / 2),
      headers: { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" },
    });
    // A million "x" is too long a prompt for the simulator: its 400 shows the body got there.
    expect(res.status, (await res.clone().text()).slice(0, 200)).not.toBe(413);
    expect(gw.upstreamPosts()).toBe(1);
  });
});
