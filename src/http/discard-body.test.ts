import { describe, expect, it } from "vitest";
import { discardRest, drainUnread, worthDraining } from "./discard-body";

/** A stream of `total` bytes in 64 KB chunks (Infinity: never ends), recording how it was read. */
function source(total: number, delayMs = 0) {
  const chunk = new Uint8Array(64 * 1024);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (state.pulled >= total) return controller.close();
      const n = Math.min(chunk.byteLength, total - state.pulled);
      state.pulled += n;
      controller.enqueue(chunk.slice(0, n));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe("discardRest", () => {
  it("reads a body to its end and says so", async () => {
    const { stream, state } = source(3 * 1024 * 1024);
    expect(await discardRest(stream, { maxBytes: 8 * 1024 * 1024, maxMs: 10_000 })).toBe(true);
    expect(state).toEqual({ pulled: 3 * 1024 * 1024, cancelled: false });
  });

  it("continues from a reader that already read part of the body", async () => {
    const { stream, state } = source(1024 * 1024);
    const reader = stream.getReader();
    await reader.read();
    expect(await discardRest(reader, { maxBytes: 8 * 1024 * 1024, maxMs: 10_000 })).toBe(true);
    expect(state.pulled).toBe(1024 * 1024);
  });

  it("cancels once more than maxBytes were discarded", async () => {
    const { stream, state } = source(Infinity);
    expect(await discardRest(stream, { maxBytes: 1024 * 1024, maxMs: 10_000 })).toBe(false);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(2 * 1024 * 1024);
  });

  it("cancels a body that trickles in for longer than maxMs", async () => {
    const { stream, state } = source(Infinity, 20);
    const started = Date.now();
    expect(await discardRest(stream, { maxBytes: Infinity, maxMs: 150 })).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(state.cancelled).toBe(true);
  });

  it("cancels a body that stops sending altogether, after maxMs", async () => {
    const stream = new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => {}) });
    expect(await discardRest(stream, { maxBytes: Infinity, maxMs: 100 })).toBe(false);
  });

  it("is a no-op without a body", async () => {
    expect(await discardRest(null)).toBe(true);
  });

  it("drains a declared size only when it fits the bound", () => {
    expect(worthDraining(100 * 1024 * 1024)).toBe(true);
    expect(worthDraining(10 * 1024 * 1024 * 1024)).toBe(false);
  });
});

describe("drainUnread (an early answer's request)", () => {
  const request = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    new Request("http://gateway.test/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

  it("reads an unread body to its end", async () => {
    const { stream, state } = source(2 * 1024 * 1024);
    await drainUnread(request(stream));
    expect(state).toEqual({ pulled: 2 * 1024 * 1024, cancelled: false });
  });

  it("leaves a body its handler is reading alone", async () => {
    const { stream, state } = source(2 * 1024 * 1024);
    const req = request(stream);
    const reader = req.body!.getReader();
    await reader.read();
    await drainUnread(req);
    expect(state.pulled).toBeLessThan(2 * 1024 * 1024);
    expect(state.cancelled).toBe(false);
  });

  it("cancels a body declared past the bounds, unread", async () => {
    const { stream, state } = source(Infinity);
    await drainUnread(request(stream, { "content-length": String(10 * 1024 ** 3) }));
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(1024 * 1024);
  });
});
