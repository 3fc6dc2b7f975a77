import { describe, expect, it } from "vitest";
import { matchesAnyKey, secretEquals } from "./secret-compare";

describe("secret comparison", () => {
  it("compares one secret fully", () => {
    expect(secretEquals("abcd", "abcd")).toBe(true);
    expect(secretEquals("abcd", "abce")).toBe(false);
    expect(secretEquals("abc", "abcd")).toBe(false);
    expect(secretEquals("abcde", "abcd")).toBe(false);
    expect(secretEquals("abcdabcd", "abcd")).toBe(false);
    expect(secretEquals("", "a")).toBe(false);
    // An unset secret opens nothing, not even for an empty presented one.
    expect(secretEquals("", "")).toBe(false);
  });

  it("matches any of several keys, and none of an empty list", () => {
    expect(matchesAnyKey("k2", ["k1", "k2", "k3"])).toBe(true);
    expect(matchesAnyKey("k4", ["k1", "k2", "k3"])).toBe(false);
    expect(matchesAnyKey("k1", [])).toBe(false);
    expect(matchesAnyKey("k1k1", ["k1"])).toBe(false);
  });
});
