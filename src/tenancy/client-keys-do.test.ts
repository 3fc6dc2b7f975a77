import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ClientKeysDO, DurableClientKeyStore } from "./client-keys-do";
import { clientKeyStoreContract, sampleKey } from "./store-contract";

const ns = () => (env as unknown as { CLIENT_KEYS: DurableObjectNamespace<ClientKeysDO> }).CLIENT_KEYS;

describe("ClientKeysDO", () => {
  clientKeyStoreContract(() => new DurableClientKeyStore(ns(), `contract-${crypto.randomUUID()}`));

  it("stores the key's hash and last four characters, never more of the key", async () => {
    const name = `material-${crypto.randomUUID()}`;
    const store = new DurableClientKeyStore(ns(), name);
    await store.create(sampleKey({ keyHash: "c".repeat(64), last4: "9f3Q" }));
    const stub = ns().get(ns().idFromName(name));
    const rows = await runInDurableObject(stub, (_i: ClientKeysDO, state) => state.storage.sql.exec("SELECT * FROM client_keys").toArray());
    expect(rows).toEqual([expect.objectContaining({ key_hash: "c".repeat(64), last4: "9f3Q" })]);
  });
});
