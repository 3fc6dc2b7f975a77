import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { GatewayEnv } from "../app-env";
import type { GatewayDeps, UploadRecord } from "../../deps";
import { MemoryKeyStateStore } from "../../pool/store";
import { hashSecret } from "../../hash";
import { uploadKeyHash } from "../../uploads/tracker";
import { IsolateKeyPool } from "../../pool/isolate-pool";
import { captureLog, testScope } from "../../pool/test-support";
import { errorResponse } from "../../openai/errors";
import { registerStatus } from "./status";

const KEYS = ["sk-ant-api03-status-alpha-secret-aaaa", "sk-ant-api03-status-bravo-secret-bbbb", "sk-ant-api03-status-charlie-secret-cccc"];
const CLIENT_KEY = "gw-client-secret-zzzz";

async function app(uploads: () => Promise<UploadRecord[]>) {
  const log = captureLog();
  const keyPool = new IsolateKeyPool({ keys: KEYS, store: new MemoryKeyStateStore(), log });
  const scope = testScope();
  keyPool.begin(KEYS[0]!);
  keyPool.end(KEYS[0]!, { kind: "auth", status: 401, message: "invalid x-api-key" }, scope);
  keyPool.begin(KEYS[1]!);
  keyPool.end(KEYS[1]!, { kind: "rate_limited", retryAfterMs: 60_000 }, scope);
  keyPool.begin(KEYS[2]!); // one request still streaming
  await scope.drain();
  const deps = { keyPool, uploads: { pending: uploads }, config: { APIKEY: [CLIENT_KEY] }, log } as unknown as GatewayDeps;
  const a = new Hono<GatewayEnv>();
  a.use("*", async (c, next) => {
    c.set("deps", deps);
    c.set("scope", scope);
    await next();
  });
  registerStatus(a);
  a.onError((err) => errorResponse(err)); // as createApp does
  return a;
}

const upload = async (): Promise<UploadRecord> =>
  ({ fileId: "file_011abc", sha256: "f".repeat(64), keyHash: await uploadKeyHash(KEYS[0]!), owner: "gateway", bytes: 2048, filename: "history.txt", mimeType: "text/plain", purpose: "", uploadedAt: 1_700_000_000_000, lastUsedAt: 1_700_000_100_000 }) as UploadRecord;

describe("GET /status", () => {
  it("gives machines each key by its last four characters, with why it is out", async () => {
    const rec = await upload();
    const res = await (await app(async () => [rec])).request("/status", { headers: { accept: "application/json" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Record<string, unknown>[]; uploads: { pending: Record<string, unknown>[] } };
    expect(body.keys).toEqual([
      expect.objectContaining({ key: "…aaaa", state: "disabled", disabledReason: "401: invalid x-api-key", requests: 1, failures: 1 }),
      expect.objectContaining({ key: "…bbbb", state: "cooling", cooldownUntil: expect.any(String), lastError: expect.stringContaining("429") }),
      expect.objectContaining({ key: "…cccc", state: "healthy", inFlight: 1 }),
    ]);
    expect(body.uploads.pending).toEqual([expect.objectContaining({ fileId: "file_011abc", bytes: 2048, owner: "gateway" })]);
  });

  it("gives people an HTML page, and JSON on ?format=json", async () => {
    const a = await app(async () => []);
    const html = await a.request("/status", { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(html.headers.get("content-type")).toContain("text/html");
    const page = await html.text();
    expect(page).toContain("…aaaa");
    expect(page).toContain("401: invalid x-api-key");
    expect(page).toContain("Uploads awaiting cleanup");
    const json = await a.request("/status?format=json", { headers: { accept: "text/html" } });
    expect(json.headers.get("content-type")).toContain("application/json");
  });

  it("never shows a key, a key hash or a client key", async () => {
    const rec = await upload();
    const a = await app(async () => [rec]);
    const pages = [
      await (await a.request("/status", { headers: { accept: "application/json" } })).text(),
      await (await a.request("/status", { headers: { accept: "text/html" } })).text(),
    ];
    for (const page of pages) {
      for (const k of KEYS) {
        expect(page).not.toContain(k);
        expect(page).not.toContain(k.slice(0, -4)); // nor any long part of it
        expect(page).not.toContain(await hashSecret(k)); // the pool's name for it
        expect(page).not.toContain(await uploadKeyHash(k)); // the upload records'
      }
      expect(page).not.toContain(CLIENT_KEY);
    }
  });

  it("still shows the keys when the upload tracker is down", async () => {
    const res = await (await app(async () => Promise.reject(new Error("tracker unreachable")))).request("/status?format=json");
    const body = (await res.json()) as { keys: unknown[]; uploads: { error: string } };
    expect(body.keys).toHaveLength(3);
    expect(body.uploads.error).toContain("tracker unreachable");
  });

  it("lets the operator put a fixed key back into rotation by its last four characters", async () => {
    const a = await app(async () => []);
    const res = await a.request("/status/keys/aaaa/enable", { method: "POST" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { enabled: number; keys: { key: string; state: string }[] };
    expect(body.enabled).toBe(1);
    expect(body.keys.find((k) => k.key === "…aaaa")?.state).toBe("healthy");
    const unknown = await a.request("/status/keys/zzzz/enable", { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: "not_found_error", message: expect.stringContaining("zzzz") } });
    const whole = await a.request("/status/keys/sk-ant-whole-key/enable", { method: "POST" });
    expect(whole.status).toBe(400);
    expect(await whole.json()).toMatchObject({ error: { type: "invalid_request_error", param: "last4" } });
  });

  it("escapes upstream text in the HTML page", async () => {
    const log = captureLog();
    const keyPool = new IsolateKeyPool({ keys: [KEYS[0]!], store: new MemoryKeyStateStore(), log });
    keyPool.begin(KEYS[0]!);
    keyPool.end(KEYS[0]!, { kind: "auth", status: 403, message: "<script>alert(1)</script>" }, testScope());
    const a = new Hono<GatewayEnv>();
    a.use("*", async (c, next) => {
      c.set("deps", { keyPool, uploads: { pending: async () => [] }, log } as unknown as GatewayDeps);
      await next();
    });
    registerStatus(a);
    const page = await (await a.request("/status", { headers: { accept: "text/html" } })).text();
    expect(page).not.toContain("<script>");
    expect(page).toContain("&lt;script&gt;");
  });
});
