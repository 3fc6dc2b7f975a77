import { describe, expect, it } from "vitest";
import { CachedModelCatalog, MODEL_LIST_RETRY_MS, STUCK_REFRESH_MS } from "./catalog";

const sonnetInfo = { type: "model", id: "claude-sonnet-4-5-20250929", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" };
const opusInfo = {
  type: "model",
  id: "claude-opus-4-8",
  display_name: "Claude Opus 4.8",
  created_at: "2026-06-01T00:00:00Z",
  max_tokens: 100_000,
  capabilities: { thinking: { supported: true, types: { enabled: { supported: false }, adaptive: { supported: true } } } },
};

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("CachedModelCatalog", () => {
  it("lists the upstream's models and resolves aliases and snapshots", async () => {
    const catalog = new CachedModelCatalog(async () => [opusInfo, sonnetInfo], 60_000);
    expect((await catalog.list()).map((p) => p.id)).toEqual(["claude-opus-4-8", "claude-sonnet-4-5-20250929"]);
    expect((await catalog.get("claude-sonnet-4-5"))!.id).toBe("claude-sonnet-4-5-20250929");
    expect((await catalog.get("claude-sonnet-4-5-20250929"))!.id).toBe("claude-sonnet-4-5-20250929");
    expect((await catalog.get("claude-opus-4-8"))!.maxOutputTokens).toBe(100_000);
  });

  it("falls back to the table and family rules for ids the upstream does not list", async () => {
    const catalog = new CachedModelCatalog(async () => [opusInfo], 60_000);
    expect((await catalog.get("claude-haiku-4-5"))!.thinking.budget).toBe(true);
    expect((await catalog.get("claude-opus-9"))!.sampling).toBe("locked");
    expect(await catalog.get("gpt-4o")).toBeUndefined();
  });

  it("shares one in-flight fetch between concurrent callers and caches for the TTL", async () => {
    const c = clock();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const catalog = new CachedModelCatalog(
      async () => {
        calls++;
        await gate;
        return [opusInfo];
      },
      10_000,
      c.now,
    );
    const all = Promise.all([catalog.list(), catalog.get("claude-opus-4-8"), catalog.list()]);
    release();
    await all;
    expect(calls).toBe(1);
    c.advance(9_999);
    await catalog.list();
    expect(calls).toBe(1);
    c.advance(2);
    await catalog.list();
    expect(calls).toBe(2);
  });

  it("serves the expired list while the next one is fetched, and restarts a refresh that hangs", async () => {
    const c = clock();
    let calls = 0;
    const answers: Array<() => Promise<unknown[]>> = [async () => [sonnetInfo], () => new Promise(() => {}), async () => [opusInfo]];
    const catalog = new CachedModelCatalog(() => answers[calls++]!(), 10_000, c.now);
    expect((await catalog.list()).map((p) => p.id)).toEqual(["claude-sonnet-4-5-20250929"]);
    c.advance(10_001);
    // The refresh never settles (its request went away): callers keep the old list, at once.
    expect((await catalog.list()).map((p) => p.id)).toEqual(["claude-sonnet-4-5-20250929"]);
    expect((await catalog.list()).map((p) => p.id)).toEqual(["claude-sonnet-4-5-20250929"]);
    expect(calls).toBe(2);
    c.advance(STUCK_REFRESH_MS + 1);
    await catalog.list();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(3);
    expect((await catalog.list()).map((p) => p.id)).toEqual(["claude-opus-4-8"]);
  });

  it("in a fresh isolate, waits for the first list only so long, then uses the built-in table", async () => {
    const catalog = new CachedModelCatalog(() => new Promise(() => {}), 60_000, undefined, 20);
    const list = await catalog.list();
    expect(list.map((p) => p.id)).toContain("claude-sonnet-4-5");
  });

  it("uses the built-in table when the upstream fails, and retries only after a while", async () => {
    const c = clock();
    let calls = 0;
    let fail = true;
    const catalog = new CachedModelCatalog(
      async () => {
        calls++;
        if (fail) throw new Error("network down");
        return [opusInfo];
      },
      3_600_000,
      c.now,
    );
    const list = await catalog.list();
    expect(list.map((p) => p.id)).toContain("claude-sonnet-4-5");
    expect((await catalog.get("claude-opus-4-8"))!.thinking.adaptive).toBe(true);
    await catalog.list();
    expect(calls).toBe(1);
    fail = false;
    c.advance(MODEL_LIST_RETRY_MS + 1);
    await catalog.list(); // the table once more, while the list is fetched again
    await new Promise((r) => setTimeout(r, 0));
    expect((await catalog.list()).map((p) => p.id)).toEqual(["claude-opus-4-8"]);
    expect(calls).toBe(2);
  });

  it("treats an undefined or empty list like a failure", async () => {
    const catalog = new CachedModelCatalog(async () => undefined, 60_000);
    expect((await catalog.list()).length).toBeGreaterThan(5);
  });
});
