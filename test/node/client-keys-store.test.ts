/**
 * The Node runtime's client key store (node:sqlite under DATA_DIR): the same contract as
 * the Durable Object, and state that survives closing and reopening the file (a restart).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteClientKeyStore } from "../../src/tenancy/sqlite-file-store";
import { clientKeyStoreContract, delta, sampleKey } from "../../src/tenancy/store-contract";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(`${tmpdir()}/claude2api-keys-`);
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("node:sqlite client key store", () => {
  describe("in a file", () => clientKeyStoreContract(() => openSqliteClientKeyStore(tempDir())));
  describe("in memory (no DATA_DIR)", () => clientKeyStoreContract(() => openSqliteClientKeyStore(undefined)));

  it("keeps keys and usage across a restart", async () => {
    const dir = `${tempDir()}/nested/data`;
    const first = openSqliteClientKeyStore(dir);
    expect(first.location).toBe(`${dir}/client-keys.sqlite`);
    await first.create(sampleKey());
    await first.record([delta({ costPico: 42 })]);
    first.close();

    const second = openSqliteClientKeyStore(dir);
    const auth = await second.authorize("a".repeat(64), Date.UTC(2026, 11, 3, 13));
    expect(auth).toMatchObject({ key: { name: "alice", models: ["claude-haiku-*"] }, spentPico: 42 });
    expect(await second.usage({ groupBy: "key" })).toMatchObject([{ keyId: "key_aaaaaaaaaaaaaaaa", requests: 1, costPico: 42 }]);
    second.close();
  });
});
