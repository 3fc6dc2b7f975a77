import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { clientAnthropicKey, singleKeyPool } from "./passthrough";

const on = parseConfig({ PASSTHROUGH_KEYS: "true", APIKEY: "gw-client-key,sk-ant-looks-like-but-is-gateway" });
const off = parseConfig({ APIKEY: "gw-client-key" });

describe("clientAnthropicKey", () => {
  it("uses a client's own Anthropic key from x-api-key or Bearer when mirror mode is on", () => {
    expect(clientAnthropicKey(new Headers({ "x-api-key": "sk-ant-api03-client" }), on)).toBe("sk-ant-api03-client");
    expect(clientAnthropicKey(new Headers({ authorization: "Bearer sk-ant-api03-client" }), on)).toBe("sk-ant-api03-client");
  });

  it("finds the Anthropic key when the gateway key is in the other header", () => {
    expect(clientAnthropicKey(new Headers({ authorization: "Bearer gw-client-key", "x-api-key": "sk-ant-api03-client" }), on)).toBe("sk-ant-api03-client");
  });

  it("leaves gateway keys, other keys and mirror mode off to the pool", () => {
    expect(clientAnthropicKey(new Headers({ authorization: "Bearer gw-client-key" }), on)).toBeUndefined();
    expect(clientAnthropicKey(new Headers({ "x-api-key": "sk-ant-looks-like-but-is-gateway" }), on)).toBeUndefined();
    expect(clientAnthropicKey(new Headers({ "x-api-key": "sk-ant-api03-client" }), off)).toBeUndefined();
    expect(clientAnthropicKey(new Headers(), on)).toBeUndefined();
  });
});

describe("singleKeyPool", () => {
  it("offers its one key once per request and reports nothing", async () => {
    const pool = singleKeyPool("sk-ant-api03-client");
    expect(pool.pick(new Set())).toEqual({ key: "sk-ant-api03-client" });
    expect(pool.pick(new Set(["sk-ant-api03-client"]))).toEqual({ none: true });
    expect(await pool.status()).toEqual([]);
  });
});
