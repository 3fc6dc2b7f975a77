import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";

// A proxy setting on a Worker: refused (503 on every request, one error log line), never
// silently ignored, because a Worker cannot send through an HTTP proxy.
const PROXY_PASSWORD = "proxy-password-hunter2";

/** The Worker's env with extra vars: one object per deployment, as an isolate sees it. */
const withVars = (extra: Record<string, string>) => ({ ...env, ...extra });

async function call(path: string, workerEnv: Record<string, unknown>, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://worker.test${path}`, init) as never, workerEnv as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("the Worker with an outbound proxy configured", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers every request 503 saying why and what to use instead, and logs it once without the password", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(String(line)));
    const proxyEnv = withVars({ HTTPS_PROXY: `http://operator:${PROXY_PASSWORD}@proxy.internal:3128` });

    const health = await call("/health", proxyEnv);
    const chat = await call("/v1/chat/completions", proxyEnv, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] }),
    });
    for (const res of [health, chat]) {
      expect(res.status).toBe(503);
      expect(res.headers.get("x-should-retry")).toBe("false");
      const text = await res.text();
      expect(text).not.toContain(PROXY_PASSWORD);
      const body = JSON.parse(text) as { error: { message: string; type: string; param: null; code: string } };
      expect(body.error).toMatchObject({ type: "api_error", param: null, code: "proxy_unsupported" });
      expect(body.error.message).toContain("HTTPS_PROXY is set");
      expect(body.error.message).toContain("Workers cannot open CONNECT tunnels");
      expect(body.error.message).toContain("ANTHROPIC_BASE_URL");
    }
    const logged = errors.filter((l) => l.includes("proxy_unsupported_on_workers"));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("Cloudflare AI Gateway");
    expect(errors.join("\n")).not.toContain(PROXY_PASSWORD);
  });

  it("refuses the seed's PROXY and the lower-case form too", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await call("/health", withVars({ PROXY: "http://proxy.internal:7890" }))).status).toBe(503);
    expect((await call("/health", withVars({ https_proxy: "http://proxy.internal:7890" }))).status).toBe(503);
  });

  it("serves as usual without one", async () => {
    const res = await call("/health", withVars({ NO_PROXY: "localhost" }));
    expect(res.status).toBe(200);
  });
});
