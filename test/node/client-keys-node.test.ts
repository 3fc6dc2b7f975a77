/**
 * Managed client keys on the Node runtime: node:http's direct chat path and the Hono app,
 * the client key store in a node:sqlite file under DATA_DIR. A key made through the
 * admin API works over real HTTP, its usage is recorded to the token, its limits answer
 * before the upstream, and keys and usage are still there after a restart.
 */
import type { Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import OpenAI from "openai";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import type { Logger } from "../../src/deps";
import { buildDeps } from "../../src/runtime/build-deps";
import { createNodeServer } from "../../src/http/node-server";
import { ClaudeSimulator } from "../../src/simulator";
import { openSqliteClientKeyStore } from "../../src/tenancy/sqlite-file-store";

const ADMIN_KEY = "node-admin-key-0123456789";
const CLIENT_KEY = "node-static-client-key-01234";
const MODEL = "claude-sonnet-4-5";
const quiet: Logger = { info() {}, warn() {}, error() {} };
const dataDir = mkdtempSync(`${tmpdir()}/claude2api-node-keys-`);
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const config = parseConfig({ APIKEY: CLIENT_KEY, ADMIN_KEY, ANTHROPIC_API_KEYS: "sk-ant-node-keys-1111", DATA_DIR: dataDir, STREAM_KEEPALIVE_MS: "0" });
  const sim = new ClaudeSimulator({ apiKeys: config.ANTHROPIC_API_KEYS });
  const store = openSqliteClientKeyStore(config.DATA_DIR);
  const pending: Promise<unknown>[] = [];
  const deps = buildDeps(config, { upstream: sim.fetch, log: quiet, clientKeys: store, usageFlushDelayMs: 0 });
  const app = createApp({ deps: () => deps, scope: (c) => ({ waitUntil: (p) => void pending.push(p.catch(() => undefined)), signal: c.req.raw.signal }) });
  const server: Server = createNodeServer(app, deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    store.close();
  };
  closers.push(close);
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  const url = `http://127.0.0.1:${address.port}`;
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const settle = async () => {
    while (pending.length) await Promise.all(pending.splice(0));
    await deps.tenancy!.flush();
  };
  return { url, sim, admin, settle, close, openai: (apiKey: string) => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 }) };
}

describe("client keys on Node", () => {
  it("serves a managed key on the direct chat path, records its usage, and keeps it across a restart", async () => {
    const first = await start();
    const created = await first.admin("POST", "/admin/keys", { name: "node user", rpm: 5, budget_usd: 1 });
    expect(created.status).toBe(201);
    const key = created.body.key as string;

    const res = await first.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Hello from Node" }] });
    const stream = await first.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Stream from Node" }], stream: true, stream_options: { include_usage: true } });
    let streamed: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    await first.openai(CLIENT_KEY).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "static" }] });
    await first.settle();

    const rows = (await first.admin("GET", `/admin/usage?key=${created.body.id}`)).body.data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key_name: "node user", model: MODEL, requests: 2, output_tokens: res.usage!.completion_tokens + streamed!.completion_tokens, estimated: false });
    // A model the key may not use is refused on the direct path too, before the upstream.
    await first.admin("PATCH", `/admin/keys/${created.body.id}`, { models: ["claude-haiku-*"] });
    const calls = first.sim.received.length;
    await expect(first.openai(key).chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "no" }] })).rejects.toMatchObject({ status: 403, code: "model_not_allowed" });
    expect(first.sim.received.length).toBe(calls);
    await first.close();
    closers.pop();

    const second = await start();
    const again = await second.admin("GET", `/admin/keys/${created.body.id}`);
    expect(again.body).toMatchObject({ name: "node user", models: ["claude-haiku-*"], rpm: 5 });
    expect(again.body.spend_this_period_usd).toBeGreaterThan(0);
    expect((await second.admin("GET", "/admin/usage?group_by=key")).body.data.map((r: any) => r.requests).sort()).toEqual([1, 2]);
    // The key itself still works after the restart.
    const ok = await second.openai(key).chat.completions.create({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "after restart" }] });
    expect(ok.choices[0]!.message.content).toBeTruthy();
  });
});
