import { describe, expect, it } from "vitest";
import { ClaudeSimulator } from "./index";
import { send, userTurn } from "./test-support";

const sim = new ClaudeSimulator();
const status = async (model: string, extra: Record<string, unknown>, messages?: unknown) => {
  const body = { ...userTurn("hello", model, { max_tokens: 4096, ...extra }), ...(messages ? { messages } : {}) };
  const { status, json } = await send(sim, body);
  return { status, message: json.error?.message as string | undefined };
};

const CLASSIC = ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "claude-opus-4-1-20250805"];
const MODERN = ["claude-opus-4-7", "claude-opus-4-8", "claude-sonnet-5", "claude-opus-5", "claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5", "claude-fable-5"];

describe("model rules: 2025 models", () => {
  for (const model of CLASSIC) {
    it(model, async () => {
      expect((await status(model, { thinking: { type: "enabled", budget_tokens: 2048 } })).status).toBe(200);
      expect((await status(model, { temperature: 0.3 })).status).toBe(200);
      expect((await status(model, { top_p: 0.5 })).status).toBe(200);
      // Real wording, with backticks: BerriAI/litellm#15097 (a recorded 400 with its request_id).
      expect(await status(model, { temperature: 0.3, top_p: 0.5 })).toEqual({ status: 400, message: "`temperature` and `top_p` cannot both be specified for this model. Please use only one." });
      expect((await status(model, {}, [{ role: "user", content: "hi" }, { role: "assistant", content: "Sure," }])).status).toBe(200);
    });
  }
});

describe("model rules: adaptive-only models", () => {
  for (const model of MODERN) {
    it(model, async () => {
      expect(await status(model, { thinking: { type: "enabled", budget_tokens: 2048 } })).toEqual({
        status: 400,
        message: '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
      });
      expect((await status(model, { thinking: { type: "adaptive" }, output_config: { effort: "high" } })).status).toBe(200);
      expect((await status(model, { temperature: 1, top_p: 0.99 })).status).toBe(200);
      // Real wording: github/app#2574 and earendil-works/pi#5251 (temperature),
      // router-for-me/CLIProxyAPI#4383 (top_p), vellum-ai/vellum-assistant#35820 (top_k).
      expect(await status(model, { temperature: 0.7 })).toEqual({ status: 400, message: "`temperature` is deprecated for this model." });
      expect(await status(model, { top_p: 0.9 })).toEqual({ status: 400, message: "`top_p` is deprecated for this model." });
      expect(await status(model, { top_k: 5 })).toEqual({ status: 400, message: "`top_k` is deprecated for this model." });
      expect((await status(model, {}, [{ role: "user", content: "hi" }, { role: "assistant", content: "Sure," }])).status).toBe(400);
    });
  }

  it("only Fable rejects an explicit thinking disabled", async () => {
    expect((await status("claude-fable-5", { thinking: { type: "disabled" } })).status).toBe(400);
    expect((await status("claude-opus-4-8", { thinking: { type: "disabled" } })).status).toBe(200);
  });

  it("the 4.6 generation takes both thinking forms but no prefill", async () => {
    for (const model of ["claude-opus-4-6", "claude-sonnet-4-6"]) {
      expect((await status(model, { thinking: { type: "enabled", budget_tokens: 2048 } })).status).toBe(200);
      expect((await status(model, { thinking: { type: "adaptive" } })).status).toBe(200);
      expect((await status(model, {}, [{ role: "user", content: "hi" }, { role: "assistant", content: "Sure," }])).status).toBe(400);
    }
  });

  it("2025 models have no adaptive thinking", async () => {
    // Real wording: live probes in askalf/dario#273 and vellum-ai/vellum-assistant#37276.
    expect(await status("claude-sonnet-4-5", { thinking: { type: "adaptive" } })).toEqual({ status: 400, message: "adaptive thinking is not supported on this model" });
  });
});
