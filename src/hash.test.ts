import { describe, expect, it } from "vitest";
import { hashSecret, sha256Hex } from "./hash";
import { uploadKeyHash } from "./uploads/tracker";
import { staticKeyId } from "./tenancy/key-material";

/**
 * The forms in which keys are persisted: the key pool's shared state (KeyPoolDO), the
 * client-key store, upload records (UploadTrackerDO) and static key ids in usage rows.
 * Rows written by earlier versions must still match, so each form is pinned here.
 */
describe("key hashes as they are stored", () => {
  it("hashSecret is the hex SHA-256 of the key (pool state, client-key store)", async () => {
    expect(await hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("hashes non-ASCII keys as UTF-8, the same with node:crypto or crypto.subtle", async () => {
    const key = "sk-ant-ключ-🔑";
    expect(await hashSecret(key)).toBe("2d60d376d8cdea101ebf76d69239a4ce32d457294f7f703ccfdb4e47f9fc8974");
    expect(await sha256Hex(key)).toBe(await hashSecret(key));
  });

  it("uploadKeyHash keeps the first 128 bits (upload records)", async () => {
    expect(await uploadKeyHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223");
  });

  it("a static key's id is stable across versions (usage rows)", async () => {
    expect(await staticKeyId("my-client-key")).toBe("key_static_31744dc31ad9");
  });
});
