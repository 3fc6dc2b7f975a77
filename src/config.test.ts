import { describe, expect, it } from "vitest";
import { parseConfig, regionsOf } from "./config";

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

  it("reads the Bedrock and Vertex settings, and stops on a half-configured platform naming what is missing", () => {
    const sa = JSON.stringify({ type: "service_account", client_email: "a@p.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", project_id: "p" });
    const c = parseConfig({ BEDROCK_REGION: "eu-west-1", BEDROCK_API_KEY: "ABSK-x", VERTEX_SERVICE_ACCOUNT: sa, POOL_ORDER: "vertex, bedrock", MODEL_MAP: '{"bedrock":{"claude-x":"anthropic.claude-x"}}' });
    expect(c.UPSTREAM).toBe("anthropic");
    expect(c.VERTEX_SERVICE_ACCOUNT?.token_uri).toBe("https://oauth2.googleapis.com/token");
    expect(c.VERTEX_REGION).toBe("global");
    expect(c.POOL_ORDER).toEqual(["vertex", "bedrock"]);
    expect(c.MODEL_MAP.bedrock?.["claude-x"]).toBe("anthropic.claude-x");
    expect(parseConfig({ UPSTREAM: "auto", BEDROCK_REGION: "us-east-1", BEDROCK_API_KEY: "k" }).UPSTREAM).toBe("anthropic");
    expect(() => parseConfig({ BEDROCK_ACCESS_KEY_ID: "AKIA" })).toThrow(/BEDROCK_REGION: required/);
    expect(() => parseConfig({ BEDROCK_REGION: "us-east-1", BEDROCK_ACCESS_KEY_ID: "AKIA" })).toThrow(/go together/);
    expect(() => parseConfig({ BEDROCK_REGION: "us-east-1" })).toThrow(/neither/);
    expect(regionsOf(parseConfig({ BEDROCK_REGION: " us-east-1, us-west-2,,us-east-1 ", BEDROCK_API_KEY: "k" }).BEDROCK_REGION)).toEqual(["us-east-1", "us-west-2"]);
    expect(() => parseConfig({ BEDROCK_REGION: "us-east-1;rm", BEDROCK_API_KEY: "k" })).toThrow(/BEDROCK_REGION: "us-east-1;rm" is not a region name/);
    expect(() => parseConfig({ VERTEX_REGION: "europe-west1,evil.example.com/" })).toThrow(/VERTEX_REGION/);
    expect(() => parseConfig({ BEDROCK_REGION: " , ", BEDROCK_API_KEY: "k" })).toThrow(/BEDROCK_REGION: names no region/);
    expect(() => parseConfig({ BEDROCK_REGION: "us-east-1,us-west-2", BEDROCK_API_KEY: "k", BEDROCK_BASE_URL: "https://vpce.example.com" })).toThrow(/BEDROCK_BASE_URL names one endpoint/);
    expect(regionsOf(parseConfig({ BEDROCK_REGION: "us-east-1", BEDROCK_API_KEY: "k", BEDROCK_BASE_URL: "https://vpce.example.com" }).BEDROCK_REGION)).toEqual(["us-east-1"]);
    expect(() => parseConfig({ VERTEX_SERVICE_ACCOUNT: "{not json" })).toThrow(/VERTEX_SERVICE_ACCOUNT/);
    expect(() => parseConfig({ VERTEX_SERVICE_ACCOUNT: JSON.stringify({ client_email: "a@b", private_key: "-----BEGIN PRIVATE KEY-----x" }) })).toThrow(/VERTEX_PROJECT_ID: required/);
    expect(() => parseConfig({ POOL_ORDER: "bedrock,azure" })).toThrow(/POOL_ORDER/);
    expect(() => parseConfig({ MODEL_MAP: '{"azure":{}}' })).toThrow(/MODEL_MAP/);
    // The secret of a refused key never appears in the error.
    expect(() => parseConfig({ BEDROCK_REGION: "us-east-1", BEDROCK_SECRET_ACCESS_KEY: "very-secret-value" })).toThrow(/^(?!.*very-secret-value)/s);
  });
});
