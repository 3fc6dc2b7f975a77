import { describe, expect, it } from "vitest";
import { parseModelMap } from "../model-map";
import { vertexModelId } from "../vertex/model-ids";
import { bedrockModelId } from "./model-ids";
import { bedrockBody, bedrockUrl } from "./request";

describe("platform model ids", () => {
  it("maps Anthropic ids to Bedrock ids with the global profile where the model has one", () => {
    expect(bedrockModelId("claude-sonnet-4-5", "us-east-1", undefined)?.modelId).toBe("global.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(bedrockModelId("claude-sonnet-4-5-20250929", "us-east-1", undefined)?.modelId).toBe("global.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(bedrockModelId("claude-opus-4-6", "us-east-1", undefined)?.modelId).toBe("global.anthropic.claude-opus-4-6-v1");
    expect(bedrockModelId("claude-opus-4-8", "us-east-1", undefined)?.modelId).toBe("global.anthropic.claude-opus-4-8");
  });

  it("falls back to the region's geography, then the in-region id, when the model has no global profile", () => {
    expect(bedrockModelId("claude-3-7-sonnet-latest", "eu-central-1", undefined)?.modelId).toBe("eu.anthropic.claude-3-7-sonnet-20250219-v1:0");
    expect(bedrockModelId("claude-opus-4-1", "us-west-2", undefined)?.modelId).toBe("us.anthropic.claude-opus-4-1-20250805-v1:0");
    expect(bedrockModelId("claude-opus-4-1", "eu-west-1", undefined)?.modelId).toBe("anthropic.claude-opus-4-1-20250805-v1:0");
  });

  it("uses BEDROCK_MODEL_PREFIX as written, `none` for in-region ids, and MODEL_MAP over everything", () => {
    expect(bedrockModelId("claude-sonnet-4-5", "eu-west-1", "eu.")?.modelId).toBe("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(bedrockModelId("claude-sonnet-4-5", "eu-west-1", "apac")?.modelId).toBe("apac.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(bedrockModelId("claude-sonnet-4-5", "eu-west-1", "none")?.modelId).toBe("anthropic.claude-sonnet-4-5-20250929-v1:0");
    const map = parseModelMap('{"bedrock":{"claude-sonnet-4-5":"arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc"}}');
    expect(bedrockModelId("claude-sonnet-4-5-20250929", "eu-west-1", "eu.", map)).toEqual({ modelId: "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc", source: "MODEL_MAP" });
    expect(bedrockModelId("gpt-4o", "eu-west-1", undefined)).toBeUndefined();
  });

  it("maps Anthropic ids to Vertex ids", () => {
    expect(vertexModelId("claude-sonnet-4-5")).toBe("claude-sonnet-4-5@20250929");
    expect(vertexModelId("claude-haiku-4-5-20251001")).toBe("claude-haiku-4-5@20251001");
    expect(vertexModelId("claude-opus-4-0")).toBe("claude-opus-4@20250514");
    expect(vertexModelId("claude-sonnet-4-6")).toBe("claude-sonnet-4-6");
    expect(vertexModelId("claude-sonnet-4-5", { vertex: { "claude-sonnet-4-5": "claude-sonnet-4-5@20991231" } })).toBe("claude-sonnet-4-5@20991231");
    expect(vertexModelId("mistral-large")).toBeUndefined();
  });

  it("refuses a MODEL_MAP that is not what it should be, saying why", () => {
    expect(() => parseModelMap("claude=x")).toThrow(/JSON/);
    expect(() => parseModelMap('{"azure":{}}')).toThrow(/unknown platform "azure"/);
    expect(() => parseModelMap('{"bedrock":{"claude-sonnet-4-5":""}}')).toThrow(/non-empty/);
    expect(parseModelMap(undefined)).toEqual({});
  });
});

describe("Bedrock request shaping", () => {
  it("drops model and stream, sets Bedrock's version whatever came, and moves betas into the body", () => {
    const body = JSON.parse(bedrockBody({ model: "claude-sonnet-4-5", stream: true, max_tokens: 5, messages: [], anthropic_version: "2023-06-01" }, ["a-beta", "b-beta", "a-beta"]));
    expect(body).toEqual({ max_tokens: 5, messages: [], anthropic_version: "bedrock-2023-05-31", anthropic_beta: ["a-beta", "b-beta"] });
    expect(JSON.parse(bedrockBody({ model: "m", max_tokens: 5 }, []))).toEqual({ max_tokens: 5, anthropic_version: "bedrock-2023-05-31" });
  });

  it("puts the encoded model id in the path of the right operation", () => {
    expect(bedrockUrl("https://bedrock-runtime.us-east-1.amazonaws.com/", "us.anthropic.claude-3-haiku-20240307-v1:0", true)).toBe(
      "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream",
    );
    expect(bedrockUrl("https://vpce.example/", "arn:aws:bedrock:eu-west-1:1:application-inference-profile/x", false)).toBe(
      "https://vpce.example/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A1%3Aapplication-inference-profile%2Fx/invoke",
    );
  });
});
