import { describe, expect, it } from "vitest";
import { constantTimeEqual, matchesAnyKey, matchingKeyIndex } from "./secret-compare";

describe("matchesAnyKey", () => {
  const keys = ["sk-alpha-123", "sk-b"];
  it("accepts exactly a configured key", () => {
    expect(matchesAnyKey("sk-alpha-123", keys)).toBe(true);
    expect(matchesAnyKey("sk-b", keys)).toBe(true);
  });
  it("refuses prefixes, extensions, repetitions and near misses", () => {
    for (const p of ["", "sk-alpha-12", "sk-alpha-1234", "sk-alpha-124", "sk-bsk-b", "sk-", "SK-B"]) expect(matchesAnyKey(p, keys)).toBe(false);
  });
  it("refuses everything when no key (or only an empty key) is configured", () => {
    expect(matchesAnyKey("sk-b", [])).toBe(false);
    expect(matchesAnyKey("", [""])).toBe(false);
  });
});

describe("matchingKeyIndex", () => {
  it("gives the index of the first configured key that matches, else -1", () => {
    expect(matchingKeyIndex("sk-b", ["sk-alpha-123", "sk-b", "sk-b"])).toBe(1);
    expect(matchingKeyIndex("sk-alpha-123", ["sk-alpha-123", "sk-b"])).toBe(0);
    expect(matchingKeyIndex("sk-c", ["sk-alpha-123", "sk-b"])).toBe(-1);
    expect(matchingKeyIndex("", ["", "sk-b"])).toBe(-1);
  });
});

describe("constantTimeEqual", () => {
  it("compares secrets fully", () => {
    expect(constantTimeEqual("abcd", "abcd")).toBe(true);
    expect(constantTimeEqual("abcd", "abce")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("", "a")).toBe(false);
  });
});
