/**
 * Bedrock's stream decoding, in-process: µs per event for the recorded Anthropic streams
 * framed as Bedrock frames them (AWS event stream, one `chunk` frame per event, base64
 * payload), next to the same events as Anthropic's SSE:
 *   decode        frames → Anthropic SSE bytes alone (event-stream.ts: the /v1/messages passthrough)
 *   events        frames → Anthropic events alone (src/platforms/bedrock/events.ts)
 *   bedrockChat   frames → events → OpenAI chunks (what a Bedrock chat stream costs the gateway)
 *   bedrockSse    frames → SSE → SSE decoder → OpenAI chunks (the chat path before events.ts)
 *   sse           SSE → OpenAI chunks (what an Anthropic or Vertex chat stream costs)
 * Frames are made with AWS's own codec. Fixtures: test/fixtures/anthropic-recorded.
 *
 * usage: node bench/eventstream.mjs [--quick]   prints one JSON line with the figures
 */
import { fileURLToPath } from "node:url";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { bundleForNode } from "./lib/build.mjs";
import { median } from "./lib/stats.mjs";

const quick = process.argv.includes("--quick");
const dir = process.env.BENCH_FIXTURES ?? fileURLToPath(new URL("../test/fixtures/anthropic-recorded/", import.meta.url));
const { createChatCompletionStream, chatCompletionChunks } = await import(await bundleForNode("render/chat-completions/stream.ts", "stream.mjs"));
const { bedrockStreamToSse } = await import(await bundleForNode("platforms/bedrock/event-stream.ts", "eventstream.mjs"));
const { bedrockEvents } = await import(await bundleForNode("platforms/bedrock/events.ts", "bedrock-events.mjs"));

const enc = new TextEncoder();
const codec = new EventStreamCodec((b) => new TextDecoder().decode(b), (s) => enc.encode(s));
const str = (value) => ({ type: "string", value });
const frame = (json) =>
  codec.encode({
    headers: { ":event-type": str("chunk"), ":content-type": str("application/json"), ":message-type": str("event") },
    body: enc.encode(JSON.stringify({ bytes: Buffer.from(json).toString("base64"), p: "abcdefghijklmnopqrstuvwxyzABCDEFG" })),
  });

const streams = readdirSync(dir)
  .filter((f) => f.endsWith(".chunks.txt"))
  .map((f) => {
    // Bedrock sends no ping.
    const lines = readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.trim() !== "" && JSON.parse(l).type !== "ping");
    return { lines, sse: lines.map((l) => enc.encode(`event: ${JSON.parse(l).type}\ndata: ${l}\n\n`)), frames: lines.map(frame) };
  });
const eventsPerPass = streams.reduce((n, s) => n + s.lines.length, 0);

const readerOver = (chunks) => {
  let i = 0;
  return { read: async () => (i < chunks.length ? { done: false, value: chunks[i++] } : { done: true, value: undefined }), cancel: async () => {} };
};
const ctx = () => ({ id: "chatcmpl-bench", created: 0, model: "claude-bench", reasoningOutput: "reasoning_content", includeUsage: true, keepAliveMs: 0 });

async function drainStream(stream) {
  let out = 0;
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) out += r.value.byteLength;
  return out;
}
async function decodeAll() {
  let out = 0;
  for (const s of streams) {
    const reader = bedrockStreamToSse(readerOver(s.frames), "Amazon Bedrock");
    for (let r = await reader.read(); !r.done; r = await reader.read()) out += r.value.byteLength;
  }
  return out;
}
async function eventsAll() {
  let n = 0;
  const sink = { event: () => void n++, fail: () => {}, end: () => {} };
  for (const s of streams) {
    const source = bedrockEvents(readerOver(s.frames), "Amazon Bedrock");
    while (!(await source.pull(sink)));
  }
  return n;
}
async function bedrockChatAll() {
  let out = 0;
  for (const s of streams) out += await drainStream(chatCompletionChunks(bedrockEvents(readerOver(s.frames), "Amazon Bedrock"), ctx()));
  return out;
}
async function bedrockSseAll() {
  let out = 0;
  for (const s of streams) out += await drainStream(createChatCompletionStream(bedrockStreamToSse(readerOver(s.frames), "Amazon Bedrock"), ctx()));
  return out;
}
async function sseAll() {
  let out = 0;
  for (const s of streams) out += await drainStream(createChatCompletionStream(readerOver(s.sse), ctx()));
  return out;
}

async function measure(fn, batches) {
  const perEvent = [];
  for (let b = 0; b < batches; b++) {
    let passes = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 50) {
      await fn();
      passes++;
    }
    perEvent.push(((performance.now() - t0) * 1000) / (passes * eventsPerPass));
  }
  return median(perEvent);
}

// Same output whichever way the events came: the decoders are faithful before they are timed.
const sizes = { bedrockChat: await bedrockChatAll(), bedrockSse: await bedrockSseAll(), sse: await sseAll() };
if (sizes.bedrockChat !== sizes.sse || sizes.bedrockSse !== sizes.sse) throw new Error(`the Bedrock paths and the SSE path produced different output sizes: ${JSON.stringify(sizes)}`);
if ((await eventsAll()) !== eventsPerPass) throw new Error("the Bedrock event decoder did not deliver one event per frame");
const paths = { decode: decodeAll, events: eventsAll, bedrockChat: bedrockChatAll, bedrockSse: bedrockSseAll, sse: sseAll };
for (const fn of Object.values(paths)) await measure(fn, quick ? 2 : 10);
const rounds = quick ? 3 : 20;
const samples = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) for (const [k, fn] of Object.entries(paths)) samples[k].push(await measure(fn, 1));
const us = (k) => median(samples[k]);
const frameBytes = streams.reduce((n, s) => n + s.frames.reduce((m, f) => m + f.byteLength, 0), 0);
console.log(
  JSON.stringify({
    fixtures: streams.length,
    eventsPerPass,
    bytesPerFrame: Math.round(frameBytes / eventsPerPass),
    decodeUsPerEvent: us("decode"),
    eventsUsPerEvent: us("events"),
    bedrockChatUsPerEvent: us("bedrockChat"),
    bedrockSseChatUsPerEvent: us("bedrockSse"),
    sseChatUsPerEvent: us("sse"),
  }),
);
