import { describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../helpers/gateway";

/**
 * Model ids that cannot be model ids are refused by the gateway, on every endpoint that
 * takes a model, before anything is sent upstream: whitespace and CR/LF (header and log
 * injection), control and format characters, lone surrogates, more than 256 characters.
 * A well-formed id the gateway does not know still goes upstream, so that a model
 * released tomorrow works without a release of the gateway.
 */

const BAD_IDS: [string, string][] = [
  ["CR/LF", "claude-sonnet-4-5\r\nx-injected: 1"],
  ["a NUL", "claude-sonnet-4-5\u0000"],
  ["a DEL", "claude-sonnet-4-5\u007f"],
  ["a tab", "claude-sonnet-4-5\t"],
  ["a space inside", "claude sonnet 4 5"],
  ["a leading space", " claude-sonnet-4-5"],
  ["only whitespace", "   "],
  ["a no-break space", "claude-sonnet-4-5\u00a0"],
  ["a zero-width space", "claude-sonnet\u200b-4-5"],
  ["a line separator", "claude-sonnet-4-5\u2028"],
  ["a lone high surrogate", "claude-sonnet-4-5\ud800"],
  ["a lone low surrogate", "\udc00claude-sonnet-4-5"],
  ["257 characters", `claude-sonnet-4-5-${"x".repeat(239)}`],
  ["a megabyte", "claude-".repeat(150_000)],
  ["nothing", ""],
];

/** Requests the gateway sent upstream other than reading the model list. */
const upstreamCalls = (gw: Gateway) => gw.sim.received.filter((r) => !(r.method === "GET" && r.path.startsWith("/v1/models")));

const endpoints: [string, (model: string) => unknown][] = [
  ["/v1/chat/completions", (model) => ({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] })],
  ["/v1/responses", (model) => ({ model, input: "hi" })],
  ["/v1/messages", (model) => ({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] })],
  ["/v1/messages/count_tokens", (model) => ({ model, messages: [{ role: "user", content: "hi" }] })],
];

describe.each(endpoints)("POST %s", (path, body) => {
  it.each(BAD_IDS)("a model id with %s is a 400 naming model, with no upstream call", async (_, model) => {
    const gw = startGateway();
    const res = await gw.fetch(path, { method: "POST", headers: gw.auth(), body: JSON.stringify(body(model)) });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(text.length).toBeLessThan(2_000);
    const json = JSON.parse(text) as { error: { type: string; message: string; param?: string | null; code?: string | null } };
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.message).toMatch(/^model: /);
    if (!path.startsWith("/v1/messages")) expect(json.error).toMatchObject({ param: "model", code: "invalid_model_id" });
    expect(upstreamCalls(gw)).toEqual([]);
  });

  it("a well-formed id the gateway does not know still goes upstream", async () => {
    const gw = startGateway();
    await gw.fetch(path, { method: "POST", headers: gw.auth(), body: JSON.stringify(body("claude-opus-9")) });
    expect(upstreamCalls(gw).map((r) => r.path)).toContain(path.startsWith("/v1/messages") ? path : "/v1/messages");
  });
});

describe("GET /v1/models/{id}", () => {
  it.each<[string, string]>([
    ["CR/LF", "claude-sonnet-4-5%0D%0Ax-injected:%201"],
    ["a NUL", "claude-sonnet-4-5%00"],
    ["a space", "claude%20sonnet"],
    ["a zero-width space", "claude-sonnet%E2%80%8B-4-5"],
    ["257 characters", `claude-${"x".repeat(250)}`],
  ])("an id with %s is a 4xx without reading the model list", async (_, encoded) => {
    const gw = startGateway();
    const res = await gw.fetch(`/v1/models/${encoded}`, { headers: gw.auth() });
    const text = await res.text();
    // The router itself does not match a path with a line break in it: a 404 unknown_url, also before any upstream call.
    if (res.status === 404 && encoded.includes("%0D")) expect(JSON.parse(text)).toMatchObject({ error: { code: "unknown_url" } });
    else {
      expect(res.status, text).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ error: { param: "model", code: "invalid_model_id" } });
    }
    expect(gw.sim.received).toEqual([]);
  });

  it("a known id is found and an unknown well-formed one is a 404", async () => {
    const gw = startGateway();
    expect((await gw.fetch("/v1/models/claude-sonnet-4-5", { headers: gw.auth() })).status).toBe(200);
    const res = await gw.fetch("/v1/models/claude-opus-9", { headers: gw.auth() });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "model_not_found" } });
  });
});
