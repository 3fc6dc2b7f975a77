import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "../../simulator";
import { GatewayError } from "../../errors";
import { AnthropicFiles, FILES_BETA } from "./files";

const KEY = "sk-ant-test-files-0001";

function setup() {
  const sim = new ClaudeSimulator();
  const files = new AnthropicFiles({ upstream: sim.fetch, baseUrl: "https://api.example.test/", version: "2023-06-01" });
  return { sim, files };
}

describe("AnthropicFiles", () => {
  it("uploads, gets, lists and deletes with the beta header on every call", async () => {
    const { sim, files } = setup();
    const bytes = new TextEncoder().encode("%PDF-1.4 hello");
    const meta = await files.upload(KEY, bytes, "a.pdf", "application/pdf");
    expect(meta).toMatchObject({ filename: "a.pdf", mime_type: "application/pdf", size_bytes: bytes.byteLength });
    expect(sim.files.get(meta.id)?.bytes).toEqual(bytes);

    expect((await files.get(KEY, meta.id)).id).toBe(meta.id);
    const list = await files.list(KEY);
    expect(list.data.map((f) => f.id)).toEqual([meta.id]);
    expect(list.next).toBeNull();

    expect(await files.delete(KEY, meta.id)).toBe(true);
    expect(sim.files.size).toBe(0);
    expect(await files.delete(KEY, meta.id)).toBe(false);

    expect(sim.received.length).toBe(5);
    for (const r of sim.received) {
      expect(r.headers.get("anthropic-beta")).toBe(FILES_BETA);
      expect(r.headers.get("anthropic-version")).toBe("2023-06-01");
      expect(r.headers.get("x-api-key")).toBe(KEY);
      expect(r.path.startsWith("/v1/files")).toBe(true);
    }
  });

  const base64Of = (b: Uint8Array) => (b as unknown as { toBase64(): string }).toBase64();

  it("streams bytes as multipart without consuming them, so a failover attempt can send them again", async () => {
    const { sim, files } = setup();
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
    const first = await files.upload(KEY, bytes, "big.pdf", "application/pdf");
    const second = await files.upload(KEY, bytes, "big-again.pdf", "application/pdf");
    expect(bytes.byteLength).toBe(300_000);
    for (const meta of [first, second]) {
      // Compared as base64 text: vitest's deep equality over 300,000 array elements took over 5 s on a busy machine.
      expect(base64Of(sim.files.get(meta.id)!.bytes) === base64Of(bytes)).toBe(true);
      expect(sim.files.get(meta.id)?.mime_type).toBe("application/pdf");
    }
    expect(sim.files.get(second.id)?.filename).toBe("big-again.pdf");
    expect(sim.received[0]!.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=c2a-/);
    // Two 300 KB multipart uploads: 1 s alone, 6–9 s when six test suites share the two cores.
  }, 30_000);

  it("pages through a listing with the cursor it returns", async () => {
    const { files } = setup();
    for (let i = 0; i < 3; i++) await files.upload(KEY, new Uint8Array([i]), `f${i}.txt`, "text/plain");
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await files.list(KEY, { limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.data.map((f) => f.filename));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen.sort()).toEqual(["f0.txt", "f1.txt", "f2.txt"]);
  });

  it("maps upstream errors to GatewayError with the upstream message and never the key", async () => {
    const { files } = setup();
    const missing = await files.get(KEY, "file_nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GatewayError);
    expect((missing as GatewayError).status).toBe(404);
    expect((missing as GatewayError).message).toContain("file_nope");

    const badKey = await files.list("not-a-key-9999").catch((e: unknown) => e);
    expect(badKey).toBeInstanceOf(GatewayError);
    expect((badKey as GatewayError).status).toBe(502);
    expect((badKey as GatewayError).message).not.toContain("not-a-key-9999");
  });

  it("reports an unreachable upstream as a 502", async () => {
    const files = new AnthropicFiles({ upstream: () => Promise.reject(new TypeError("connection refused")), baseUrl: "https://x.test", version: "2023-06-01" });
    const err = await files.list(KEY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(502);
  });
});
