import { describe, expect, it } from "vitest";
import { fallbackProfile } from "../models/fallback";
import { GatewayError } from "../errors";
import { resolveRequestedModel } from "../models/model-id";
import { domainCovers, planWebTools, type WebToolSettings } from "./web-search";

const on: WebToolSettings = { WEB_SEARCH: true, WEB_FETCH: false, WEB_SEARCH_ALLOWED_DOMAINS: [], WEB_SEARCH_BLOCKED_DOMAINS: [], WEB_SEARCH_MAX_USES: 0 };
const sonnet45 = fallbackProfile("claude-sonnet-4-5")!;
const opus48 = fallbackProfile("claude-opus-4-8")!;

function error(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error("expected a GatewayError");
}

describe("planWebTools", () => {
  it("nothing asked, nothing added", () => {
    expect(planWebTools(null, sonnet45, on)).toEqual([]);
  });

  it("the newest version the model takes; search_context_size → max_uses (1/5/10, medium by default)", () => {
    expect(planWebTools({ param: "model" }, sonnet45, on)).toEqual([{ type: "web_search_20250305", name: "web_search", max_uses: 5 }]);
    expect(planWebTools({ param: "web_search_options", contextSize: "high" }, opus48, on)).toEqual([{ type: "web_search_20260209", name: "web_search", max_uses: 10 }]);
    expect(planWebTools({ param: "web_search_options", contextSize: "low" }, opus48, { ...on, WEB_SEARCH_MAX_USES: 3 })[0]!.max_uses).toBe(1);
    expect(planWebTools({ param: "web_search_options", contextSize: "high" }, opus48, { ...on, WEB_SEARCH_MAX_USES: 3 })[0]!.max_uses).toBe(3);
  });

  it("user_location is mapped; a country that is not an ISO code is a 400", () => {
    const [tool] = planWebTools({ param: "web_search_options", userLocation: { city: "Paris", country: "fr", region: null, timezone: "Europe/Paris" } }, sonnet45, on);
    expect(tool!.user_location).toEqual({ type: "approximate", city: "Paris", country: "FR", timezone: "Europe/Paris" });
    const e = error(() => planWebTools({ param: "web_search_options", userLocation: { country: "France" } }, sonnet45, on));
    expect(e.status).toBe(400);
    expect(e.param).toBe("web_search_options");
  });

  it("WEB_SEARCH=off → 400 naming the setting; a model without search → 400", () => {
    const off = error(() => planWebTools({ param: "model" }, sonnet45, { ...on, WEB_SEARCH: false }));
    expect(off.status).toBe(400);
    expect(off.message).toContain("WEB_SEARCH=off");
    expect(off.code).toBe("web_search_disabled");
    const none = error(() => planWebTools({ param: "tools[0]" }, { ...sonnet45, webSearch: null }, on));
    expect(none.code).toBe("web_search_unsupported");
  });

  it("domains: operator lists bound the client's; never both lists, never an empty one", () => {
    expect(planWebTools({ param: "m" }, sonnet45, { ...on, WEB_SEARCH_BLOCKED_DOMAINS: ["spam.com"] })[0]).toMatchObject({ blocked_domains: ["spam.com"] });
    expect(planWebTools({ param: "m" }, sonnet45, { ...on, WEB_SEARCH_ALLOWED_DOMAINS: ["https://docs.rs/"], WEB_SEARCH_BLOCKED_DOMAINS: ["spam.com"] })[0]).toEqual({ type: "web_search_20250305", name: "web_search", max_uses: 5, allowed_domains: ["docs.rs"] });
    const asked = planWebTools({ param: "tools[0].filters.allowed_domains", allowedDomains: ["api.docs.rs", "evil.com"] }, sonnet45, { ...on, WEB_SEARCH_ALLOWED_DOMAINS: ["docs.rs"] });
    expect(asked[0]!.allowed_domains).toEqual(["api.docs.rs"]);
    const refused = error(() => planWebTools({ param: "tools[0].filters.allowed_domains", allowedDomains: ["evil.com"] }, sonnet45, { ...on, WEB_SEARCH_ALLOWED_DOMAINS: ["docs.rs"] }));
    expect(refused.status).toBe(400);
    expect(refused.message).toContain("WEB_SEARCH_ALLOWED_DOMAINS");
    expect(planWebTools({ param: "m", allowedDomains: ["a.com", "b.com"] }, sonnet45, { ...on, WEB_SEARCH_BLOCKED_DOMAINS: ["b.com"] })[0]).toMatchObject({ allowed_domains: ["a.com"] });
    expect(domainCovers("example.com/docs", "www.example.com/docs/api")).toBe(true);
    expect(domainCovers("example.com", "notexample.com")).toBe(false);
  });

  it("WEB_FETCH=on adds web fetch, with citations, under the operator's lists only", () => {
    const tools = planWebTools({ param: "m", allowedDomains: ["a.com"] }, opus48, { ...on, WEB_FETCH: true, WEB_SEARCH_BLOCKED_DOMAINS: ["x.com"] });
    expect(tools[1]).toEqual({ type: "web_fetch_20260209", name: "web_fetch", max_uses: 5, blocked_domains: ["x.com"], citations: { enabled: true } });
  });
});

describe("the -search model suffix", () => {
  it("combines with -think in either order", () => {
    expect(resolveRequestedModel("claude-sonnet-4-5-search")).toEqual({ upstreamId: "claude-sonnet-4-5", think: false, search: true });
    expect(resolveRequestedModel("claude-sonnet-4-5-think-search")).toEqual({ upstreamId: "claude-sonnet-4-5", think: true, search: true });
    expect(resolveRequestedModel("claude-sonnet-4-5-search-think")).toEqual({ upstreamId: "claude-sonnet-4-5", think: true, search: true });
    expect(resolveRequestedModel("claude-sonnet-4-5-think")).toEqual({ upstreamId: "claude-sonnet-4-5", think: true, search: false });
    expect(resolveRequestedModel("-search")).toEqual({ upstreamId: "-search", think: false, search: false });
  });
});
