import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DurableObjectKeyStateStore, KeyPoolDO } from "./key-pool-do";
import { hashSecret } from "../hash";

const ns = () => (env as unknown as { KEY_POOL: DurableObjectNamespace<KeyPoolDO> }).KEY_POOL;
const KEY = "sk-ant-api03-do-test-key-1234";

describe("KeyPoolDO", () => {
  it("stores reports by key hash and serves them as a snapshot", async () => {
    const stub = ns().get(ns().idFromName("do-test-1"));
    const keyHash = await hashSecret(KEY);
    await stub.report([
      { keyHash, hint: "…1234", requests: 4, failures: 1, cooldownUntil: 9_999_999_999_999, lastError: { message: "429 rate limited", at: 5 } },
    ]);
    await stub.report([{ keyHash, hint: "…1234", requests: 1, failures: 1, disabled: { reason: "401: invalid x-api-key", at: 6 } }]);

    const snap = await stub.snapshot();
    expect(snap.keys).toEqual([
      expect.objectContaining({ keyHash, hint: "…1234", requests: 5, failures: 2, cooldownUntil: 9_999_999_999_999, disabledReason: "401: invalid x-api-key", disabledAt: 6, lastError: "429 rate limited" }),
    ]);

    // What is on disk: a hash and a hint, never the key.
    const rows = await runInDurableObject(stub, (_instance: KeyPoolDO, state) => state.storage.sql.exec("SELECT * FROM key_state").toArray());
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(KEY);
    expect(JSON.stringify(rows)).not.toContain("do-test-key");
  });

  it("ignores events that do not carry a key hash", async () => {
    const stub = ns().get(ns().idFromName("do-test-2"));
    await stub.report([{ keyHash: KEY, hint: "…1234", requests: 1, failures: 0 }]);
    expect((await stub.snapshot()).keys).toEqual([]);
  });

  it("puts a key back into rotation when the operator enables it", async () => {
    const stub = ns().get(ns().idFromName("do-test-3"));
    const keyHash = await hashSecret(KEY);
    await stub.report([{ keyHash, hint: "…1234", requests: 1, failures: 1, disabled: { reason: "401", at: 1 } }]);
    expect(await stub.enable(keyHash)).toBe(true);
    expect((await stub.snapshot()).keys[0]).toMatchObject({ disabledReason: null, disabledAt: null });
  });

  it("is reachable through the KeyStateStore adapter", async () => {
    const store = new DurableObjectKeyStateStore(ns(), "do-test-4");
    const keyHash = await hashSecret(KEY);
    await store.report([{ keyHash, hint: "…1234", requests: 2, failures: 0 }]);
    expect((await store.snapshot()).keys).toEqual([expect.objectContaining({ keyHash, requests: 2 })]);
  });
});
