import { describe, expect, it } from "vitest";
import { redactSecrets } from "../log";
import { last4, looksManaged, newClientKey, newKeyId, staticKeyId } from "./key-material";

describe("client key material", () => {
  it("makes high-entropy sk-c2a- keys, different each time", () => {
    const a = newClientKey();
    const b = newClientKey();
    expect(a).toMatch(/^sk-c2a-[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(looksManaged(a)).toBe(true);
    expect(looksManaged("sk-c2a-short")).toBe(false);
    expect(newKeyId()).toMatch(/^key_[0-9a-f]{16}$/);
    expect(last4(a)).toBe(a.slice(-4));
  });

  it("gives a static key a stable id that does not contain the key", async () => {
    const id = await staticKeyId("my-client-key");
    expect(id).toMatch(/^key_static_[0-9a-f]{12}$/);
    expect(await staticKeyId("my-client-key")).toBe(id);
    expect(await staticKeyId("other-key")).not.toBe(id);
  });

  it("masks managed keys in log lines as it masks Anthropic keys", () => {
    const key = newClientKey();
    const line = redactSecrets(`upstream said: bad key ${key}`);
    expect(line).not.toContain(key.slice(9));
    expect(line).toContain(key.slice(0, 9) + "…");
  });
});
