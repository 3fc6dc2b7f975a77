import { describe, expect, it } from "vitest";
import { GatewayError } from "../errors";
import { parseResponsesRequest } from "./responses-schema";

const model = "claude-sonnet-4-5";

function bad(body: unknown): GatewayError {
  try {
    parseResponsesRequest(body);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).status).toBe(400);
    return e as GatewayError;
  }
  throw new Error("expected a 400");
}

describe("parseResponsesRequest", () => {
  it("accepts a string input and drops fields it does not serve", () => {
    const req = parseResponsesRequest({ model, input: "hi", include: ["reasoning.encrypted_content"], truncation: "auto", service_tier: "auto", prompt_cache_key: "k" });
    expect(req).toEqual({ model, input: "hi" });
  });

  it("tells items apart: a message without type by its role, the others by type", () => {
    const req = parseResponsesRequest({
      model,
      input: [
        { role: "user", content: "q" },
        { type: "function_call", call_id: "c", name: "f", arguments: "{}", id: "fc_1", status: "completed" },
        { type: "function_call_output", call_id: "c", output: "ok" },
        { type: "reasoning", id: "rs_1", summary: [] },
        { type: "item_reference", id: "msg_1" },
      ],
    });
    expect(req.input).toEqual([
      { role: "user", content: "q" },
      { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "c", output: "ok" },
      { type: "reasoning" },
      { type: "item_reference", id: "msg_1" },
    ]);
  });

  it("names the field of an unknown item type, an unknown content part and a bad role", () => {
    const item = bad({ model, input: [{ role: "user", content: "q" }, { type: "file_search_call", id: "fs_1" }] });
    expect(item.param).toBe("input[1].type");
    expect(item.message).toMatch(/^input\[1\]\.type: unknown type "file_search_call"; expected message, function_call, function_call_output, reasoning, item_reference or web_search_call$/);

    const part = bad({ model, input: [{ role: "user", content: [{ type: "input_audio", data: "x" }] }] });
    expect(part.param).toBe("input[0].content[0].type");
    expect(part.message).toContain('unknown type "input_audio"');

    const role = bad({ model, input: [{ role: "tool", content: "x" }] });
    expect(role.param).toBe("input[0].role");
    expect(bad({ model, input: [{ type: "message", role: "tool", content: "x" }] }).param).toBe("input[0].role");
    expect(bad({ model, input: [{ type: "function_call", name: "f" }] }).message).toBe("input[0].call_id: is required");
  });

  it("requires model and a non-empty input", () => {
    expect(bad({ input: "hi" }).message).toBe("model: is required");
    expect(bad({ model, input: [] }).param).toBe("input");
    expect(bad({ model }).message).toBe("input: is required");
    expect(bad({ model, input: "hi", max_output_tokens: -1 }).param).toBe("max_output_tokens");
    expect(bad([]).message).toBe("the request body must be a JSON object");
  });

  it("refuses server-side state: previous_response_id, conversation, background", () => {
    for (const [field, value] of [["previous_response_id", "resp_1"], ["conversation", "conv_1"], ["background", true]] as const) {
      const e = bad({ model, input: "hi", [field]: value });
      expect(e.param).toBe(field);
      expect(e.code).toBe("unsupported_parameter");
    }
    // Their "not given" values are fine.
    expect(() => parseResponsesRequest({ model, input: "hi", previous_response_id: null, conversation: null, background: false })).not.toThrow();
  });
});
