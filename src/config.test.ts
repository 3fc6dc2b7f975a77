import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

describe("parseConfig", () => {
  it("defaults to the real Anthropic API with no keys", () => {
    const c = parseConfig({});
    expect(c.UPSTREAM).toBe("anthropic");
    expect(c.ANTHROPIC_BASE_URL).toBe("https://api.anthropic.com");
    expect(c.ANTHROPIC_VERSION).toBe("2023-06-01");
    expect(c.CHAT_DELETE).toBe(true);
    expect(c.MAX_CHAT_HISTORY_LENGTH).toBe(0);
  });

  it("splits comma-separated keys and trims them", () => {
    const c = parseConfig({ APIKEY: " a, b ,,c", ANTHROPIC_API_KEYS: "sk-ant-1,sk-ant-2" });
    expect(c.APIKEY).toEqual(["a", "b", "c"]);
    expect(c.ANTHROPIC_API_KEYS).toEqual(["sk-ant-1", "sk-ant-2"]);
  });

  it("auto picks the simulator only while no upstream keys are set", () => {
    expect(parseConfig({ UPSTREAM: "auto" }).UPSTREAM).toBe("simulator");
    expect(parseConfig({ UPSTREAM: "auto", ANTHROPIC_API_KEYS: "sk-ant-x" }).UPSTREAM).toBe("anthropic");
  });

  it("reads booleans and numbers the way operators write them", () => {
    const c = parseConfig({ CHAT_DELETE: "false", MAX_CHAT_HISTORY_LENGTH: "20000", PASSTHROUGH_KEYS: "1" });
    expect(c.CHAT_DELETE).toBe(false);
    expect(c.PASSTHROUGH_KEYS).toBe(true);
    expect(c.MAX_CHAT_HISTORY_LENGTH).toBe(20000);
  });

  it("names every bad variable without echoing secrets", () => {
    expect(() => parseConfig({ DEFAULT_MAX_TOKENS: "lots", UPSTREAM: "openai" })).toThrow(/DEFAULT_MAX_TOKENS.*UPSTREAM|UPSTREAM.*DEFAULT_MAX_TOKENS/);
  });

  it("reads ADMIN_KEY, DATA_DIR and PRICES, and refuses an admin key that is also a client key", () => {
    const c = parseConfig({ ADMIN_KEY: " admin-key-0123456789 ", DATA_DIR: "/data", PRICES: '{"claude-new": {"input": 1, "output": 2}}' });
    expect(c.ADMIN_KEY).toBe("admin-key-0123456789");
    expect(c.DATA_DIR).toBe("/data");
    expect(c.PRICES?.["claude-new"]).toMatchObject({ input: 1, output: 2, cache_read: 0.1 });
    expect(parseConfig({}).ADMIN_KEY).toBeUndefined();
    expect(() => parseConfig({ ADMIN_KEY: "short" })).toThrow(/ADMIN_KEY.*16/);
    expect(() => parseConfig({ ADMIN_KEY: "admin-key-0123456789", APIKEY: "a,admin-key-0123456789" })).toThrow(/ADMIN_KEY: must differ/);
    expect(() => parseConfig({ PRICES: "{nope" })).toThrow(/PRICES.*not valid JSON/);
  });
});
