/**
 * Request bodies in the two wires: OpenAI for the gateways, Anthropic for the simulator
 * and the floors (which forward bodies unchanged). Same conversation, same answer.
 */
import { randomBytes } from "node:crypto";

export const MODEL = "claude-sonnet-4-6";

/** Bytes that look like a PDF to anything that sniffs the header; the rest is incompressible. */
export function fakePdf(bytes) {
  const buf = randomBytes(bytes);
  buf.write("%PDF-1.7\n", 0, "latin1");
  buf.write("\n%%EOF\n", bytes - 7, "latin1");
  return buf.toString("base64");
}

/**
 * @typedef {{ role: "user" | "assistant", text: string, pdfBase64?: string }} Turn
 * @param {"openai" | "anthropic"} wire
 * @param {{ system?: string, turns: Turn[], stream?: boolean, maxTokens?: number }} c
 * @returns {Buffer}
 */
export function chatBody(wire, { system, turns, stream = false, maxTokens = 1024 }) {
  if (wire === "openai") {
    const messages = [];
    if (system) messages.push({ role: "system", content: system });
    for (const t of turns) {
      if (!t.pdfBase64) messages.push({ role: t.role, content: t.text });
      else
        messages.push({
          role: t.role,
          content: [
            { type: "file", file: { filename: "bench.pdf", file_data: `data:application/pdf;base64,${t.pdfBase64}` } },
            { type: "text", text: t.text },
          ],
        });
    }
    return Buffer.from(JSON.stringify({ model: MODEL, messages, max_tokens: maxTokens, stream }));
  }
  const messages = turns.map((t) => ({
    role: t.role,
    content: [
      ...(t.pdfBase64 ? [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: t.pdfBase64 } }] : []),
      { type: "text", text: t.text },
    ],
  }));
  return Buffer.from(JSON.stringify({ model: MODEL, max_tokens: maxTokens, ...(system ? { system } : {}), messages, stream }));
}

/** A one-turn question whose answer the simulator shapes from the markers (see upstream/sim-server.mjs). */
export function ask(wire, { deltas, paced = false, stream = false }) {
  const marks = [deltas !== undefined ? `bench-deltas=${deltas}` : "", paced ? "bench-paced" : ""].filter(Boolean).join(" ");
  return chatBody(wire, { turns: [{ role: "user", text: `Say hello. ${marks}`.trim() }], stream });
}

/** What counts as the first token in each wire's stream. */
export const FIRST_TOKEN = {
  openai: /"content":"[^"]/,
  anthropic: /"text_delta"/,
};
