import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { redactSecrets } from "../log";
import { describeProxy, describeProxyUrl, outboundProxy, workersProxyRefusal } from "./outbound-proxy";

describe("outbound proxy settings", () => {
  it("is off when nothing is set", () => {
    expect(outboundProxy(parseConfig({}))).toBeUndefined();
    expect(outboundProxy(parseConfig({ NO_PROXY: "localhost" }))).toBeUndefined();
  });

  it("uses HTTPS_PROXY for https upstreams and HTTP_PROXY for http ones", () => {
    const p = outboundProxy(parseConfig({ HTTPS_PROXY: "http://tls-proxy:3128", HTTP_PROXY: "http://plain-proxy:8080", NO_PROXY: " localhost,.internal " }));
    expect(p).toEqual({ https: "http://tls-proxy:3128/", http: "http://plain-proxy:8080/", noProxy: "localhost,.internal" });
  });

  it("reads the lower-case forms, which win over upper-case as in curl and Node", () => {
    const p = outboundProxy(parseConfig({ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:2", no_proxy: "a.example", http_proxy: "http://plain:3" }));
    expect(p).toEqual({ https: "http://lower:1/", http: "http://plain:3/", noProxy: "a.example" });
  });

  it("takes the seed's PROXY for both schemes unless a specific one is set", () => {
    expect(outboundProxy(parseConfig({ PROXY: "http://seed:7890" }))).toEqual({ https: "http://seed:7890/", http: "http://seed:7890/", noProxy: undefined });
    expect(outboundProxy(parseConfig({ PROXY: "http://seed:7890", HTTPS_PROXY: "http://tls:1" }))).toMatchObject({ https: "http://tls:1/", http: "http://seed:7890/" });
  });

  it("reads a bare host:port as http://, as curl does", () => {
    expect(outboundProxy(parseConfig({ HTTPS_PROXY: "proxy.internal:3128" }))?.https).toBe("http://proxy.internal:3128/");
  });

  it("refuses a SOCKS or malformed proxy without repeating the value (it may hold a password)", () => {
    expect(() => parseConfig({ PROXY: "socks5://user:hunter2@host:1080" })).toThrow(/PROXY: a socks5:\/\/ proxy is not supported/);
    expect(() => parseConfig({ PROXY: "socks5://user:hunter2@host:1080" })).not.toThrow(/hunter2/);
    expect(() => parseConfig({ HTTPS_PROXY: "http://user:hunter2@[bad" })).toThrow(/HTTPS_PROXY: not a URL/);
    expect(() => parseConfig({ HTTPS_PROXY: "http://user:hunter2@[bad" })).not.toThrow(/hunter2/);
  });

  it("logs a proxy as scheme://host:port only", () => {
    expect(describeProxyUrl("http://user:hunter2@proxy.internal:3128/")).toBe("http://proxy.internal:3128");
    expect(describeProxyUrl("https://proxy.internal/")).toBe("https://proxy.internal:443");
    const p = outboundProxy(parseConfig({ PROXY: "http://u:hunter2@seed:7890", NO_PROXY: "localhost" }))!;
    expect(describeProxy(p)).toEqual({ https_upstreams: "http://seed:7890", http_upstreams: "http://seed:7890", no_proxy: "localhost" });
    expect(JSON.stringify(describeProxy(p))).not.toContain("hunter2");
  });
});

describe("a Worker and a proxy", () => {
  it("names the variables set, says why it cannot, and what to use instead", () => {
    const message = workersProxyRefusal(parseConfig({ HTTPS_PROXY: "http://u:hunter2@proxy:3128", PROXY: "http://proxy:1" }))!;
    expect(message).toMatch(/^HTTPS_PROXY and PROXY are set/);
    expect(message).toContain("Workers cannot open CONNECT tunnels");
    expect(message).toContain("ANTHROPIC_BASE_URL");
    expect(message).toContain("Cloudflare AI Gateway");
    expect(message).not.toContain("hunter2");
  });

  it("has nothing to refuse without a proxy (NO_PROXY alone changes nothing)", () => {
    expect(workersProxyRefusal(parseConfig({ NO_PROXY: "localhost" }))).toBeUndefined();
  });
});

describe("redactSecrets", () => {
  it("masks the credentials of any URL it finds", () => {
    expect(redactSecrets("via http://user:hunter2@proxy:3128/ failed")).toBe("via http://…@proxy:3128/ failed");
    expect(redactSecrets('{"url":"https://u:p%40ss@h/x"}')).toBe('{"url":"https://…@h/x"}');
    expect(redactSecrets("plain http://proxy:3128/ stays")).toBe("plain http://proxy:3128/ stays");
  });
});
