import { describe, expect, it } from "vitest";
import { serverToolErrorText, serverToolUsage, webSearchCallId, webSearchCalls } from "./server-tools";

describe("server tool blocks in OpenAI terms", () => {
  const use = { type: "server_tool_use", id: "srvtoolu_01abc", name: "web_search", input: { query: "rust 2026" } };
  const result = { type: "web_search_tool_result", tool_use_id: "srvtoolu_01abc", content: [{ type: "web_search_result", url: "https://a.example/1", title: "A" }] };

  it("web_search_call items: completed with query and sources, failed on an error result, open_page for fetches", () => {
    const failedUse = { ...use, id: "srvtoolu_01def" };
    const failed = { type: "web_search_tool_result", tool_use_id: "srvtoolu_01def", content: { type: "web_search_tool_result_error", error_code: "too_many_requests" } };
    const fetchUse = { type: "server_tool_use", id: "srvtoolu_01f", name: "web_fetch", input: { url: "https://b.example" } };
    const fetchResult = { type: "web_fetch_tool_result", tool_use_id: "srvtoolu_01f", content: { type: "web_fetch_result", url: "https://b.example" } };
    const out = webSearchCalls([use, result, { type: "text" }, failedUse, failed, fetchUse, fetchResult]);
    expect(out).toEqual([
      { position: 0, item: { type: "web_search_call", id: "ws_01abc", status: "completed", action: { type: "search", query: "rust 2026", sources: [{ type: "url", url: "https://a.example/1" }] } } },
      { position: 3, item: { type: "web_search_call", id: "ws_01def", status: "failed", action: { type: "search", query: "rust 2026" } } },
      { position: 5, item: { type: "web_search_call", id: "ws_01f", status: "completed", action: { type: "open_page", url: "https://b.example" } } },
    ]);
    expect(webSearchCallId("srvtoolu_01xyz")).toBe("ws_01xyz");
  });

  it("errors read as sentences naming the query and the code", () => {
    expect(serverToolErrorText(use, "max_uses_exceeded")).toBe("The web search for “rust 2026” failed: the search limit for this answer was reached (max_uses_exceeded).");
    expect(serverToolErrorText({ type: "server_tool_use", name: "web_fetch", input: { url: "https://x" } }, "url_not_accessible")).toBe("Fetching https://x failed: the page could not be reached (url_not_accessible).");
  });

  it("usage extras only when a server tool ran", () => {
    expect(serverToolUsage({ server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 } })).toEqual({ server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 } });
    expect(serverToolUsage({ server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 } })).toEqual({});
    expect(serverToolUsage(null)).toEqual({});
  });
});
