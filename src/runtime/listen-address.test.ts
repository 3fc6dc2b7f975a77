import { describe, expect, it } from "vitest";
import { listenAddress, localHost } from "./listen-address";

describe("listenAddress", () => {
  it("defaults to 0.0.0.0:8080", () => {
    expect(listenAddress({})).toEqual({ hostname: "0.0.0.0", port: 8080, from: "default" });
    expect(listenAddress({ ADDRESS: " ", PORT: "" })).toEqual({ hostname: "0.0.0.0", port: 8080, from: "default" });
  });

  it("takes PORT on every interface when ADDRESS is unset (a Hugging Face Space sets 7860)", () => {
    expect(listenAddress({ PORT: "7860" })).toEqual({ hostname: "0.0.0.0", port: 7860, from: "PORT" });
  });

  it("lets an explicit ADDRESS win over PORT", () => {
    expect(listenAddress({ ADDRESS: "127.0.0.1:3000", PORT: "7860" })).toEqual({ hostname: "127.0.0.1", port: 3000, from: "ADDRESS" });
  });

  it("reads the seed's ADDRESS forms: host:port, :port, port, [ipv6]:port", () => {
    expect(listenAddress({ ADDRESS: ":9000" })).toMatchObject({ hostname: "0.0.0.0", port: 9000 });
    expect(listenAddress({ ADDRESS: "9001" })).toMatchObject({ hostname: "0.0.0.0", port: 9001 });
    expect(listenAddress({ ADDRESS: "[::]:9002" })).toMatchObject({ hostname: "::", port: 9002 });
  });

  it("refuses a value that is not a port, naming the variable", () => {
    expect(() => listenAddress({ PORT: "http" })).toThrow(/invalid PORT "http"/);
    expect(() => listenAddress({ ADDRESS: "0.0.0.0:99999" })).toThrow(/invalid ADDRESS "0.0.0.0:99999": expected host:port/);
    expect(() => listenAddress({ ADDRESS: "localhost:" })).toThrow(/invalid ADDRESS/);
  });
});

describe("localHost", () => {
  it("maps wildcard addresses to loopback and brackets IPv6", () => {
    expect(localHost("0.0.0.0")).toBe("127.0.0.1");
    expect(localHost("::")).toBe("[::1]");
    expect(localHost("::1")).toBe("[::1]");
    expect(localHost("10.0.0.5")).toBe("10.0.0.5");
  });
});
