import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, CLIENT_KEY, startGateway } from "../helpers/gateway";
import { trackedBody } from "../helpers/tracked-body";

/**
 * A request refused before its body is needed (a bad or missing client key, an unknown
 * route, a gateway without client keys, the operator's endpoints with a wrong admin key)
 * is answered after the rest of its body was read and thrown away, within bounds, not
 * cancelled: cancelling closed the connection under a client still sending, which then
 * saw a network error instead of the JSON error (as issue 10 found for the 413). The
 * Workers path (a web Request, as workerd hands it over); test/node/early-rejections.test.ts
 * shows the client side over a real socket.
 */

const MODEL = "claude-sonnet-4-5";
const MB = 1024 * 1024;

/** A chat body with `fillerBytes` of prompt, streamed in 64 KB chunks, that records whether it was read to its end or cancelled. */
const chatBody = (fillerBytes: number) => trackedBody(`{"model":"${MODEL}","messages":[{"role":"user","content":"`, fillerBytes, `"}]}`);

const post = (body: ReadableStream<Uint8Array>, headers: Record<string, string>): RequestInit =>
  ({ method: "POST", headers: { "content-type": "application/json", ...headers }, body, duplex: "half" }) as RequestInit;

const WRONG_KEY = { authorization: "Bearer not-a-key-of-this-gateway" };
const CASES: Array<[string, string, Record<string, string>, number, string]> = [
  ["wrong client key, chat completions (the direct path)", "/v1/chat/completions", WRONG_KEY, 401, "invalid_api_key"],
  ["missing client key, chat completions", "/v1/chat/completions", {}, 401, "invalid_api_key"],
  ["wrong client key, /v1/responses (Hono)", "/v1/responses", WRONG_KEY, 401, "invalid_api_key"],
  ["wrong client key, /v1/messages", "/v1/messages", WRONG_KEY, 401, "invalid_api_key"],
  ["wrong client key, /v1/files", "/v1/files", WRONG_KEY, 401, "invalid_api_key"],
  ["unknown route", "/v1/no-such-endpoint", { authorization: `Bearer ${CLIENT_KEY}` }, 404, "unknown_url"],
  ["unsupported endpoint", "/v1/embeddings", { authorization: `Bearer ${CLIENT_KEY}` }, 404, "unsupported_endpoint"],
];

describe("an early refusal drains the body before it answers", () => {
  it.each(CASES)("%s: the error JSON, after the body was read to its end", async (_name, path, headers, status, code) => {
    const gw = startGateway();
    const { stream, state } = chatBody(8 * MB);
    const res = await gw.fetch(path, post(stream, headers));
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
    expect(state).toMatchObject({ ended: true, cancelled: false });
    expect(gw.sim.received).toEqual([]);
  });

  it("a wrong admin key on the operator's endpoints: the same", async () => {
    const gw = startGateway();
    const { stream, state } = chatBody(4 * MB);
    const res = await gw.fetch("/admin/keys", post(stream, { authorization: `Bearer ${ADMIN_KEY}-wrong` }));
    expect([401, 403]).toContain(res.status);
    expect(await res.json()).toMatchObject({ error: { type: expect.any(String) } });
    expect(state).toMatchObject({ ended: true, cancelled: false });
  });

  it("a gateway without client keys (503) drains too", async () => {
    const gw = startGateway({ APIKEY: "", ADMIN_KEY: "" });
    const { stream, state } = chatBody(4 * MB);
    const res = await gw.fetch("/v1/chat/completions", post(stream, {}));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: "gateway_not_configured" } });
    expect(state).toMatchObject({ ended: true, cancelled: false });
  });

  it("draining is bounded: a body declared far past what may be drained is cancelled, not read", async () => {
    const gw = startGateway();
    for (const path of ["/v1/chat/completions", "/v1/responses"]) {
      const { stream, state } = chatBody(8 * MB);
      const res = await gw.fetch(path, post(stream, { ...WRONG_KEY, "content-length": String(10 * 1024 ** 3) }));
      expect(res.status).toBe(401);
      expect(state.ended, path).toBe(false);
    }
  });

  it("a request with a body that was read is left alone (no second read)", async () => {
    const gw = startGateway();
    const { stream, state } = chatBody(1000);
    const res = await gw.fetch("/v1/chat/completions", post(stream, { authorization: `Bearer ${CLIENT_KEY}` }));
    expect(res.status).toBe(200);
    expect(state).toMatchObject({ ended: true, cancelled: false });
  });
});

// Through the Worker entry (src/index.ts) as wrangler dev runs it: simulator mode, so no
// client key is needed and the early refusal is the unknown route's 404.
describe("through the Worker entry", () => {
  it("an unknown route's 404 arrives after the body was drained", async () => {
    const { stream, state } = chatBody(8 * MB);
    const res = await SELF.fetch("http://worker.test/v1/no-such-endpoint", post(stream, {}));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "unknown_url" } });
    expect(state).toMatchObject({ ended: true, cancelled: false });
  });
});
