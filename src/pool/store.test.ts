import { describe, expect, it } from "vitest";
import { MemoryKeyStateStore, mergeEvent } from "./store";

const H = "a".repeat(64);

describe("mergeEvent", () => {
  it("adds counts, keeps the later cooldown and the newer error", () => {
    const a = mergeEvent(undefined, { keyHash: H, hint: "…wxyz", requests: 3, failures: 1, cooldownUntil: 500, lastError: { message: "429", at: 10 } }, 1);
    const b = mergeEvent(a, { keyHash: H, hint: "…wxyz", requests: 2, failures: 1, cooldownUntil: 200, lastError: { message: "old", at: 5 } }, 2);
    expect(b).toMatchObject({ requests: 5, failures: 2, cooldownUntil: 500, lastError: "429", lastErrorAt: 10, updatedAt: 2 });
  });

  it("keeps the first reason a key was disabled for", () => {
    const a = mergeEvent(undefined, { keyHash: H, hint: "…wxyz", requests: 1, failures: 1, disabled: { reason: "401: invalid x-api-key", at: 7 } }, 7);
    const b = mergeEvent(a, { keyHash: H, hint: "…wxyz", requests: 1, failures: 1, disabled: { reason: "403: later", at: 9 } }, 9);
    expect(b).toMatchObject({ disabledReason: "401: invalid x-api-key", disabledAt: 7 });
  });
});

describe("MemoryKeyStateStore", () => {
  it("serves what was reported", async () => {
    const store = new MemoryKeyStateStore(() => 42);
    await store.report([{ keyHash: H, hint: "…wxyz", requests: 1, failures: 0 }]);
    expect(await store.snapshot()).toEqual({ takenAt: 42, keys: [expect.objectContaining({ keyHash: H, hint: "…wxyz", requests: 1 })] });
  });
});
