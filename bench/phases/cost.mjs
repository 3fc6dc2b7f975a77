/**
 * Issue 3's cost figures, from what the upstream really received and what the gateway
 * reported: upstream bytes per turn of a chat that resends a PDF every turn, and billed
 * input tokens of a chat with a long system prompt, with and without automatic caching.
 */
import { get, sendOk } from "../lib/client.mjs";
import { chatBody, fakePdf } from "../lib/payloads.mjs";
import { median, orError } from "../lib/stats.mjs";

const simBytes = async (simUrl) => JSON.parse((await get(`${simUrl}/__bench/stats`)).body).bytes;

/** The answer text of an OpenAI chat completion, to echo it back as the assistant turn. */
const answerOf = (res) => JSON.parse(res.body.toString("utf8")).choices?.[0]?.message?.content ?? "";

async function pdfChatOne(t, simUrl, pdf, turns, mb) {
  const history = [];
  const perTurn = [];
  let clientBytes = 0;
  for (let i = 0; i < turns; i++) {
    history.push({ role: "user", text: `Question ${i + 1} about the document.`, ...(i === 0 ? { pdfBase64: pdf } : {}) });
    const body = chatBody(t.wire, { turns: history });
    clientBytes += body.length;
    const b0 = await simBytes(simUrl);
    const res = await sendOk(t, body, { keepBody: true });
    perTurn.push((await simBytes(simUrl)) - b0);
    history.push({ role: "assistant", text: answerOf(res) || "ok" });
  }
  return {
    turns,
    pdfMb: mb,
    firstTurnMb: perTurn[0] / 1048576,
    laterTurnsMedianKb: median(perTurn.slice(1)) / 1024,
    upstreamTotalMb: perTurn.reduce((a, b) => a + b, 0) / 1048576,
    clientTotalMb: clientBytes / 1048576,
  };
}

/** A chat that resends the same PDF with every turn, as NextChat-style frontends do. */
export async function pdfChat(targets, simUrl, { turns, mb }) {
  const pdf = fakePdf(mb * 1024 * 1024);
  const out = {};
  for (const t of targets) out[t.name] = await orError(() => pdfChatOne(t, simUrl, pdf, turns, mb));
  return out;
}

/** Billed input tokens with cache reads at 0.1× and cache writes at 1.25× the input price. */
export function billed(usage) {
  const read = usage.prompt_tokens_details?.cached_tokens ?? usage.cache_read_input_tokens ?? 0;
  const write = usage.prompt_tokens_details?.cache_write_tokens ?? usage.cache_creation_input_tokens ?? 0;
  const uncached = usage.prompt_tokens - read - write;
  return { uncached, read, write, billed: uncached + 0.1 * read + 1.25 * write };
}

async function cachedChatOne(t, system, turns, systemTokens) {
  const history = [];
  const sum = { uncached: 0, read: 0, write: 0, billed: 0 };
  for (let i = 0; i < turns; i++) {
    history.push({ role: "user", text: `Turn ${i + 1}: please continue the discussion with a new point.` });
    const res = await sendOk(t, chatBody(t.wire, { system, turns: history }), { keepBody: true });
    const json = JSON.parse(res.body.toString("utf8"));
    const b = billed(json.usage);
    for (const k of Object.keys(sum)) sum[k] += b[k];
    history.push({ role: "assistant", text: json.choices[0].message.content || "ok" });
  }
  return { turns, systemTokens, ...sum };
}

/** A chat with a long system prompt: `systemTokens` at the simulator's four characters per token. */
export async function cachedChat(targets, { turns, systemTokens }) {
  const system = Array.from({ length: systemTokens }, (_, i) => `r${String(i % 1000).padStart(3, "0")}`).join("");
  const out = {};
  for (const t of targets) out[t.name] = await orError(() => cachedChatOne(t, system, turns, systemTokens));
  return out;
}
