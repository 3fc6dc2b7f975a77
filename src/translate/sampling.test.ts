import { describe, expect, it } from "vitest";
import { translateSampling, translateStop } from "./sampling";
import { tableProfile } from "../models/fallback";

const sonnet45 = tableProfile("claude-sonnet-4-5")!;
const opus48 = tableProfile("claude-opus-4-8")!;
const haiku35 = tableProfile("claude-3-5-haiku-latest")!;

describe("translateSampling", () => {
  it("clamps temperature to Claude's 0–1", () => {
    expect(translateSampling({ temperature: 1.7 }, sonnet45, false).temperature).toBe(1);
    expect(translateSampling({ temperature: 0.3 }, sonnet45, false).temperature).toBe(0.3);
  });
  it("keeps temperature and drops top_p on exclusive models (NextChat sends both)", () => {
    const s = translateSampling({ temperature: 0.5, top_p: 1 }, sonnet45, false);
    expect(s).toMatchObject({ temperature: 0.5 });
    expect(s.top_p).toBeUndefined();
    expect(s.dropped.join()).toMatch(/top_p dropped/);
    expect(translateSampling({ top_p: 0.9, top_k: 40 }, sonnet45, false)).toMatchObject({ top_p: 0.9, top_k: 40 });
  });
  it("passes everything on free models", () => {
    expect(translateSampling({ temperature: 0.5, top_p: 0.9, top_k: 5 }, haiku35, false)).toMatchObject({ temperature: 0.5, top_p: 0.9, top_k: 5 });
  });
  it("drops all three on locked models", () => {
    const s = translateSampling({ temperature: 0.2, top_p: 0.5, top_k: 3 }, opus48, false);
    expect([s.temperature, s.top_p, s.top_k]).toEqual([undefined, undefined, undefined]);
    expect(s.dropped).toHaveLength(3);
  });
  it("drops temperature and top_k while thinking, and top_p below 0.95", () => {
    expect(translateSampling({ temperature: 0.2, top_k: 3, top_p: 0.97 }, haiku35, true)).toEqual({
      top_p: 0.97,
      dropped: ["temperature dropped: not adjustable while thinking", "top_k dropped: not adjustable while thinking"],
    });
    expect(translateSampling({ top_p: 0.5 }, sonnet45, true).top_p).toBeUndefined();
  });
});

describe("translateStop", () => {
  it("wraps a string, drops whitespace-only entries and duplicates", () => {
    expect(translateStop("END")).toEqual(["END"]);
    expect(translateStop(["\n", " ", "Human:", "Human:"])).toEqual(["Human:"]);
    expect(translateStop(["\n"])).toBeUndefined();
    expect(translateStop(null)).toBeUndefined();
  });
});
