import { describe, expect, it } from "vitest";
import { canonicalModelKey, parseModelId, resolveRequestedModel } from "./model-id";
import { fallbackProfile, fallbackProfiles, tableProfile } from "./fallback";
import { profileFromModelInfo } from "./model-info";

describe("resolveRequestedModel", () => {
  it("splits the -think suffix", () => {
    expect(resolveRequestedModel("claude-sonnet-4-5-think")).toEqual({ upstreamId: "claude-sonnet-4-5", think: true, search: false });
    expect(resolveRequestedModel("claude-opus-4-8")).toEqual({ upstreamId: "claude-opus-4-8", think: false, search: false });
    expect(resolveRequestedModel("-think")).toEqual({ upstreamId: "-think", think: false, search: false });
  });
});

describe("canonicalModelKey / parseModelId", () => {
  it("maps aliases and snapshots to one key", () => {
    expect(canonicalModelKey("claude-sonnet-4-5-20250929")).toBe("claude-sonnet-4-5");
    expect(canonicalModelKey("claude-sonnet-4-5@20250929")).toBe("claude-sonnet-4-5");
    expect(canonicalModelKey("claude-opus-4-0")).toBe(canonicalModelKey("claude-opus-4-20250514"));
    expect(canonicalModelKey("claude-3-7-sonnet-latest")).toBe(canonicalModelKey("claude-3-7-sonnet-20250219"));
  });
  it("reads line and version in both naming schemes", () => {
    expect(parseModelId("claude-opus-4-8")).toEqual({ line: "opus", major: 4, minor: 8 });
    expect(parseModelId("claude-opus-5")).toEqual({ line: "opus", major: 5, minor: 0 });
    expect(parseModelId("claude-haiku-4-5-20251001")).toEqual({ line: "haiku", major: 4, minor: 5 });
    expect(parseModelId("claude-3-7-sonnet-20250219")).toEqual({ line: "sonnet", major: 3, minor: 7 });
    expect(parseModelId("gpt-4o")).toBeUndefined();
  });
});

describe("fallback table", () => {
  it("knows the rules of the models in the reference", () => {
    const opus48 = tableProfile("claude-opus-4-8")!;
    expect(opus48.thinking).toEqual({ budget: false, adaptive: true, disable: true });
    expect(opus48.sampling).toBe("locked");
    expect(opus48.prefill).toBe(false);
    expect(opus48.effort).toContain("xhigh");

    const sonnet45 = tableProfile("claude-sonnet-4-5-20250929")!;
    expect(sonnet45.thinking).toEqual({ budget: true, adaptive: false, disable: true });
    expect(sonnet45.sampling).toBe("exclusive");
    expect(sonnet45.prefill).toBe(true);
    expect(sonnet45.maxOutputTokens).toBe(64_000);

    expect(tableProfile("claude-sonnet-4-6")!.thinking).toEqual({ budget: true, adaptive: true, disable: true });
    expect(tableProfile("claude-sonnet-4-6")!.prefill).toBe(false);
    expect(tableProfile("claude-fable-5")!.thinking.disable).toBe(false);
    expect(tableProfile("claude-opus-4-1")!.maxOutputTokens).toBe(32_000);
    expect(tableProfile("claude-haiku-4-5-20251001")!.thinking.budget).toBe(true);
    expect(tableProfile("claude-sonnet-5")!.sampling).toBe("locked");
  });

  it("lists newest first", () => {
    const list = fallbackProfiles();
    expect(list[0]!.createdAt >= list[list.length - 1]!.createdAt).toBe(true);
    expect(list.map((p) => p.id)).toContain("claude-opus-4-8");
  });

  it("gives unknown Claude ids the rules of their family, keeping the requested id", () => {
    const opus9 = fallbackProfile("claude-opus-9")!;
    expect(opus9.id).toBe("claude-opus-9");
    expect(opus9.thinking.budget).toBe(false);
    expect(opus9.sampling).toBe("locked");
    expect(fallbackProfile("claude-fable-7")!.thinking.disable).toBe(false);
    expect(fallbackProfile("claude-sonnet-4-5-20991231")!.thinking.budget).toBe(true);
    expect(fallbackProfile("claude-sonnet-4-7")!.thinking).toEqual({ budget: true, adaptive: true, disable: true });
    expect(fallbackProfile("claude-nova-6")!.sampling).toBe("locked");
    expect(fallbackProfile("gpt-4o")).toBeUndefined();
    expect(fallbackProfile("claude-sonnet-4-5-20250929")!.id).toBe("claude-sonnet-4-5-20250929");
  });
});

describe("profileFromModelInfo", () => {
  const opus48Info = {
    type: "model",
    id: "claude-opus-4-8",
    display_name: "Claude Opus 4.8",
    created_at: "2026-06-01T00:00:00Z",
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
    capabilities: {
      image_input: { supported: true },
      pdf_input: { supported: true },
      structured_outputs: { supported: true },
      thinking: { supported: true, types: { enabled: { supported: false }, adaptive: { supported: true }, disabled: { supported: true } } },
      effort: { supported: true, low: { supported: true }, medium: { supported: true }, high: { supported: true }, xhigh: { supported: true }, max: { supported: true } },
    },
  };

  it("reads capabilities", () => {
    const p = profileFromModelInfo(opus48Info)!;
    expect(p).toMatchObject({
      id: "claude-opus-4-8",
      displayName: "Claude Opus 4.8",
      createdAt: "2026-06-01T00:00:00Z",
      maxOutputTokens: 128_000,
      contextWindow: 1_000_000,
      thinking: { budget: false, adaptive: true, disable: true },
      effort: ["low", "medium", "high", "xhigh", "max"],
      imageInput: true,
      structuredOutputs: true,
      sampling: "locked",
      prefill: false,
    });
  });

  it("lets capabilities override the table (e.g. a model that gained budget thinking)", () => {
    const info = structuredClone(opus48Info);
    info.capabilities.thinking.types.enabled.supported = true;
    info.capabilities.effort.xhigh.supported = false;
    info.capabilities.pdf_input.supported = false;
    const p = profileFromModelInfo(info)!;
    expect(p.thinking.budget).toBe(true);
    expect(p.effort).toEqual(["low", "medium", "high", "max"]);
    expect(p.pdfInput).toBe(false);
  });

  it("falls back to the table for entries without capabilities (older API)", () => {
    const p = profileFromModelInfo({ type: "model", id: "claude-sonnet-4-5-20250929", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z" })!;
    expect(p.id).toBe("claude-sonnet-4-5-20250929");
    expect(p.thinking).toEqual({ budget: true, adaptive: false, disable: true });
    expect(p.maxOutputTokens).toBe(64_000);
  });

  it("profiles an unknown id only when it has capabilities", () => {
    expect(profileFromModelInfo({ id: "mystery-model", display_name: "?" })).toBeUndefined();
    const p = profileFromModelInfo({ id: "mystery-model", capabilities: { thinking: { supported: false } } })!;
    expect(p.thinking).toEqual({ budget: false, adaptive: false, disable: false });
    expect(p.sampling).toBe("locked");
  });

  it("rejects junk", () => {
    expect(profileFromModelInfo(null)).toBeUndefined();
    expect(profileFromModelInfo({ id: 3 })).toBeUndefined();
    expect(profileFromModelInfo("claude-opus-4-8")).toBeUndefined();
  });
});
