/**
 * The translator alone, in-process: µs per upstream event through createChatCompletionStream
 * over the recorded Anthropic streams, against one JSON.parse + one JSON.stringify per event
 * (the least any translator that understands the events can do).
 * Fixtures are the recorded streams in test/fixtures/anthropic-recorded (BENCH_FIXTURES overrides).
 *
 * usage: node bench/translator.mjs [--quick]   prints one JSON line with the figures
 */
import { fileURLToPath } from "node:url";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bundleForNode } from "./lib/build.mjs";
import { median } from "./lib/stats.mjs";

const quick = process.argv.includes("--quick");
const dir = process.env.BENCH_FIXTURES ?? fileURLToPath(new URL("../test/fixtures/anthropic-recorded/", import.meta.url));
const { createChatCompletionStream } = await import(await bundleForNode("render/chat-completions/stream.ts", "stream.mjs"));

/** One event per network chunk, as an upstream that flushes per event delivers them. */
const streams = readdirSync(dir)
  .filter((f) => f.endsWith(".chunks.txt"))
  .map((f) => {
    const lines = readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l.trim() !== "");
    const enc = new TextEncoder();
    return { name: f, lines, chunks: lines.map((l) => enc.encode(`event: ${JSON.parse(l).type}\ndata: ${l}\n\n`)) };
  });
const eventsPerPass = streams.reduce((n, s) => n + s.lines.length, 0);

async function translateAll() {
  let out = 0;
  for (const s of streams) {
    let i = 0;
    const body = new ReadableStream({
      pull(c) {
        if (i < s.chunks.length) c.enqueue(s.chunks[i++]);
        else c.close();
      },
    });
    const ctx = { id: "chatcmpl-bench", created: 0, model: "claude-bench", reasoningOutput: "reasoning_content", includeUsage: true, keepAliveMs: 0 };
    const reader = createChatCompletionStream(body, ctx).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out += r.value.byteLength;
  }
  return out;
}

/** The same chunks through one ReadableStream and a reader, untranslated: the Streams API's own share. */
async function streamOnlyAll() {
  let out = 0;
  for (const s of streams) {
    let i = 0;
    const reader = new ReadableStream({
      pull(c) {
        if (i < s.chunks.length) c.enqueue(s.chunks[i++]);
        else c.close();
      },
    }).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out += r.value.byteLength;
  }
  return out;
}

function parseStringifyAll() {
  let out = 0;
  for (const s of streams) for (const l of s.lines) out += JSON.stringify(JSON.parse(l)).length;
  return out;
}

/** µs per event, median of batches: each batch runs ~50 ms so timer resolution does not matter. */
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

// A stream that stops pulling would hang the timed loops: check one pass under a deadline first.
let deadline;
const stalled = new Promise((_, reject) => {
  deadline = setTimeout(() => reject(new Error("the translator stalled: a pull that enqueues nothing must pull again (one upstream event per chunk)")), 5000);
});
const produced = await Promise.race([translateAll(), stalled]);
clearTimeout(deadline);
if (produced === 0) throw new Error("the translator produced no output");
// Warm-up lets both paths reach optimised code before they are timed.
await measure(translateAll, quick ? 2 : 10);
await measure(async () => parseStringifyAll(), quick ? 2 : 10);
const rounds = quick ? 3 : 20;
await measure(streamOnlyAll, quick ? 2 : 10);
const translator = [];
const baseline = [];
const streamOnly = [];
for (let r = 0; r < rounds; r++) {
  translator.push(await measure(translateAll, 1));
  baseline.push(await measure(async () => parseStringifyAll(), 1));
  streamOnly.push(await measure(streamOnlyAll, 1));
}
console.log(
  JSON.stringify({ fixtures: streams.length, eventsPerPass, translatorUsPerEvent: median(translator), baselineUsPerEvent: median(baseline), streamOnlyUsPerEvent: median(streamOnly) }),
);
