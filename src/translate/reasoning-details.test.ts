import { describe, expect, it } from "vitest";
import { encryptedPiece, mergeEchoedDetails, reasoningDetails, signaturePiece, textPiece } from "./reasoning-details";
import { signedBlocksFromEcho } from "./reasoning";

describe("reasoning_details", () => {
  it("thinking → reasoning.text with signature; redacted → reasoning.encrypted; indexed in order", () => {
    const out = reasoningDetails([
      { type: "thinking", thinking: "Let me think.", signature: "sig1" },
      { type: "text" },
      { type: "redacted_thinking", data: "EncData" },
    ]);
    expect(out).toEqual([
      { type: "reasoning.text", text: "Let me think.", signature: "sig1", format: "anthropic-claude-v1", index: 0 },
      { type: "reasoning.encrypted", data: "EncData", format: "anthropic-claude-v1", index: 1 },
    ]);
  });

  it("streamed pieces merge back into the signed blocks Claude needs", () => {
    const echoed = [textPiece(0, "Let me "), textPiece(0, "think."), signaturePiece(0, "sig1"), encryptedPiece(1, "EncData")];
    const merged = mergeEchoedDetails(echoed as any);
    expect(merged).toEqual([
      { type: "reasoning.text", text: "Let me think.", signature: "sig1", format: "anthropic-claude-v1", index: 0 },
      { type: "reasoning.encrypted", data: "EncData", format: "anthropic-claude-v1", index: 1 },
    ]);
    expect(signedBlocksFromEcho({ role: "assistant", content: null, reasoning_details: merged } as any)).toEqual([
      { type: "thinking", thinking: "Let me think.", signature: "sig1" },
      { type: "redacted_thinking", data: "EncData" },
    ]);
  });

  it("what a whole-message emission gives back round-trips through the echo reader", () => {
    const blocks = [{ type: "thinking", thinking: "Plan.", signature: "s" }];
    expect(signedBlocksFromEcho({ role: "assistant", content: null, reasoning_details: reasoningDetails(blocks) } as any)).toEqual(blocks);
  });
});
