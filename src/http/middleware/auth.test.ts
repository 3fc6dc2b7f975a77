import { describe, expect, it } from "vitest";
import { matchesAnyKey } from "./auth";

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
