import { describe, expect, it } from "vitest";
import type { AnthropicRequest } from "../../platforms/anthropic/types";
import type { PlatformAdapter } from "../../platforms/adapter";
import { PlatformMembers } from "../../pool/members";
import { GatewayError } from "../../errors";
import { hiddenMembers } from "./platform-routing";

function member(platform: "bedrock" | "vertex", maxRequestBytes: number, offers = (id: string) => id.startsWith("claude-")): PlatformAdapter {
  return { platform, label: platform === "bedrock" ? "Amazon Bedrock (eu-west-1)" : "Vertex AI (p, global)", maxRequestBytes, offers, messages: async () => new Response() };
}

function members(): PlatformMembers {
  const m = new PlatformMembers();
  m.add("bedrock:eu-west-1", member("bedrock", 20 * 1024 * 1024));
  m.add("vertex:p@global", member("vertex", 30 * 1024 * 1024, (id) => id !== "claude-only-on-bedrock"));
  return m;
}

const body = (extra: Record<string, unknown> = {}) => ({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [], ...extra }) as unknown as AnthropicRequest;
const MB = 1024 * 1024;

describe("which platform members can serve a request", () => {
  it("hides members by model, by tool and by inline size", () => {
    expect([...hiddenMembers({ body: body(), inlineBytes: undefined, members: members(), anthropicKeys: 0, requestedModel: "claude-sonnet-4-5" })]).toEqual([]);
    expect([...hiddenMembers({ body: body({ model: "claude-only-on-bedrock" }), inlineBytes: undefined, members: members(), anthropicKeys: 0, requestedModel: "x" })]).toEqual(["vertex:p@global"]);
    const search = body({ tools: [{ type: "web_search_20250305", name: "web_search" }] });
    expect([...hiddenMembers({ body: search, inlineBytes: undefined, members: members(), anthropicKeys: 0, requestedModel: "claude-sonnet-4-5" })]).toEqual(["bedrock:eu-west-1"]);
    expect([...hiddenMembers({ body: body(), inlineBytes: 25 * MB, members: members(), anthropicKeys: 0, requestedModel: "claude-sonnet-4-5" })]).toEqual(["bedrock:eu-west-1"]);
  });

  it("refuses, naming the reason, when nothing left can serve it and there is no Anthropic key", () => {
    const tooBig = () => hiddenMembers({ body: body(), inlineBytes: 40 * MB, members: members(), anthropicKeys: 0, requestedModel: "claude-sonnet-4-5" });
    expect(tooBig).toThrow(GatewayError);
    try {
      tooBig();
    } catch (e) {
      expect((e as GatewayError).status).toBe(413);
      expect((e as GatewayError).message).toMatch(/20\.0 MB[\s\S]*30\.0 MB[\s\S]*ANTHROPIC_API_KEYS/);
    }
    const onlyBedrock = new PlatformMembers();
    onlyBedrock.add("bedrock:eu-west-1", member("bedrock", 20 * MB));
    const search = body({ tools: [{ type: "web_search_20250305", name: "web_search" }] });
    expect(() => hiddenMembers({ body: search, inlineBytes: undefined, members: onlyBedrock, anthropicKeys: 0, requestedModel: "claude-sonnet-4-5" })).toThrow(/web search/);
    // With an Anthropic key in the pool the request simply goes there.
    expect([...hiddenMembers({ body: body(), inlineBytes: 40 * MB, members: members(), anthropicKeys: 1, requestedModel: "claude-sonnet-4-5" })]).toHaveLength(2);
  });
});
