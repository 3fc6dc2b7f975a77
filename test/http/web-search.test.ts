import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { CLIENT_KEY, startGateway } from "../helpers/gateway";

function client(gw: ReturnType<typeof startGateway>) {
  return new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch: gw.fetch as typeof fetch, maxRetries: 0 });
}

const sent = (gw: ReturnType<typeof startGateway>) => gw.sim.received.filter((r) => r.path === "/v1/messages").map((r) => r.body);

describe("web search through chat completions", () => {
  it("web_search_options → Claude's web search tool; annotations point into the content", async () => {
    const gw = startGateway();
    const openai = client(gw);
    const res = await openai.chat.completions.create({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Who won the 2026 final?" }], web_search_options: { search_context_size: "low", user_location: { type: "approximate", approximate: { city: "Oslo", country: "NO" } } } });
    const [body] = sent(gw);
    expect(body.tools).toMatchObject([{ type: "web_search_20250305", name: "web_search", max_uses: 1, user_location: { type: "approximate", city: "Oslo", country: "NO" } }]);
    const message = res.choices[0]!.message;
    expect(message.tool_calls).toBeUndefined();
    expect(message.annotations!.length).toBe(2);
    for (const a of message.annotations!) {
      expect(message.content!.slice(a.url_citation.start_index, a.url_citation.end_index)).toContain("simulated page");
    }
  });
});
