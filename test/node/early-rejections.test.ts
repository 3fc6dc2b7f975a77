/**
 * Early refusals on the Node server, sent by Node's own fetch (undici) over a real socket:
 * a 20 MB body with a wrong client key, or to an unknown route. The client must *receive*
 * the JSON error (cancelling the body closed the connection under it: `TypeError: fetch
 * failed`), and the connection must stay usable: the body is drained before the answer,
 * so the next request goes over the same connection. Chat completions are served straight
 * from node:http; the other paths go through the Hono app's Node adapter: both covered.
 */
import http, { type Agent, type IncomingMessage, type Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import { buildDeps } from "../../src/runtime/build-deps";
import { createNodeServer } from "../../src/http/node-server";
import { ClaudeSimulator } from "../../src/simulator";

const CLIENT_KEY = "node-early-refusal-client-key-0123456789";
const KEYS = ["sk-ant-node-early-refusal-key-1111"];
const MB = 1024 * 1024;

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start() {
  const sim = new ClaudeSimulator({ apiKeys: KEYS });
  const config = parseConfig({ APIKEY: CLIENT_KEY, ANTHROPIC_API_KEYS: KEYS.join(","), STREAM_KEEPALIVE_MS: "0" });
  const log = { info: () => {}, warn: () => {}, error: () => {} };
  const deps = buildDeps(config, { upstream: sim.fetch, log });
  const app = createApp({ deps: () => deps, scope: (c) => ({ waitUntil: (p) => void p.catch(() => undefined), signal: c.req.raw.signal }) });
  const server: Server = createNodeServer(app, deps);
  let connections = 0;
  server.on("connection", () => void connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, connections: () => connections, upstreamPosts: () => sim.received.filter((r) => r.method === "POST").length };
}

/** A 20 MB JSON body: one long user message. */
function bigJson(bytes = 20 * MB): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "x".repeat(bytes) }] }));
}

/**
 * The same bytes as a stream of 64 KB chunks sent over about 1.5 s: fetch then sends it
 * chunked, without a content-length, as a client on a slower link would. (Hono's Node
 * adapter drains an unread body for 500 ms only; this outlasts that.)
 */
function slowly(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  let n = 0;
  return new ReadableStream({
    async pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      if (++n % 4 === 0) await new Promise((r) => setTimeout(r, 20));
      controller.enqueue(bytes.subarray(at, at + 65_536));
      at += 65_536;
    },
  });
}

const WRONG = { authorization: "Bearer not-a-key-of-this-gateway" };
const RIGHT = { authorization: `Bearer ${CLIENT_KEY}` };
const CASES: Array<[string, Record<string, string>, number, string]> = [
  ["/v1/chat/completions", WRONG, 401, "invalid_api_key"],
  ["/v1/chat/completions", {}, 401, "invalid_api_key"],
  ["/v1/responses", WRONG, 401, "invalid_api_key"],
  ["/v1/messages", WRONG, 401, "invalid_api_key"],
  ["/v1/files", WRONG, 401, "invalid_api_key"],
  ["/v1/no-such-endpoint", RIGHT, 404, "unknown_url"],
];

describe("an early refusal of a 20 MB body, sent by Node's fetch", () => {
  it.each(CASES.flatMap(([path, headers, status, code]) => (["content-length", "chunked, slowly"] as const).map((mode) => [path, mode, headers, status, code] as const)))(
    "%s (%s): the client receives the JSON error",
    async (path, mode, headers, status, code) => {
      const gw = await start();
      const bytes = bigJson();
      const init: RequestInit & { duplex?: "half" } = mode === "chunked, slowly" ? { method: "POST", body: slowly(bytes), duplex: "half" } : { method: "POST", body: bytes };
      const res = await fetch(gw.url + path, { ...init, headers: { "content-type": "application/json", ...headers } });
      const text = await res.text();
      expect(res.status, text.slice(0, 300)).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(text)).toMatchObject({ error: { code } });
      expect(gw.upstreamPosts()).toBe(0);
      // A request right after it is answered too.
      const next = await fetch(gw.url + "/v1/models", { headers: RIGHT });
      expect(next.status).toBe(200);
      await next.text();
    },
  );
});

/**
 * One request over `agent`, its body written in 64 KB chunks with a pause every fourth
 * (about 1.5 s for 20 MB, as over a slower link); resolves with the status and body once
 * the response ended, and how the connection fared: `socketError` is set when it failed
 * under the request (the server closed it while the body was still being written).
 */
function send(agent: Agent, url: string, method: string, path: string, headers: Record<string, string>, body?: Uint8Array): Promise<{ status: number; text: string; socketError?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let socketError: string | undefined;
    const req = http.request({ hostname, port, path, method, headers, agent }, (res: IncomingMessage) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (c: Uint8Array) => void chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ...(socketError ? { socketError } : {}) }));
      res.on("error", reject);
    });
    req.on("error", (e: Error) => {
      socketError = e.message;
      reject(e);
    });
    void (async () => {
      for (let at = 0, n = 0; body && at < body.byteLength && !socketError; at += 65_536, n++) {
        if (n % 4 === 3) await new Promise((r) => setTimeout(r, 20));
        req.write(body.subarray(at, at + 65_536));
      }
      req.end();
    })();
  });
}

// Fetch keeps a pool and may open a second connection at will; node:http with one
// keep-alive socket shows whether the refused request's connection survives it. The body
// is sent slowly: Hono's Node adapter drains what a handler left unread for 500 ms only,
// and then closed this connection (the chat path used to drain without any bound).
describe("the connection of a refused 20 MB body, sent slowly, stays usable", () => {
  it.each(CASES)("%s: the next request goes over the same connection", async (path, headers, status) => {
    const gw = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const bytes = bigJson();
      const refused = await send(agent, gw.url, "POST", path, { "content-type": "application/json", "content-length": String(bytes.byteLength), ...headers }, bytes);
      expect(refused.status, refused.text.slice(0, 300)).toBe(status);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { type: expect.any(String) } });
      const next = await send(agent, gw.url, "GET", "/v1/models", RIGHT);
      expect(next.status).toBe(200);
      expect(gw.connections()).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
