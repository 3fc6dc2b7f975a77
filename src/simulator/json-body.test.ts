import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { parseJsonBody } from "./json-body";
import { BASE, KEY } from "./test-support";

const rawPost = (sim: ClaudeSimulator, text: string) =>
  sim.fetch(new Request(`${BASE}/v1/messages`, { method: "POST", headers: { "x-api-key": KEY, "anthropic-version": "2023-06-01", "content-type": "application/json" }, body: text }));

describe("request bodies that are not valid JSON", () => {
  it("answers 400 invalid_request_error in the API's words, with line, column and char", async () => {
    const sim = new ClaudeSimulator();
    const res = await rawPost(sim, '{"model": "claude-sonnet-4-5",\n "max_tokens": 10,,}');
    expect(res.status).toBe(400);
    const json: any = await res.json();
    // Format of real answers: "The request body is not valid JSON: unexpected character: line 8
    // column 316 (char 466)" (promptfoo/promptfoo#4489); char counts from 0, column from 1.
    expect(json).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "The request body is not valid JSON: unexpected character: line 2 column 19 (char 49)" },
      request_id: res.headers.get("request-id"),
    });
  });

  it("refuses a high surrogate escape without its low surrogate, which JSON.parse accepts", async () => {
    const sim = new ClaudeSimulator();
    const text = `{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"cut emoji \\ud83d here"}]}`;
    expect(() => JSON.parse(text)).not.toThrow();
    const res = await rawPost(sim, text);
    expect(res.status).toBe(400);
    const at = text.indexOf("\\ud83d");
    // Recorded: anthropics/claude-code#6464, #8272 ("… no low surrogate in string: line 1 column 134323 (char 134322)").
    expect(((await res.json()) as any).error.message).toBe(`The request body is not valid JSON: no low surrogate in string: line 1 column ${at + 1} (char ${at})`);
    // A whole pair is fine.
    const pair = text.replace("\\ud83d here", "\\ud83d\\ude00 here");
    expect((await rawPost(sim, pair)).status).toBe(200);
  });

  it("names the end of the data for a cut-off body, and an escaped backslash is not an escape", () => {
    expect(parseJsonBody('{"a": [1, 2')).toEqual({ ok: false, message: "The request body is not valid JSON: unexpected end of data: line 1 column 12 (char 11)" });
    expect(parseJsonBody('{"a": "\\\\ud83d"}')).toEqual({ ok: true, value: { a: "\\ud83d" } });
    expect(parseJsonBody('{"a": "\\udc00"}')).toEqual({ ok: false, message: "The request body is not valid JSON: invalid high surrogate in string: line 1 column 8 (char 7)" });
  });
});
