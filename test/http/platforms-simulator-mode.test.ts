import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import { buildDeps } from "../../src/runtime/build-deps";
import type { Logger } from "../../src/deps";
import { ADMIN_KEY, CLIENT_KEY } from "../helpers/gateway";
import { BEDROCK_CREDS, BEDROCK_REGION, testServiceAccount } from "../helpers/platforms";

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** UPSTREAM=simulator with Bedrock and Vertex configured: the built-in simulator answers as both, credentials checked. */
describe("simulator mode with platforms configured", () => {
  it.each(["bedrock", "vertex"] as const)("answers through the simulator's %s front with the configured credentials", async (first) => {
    const account = await testServiceAccount("https://oauth2.googleapis.com/token");
    const config = parseConfig({
      APIKEY: CLIENT_KEY,
      ADMIN_KEY,
      UPSTREAM: "simulator",
      BEDROCK_REGION,
      BEDROCK_ACCESS_KEY_ID: BEDROCK_CREDS.accessKeyId,
      BEDROCK_SECRET_ACCESS_KEY: BEDROCK_CREDS.secretAccessKey,
      VERTEX_SERVICE_ACCOUNT: account.json,
      POOL_ORDER: first,
    });
    const deps = buildDeps(config, { log: quiet });
    const app = createApp({ deps: () => deps, scope: (c) => ({ waitUntil: () => {}, signal: c.req.raw.signal }) });
    const headers = { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" };
    const res = await app.fetch(new Request("http://gateway.test/v1/chat/completions", { method: "POST", headers, body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "demo" }] }) }));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toContain("demo");
    const status = (await (await app.fetch(new Request("http://gateway.test/status", { headers: { authorization: `Bearer ${ADMIN_KEY}` } }))).json()) as { keys: Array<{ key: string; requests: number; state: string }> };
    const member = status.keys.find((k) => k.key.startsWith(`${first}:`))!;
    expect(member.state).toBe("healthy");
    expect(member.requests).toBe(1);
  });
});
