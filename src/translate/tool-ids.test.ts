import { describe, expect, it } from "vitest";
import { sanitizeToolId } from "./tool-ids";

describe("sanitizeToolId", () => {
  it("keeps valid ids", () => {
    expect(sanitizeToolId("toolu_01AbC-9")).toBe("toolu_01AbC-9");
    expect(sanitizeToolId("call_abc123")).toBe("call_abc123");
  });
  it("rewrites invalid ids deterministically into the allowed alphabet", () => {
    const a = sanitizeToolId("functions.get_weather:0");
    expect(a).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(a.startsWith("functions_get_weather_0_")).toBe(true);
    expect(sanitizeToolId("functions.get_weather:0")).toBe(a);
  });
  it("keeps distinct ids distinct even when they clean to the same text", () => {
    expect(sanitizeToolId("call.1")).not.toBe(sanitizeToolId("call:1"));
    expect(sanitizeToolId("call.1")).not.toBe("call_1");
  });
  it("handles empty and all-invalid ids", () => {
    expect(sanitizeToolId("")).toMatch(/^call_[a-z0-9]+$/);
    expect(sanitizeToolId("...")).toMatch(/^[a-zA-Z0-9_-]+$/);
  });
});
