/**
 * Turns the raw figures into the targets: each a figure, the baseline measured
 * beside it, their ratio, the goal, and whether it was met.
 */
import { fmt } from "./stats.mjs";

const get = (o, ...path) => path.reduce((v, k) => (v == null ? undefined : v[k]), o);
/** Per-target entries that failed carry only an error: they have no figures to judge or tabulate. */
const ok = (data) => Object.fromEntries(Object.entries(data ?? {}).filter(([, v]) => v && !v.error));

export function verdicts(r) {
  const rows = [];
  const add = (area, figure, value, baseline, ratio, goal, met, unit = "") => rows.push({ area, figure, value, baseline, ratio, goal, met, unit });
  const lat = r.latency;
  const directMs = get(lat, "simulator", "medianMs");
  const directP99 = get(lat, "simulator", "p99Ms");
  const added = (n) => get(lat, n, "medianMs") - directMs;
  const addedP99 = (n) => get(lat, n, "p99Ms") - directP99;

  if (get(lat, "node") && get(lat, "portkey")) {
    add("node vs portkey", "added latency per non-stream request, median (ms)", added("node"), added("portkey"), added("node") / added("portkey"), "≤ 0.25×", added("node") / added("portkey") <= 0.25);
    add("node vs portkey", "added latency, p99 (ms)", addedP99("node"), addedP99("portkey"), addedP99("node") / addedP99("portkey"), "(reported)", null);
  }
  const tp = r.throughput;
  if (get(tp, "node") && get(tp, "portkey")) {
    const c = (n) => get(tp, n, "cpuMsPerRequest");
    add("node vs portkey", "CPU per request under load (ms)", c("node"), c("portkey"), c("node") / c("portkey"), "≤ 0.25×", c("node") / c("portkey") <= 0.25);
    const cs = (n) => get(lat, n, "cpuMsPerRequest");
    add("node vs portkey", "CPU per request, sequential (ms)", cs("node"), cs("portkey"), cs("node") / cs("portkey"), "(reported)", null);
    const q = (n) => get(tp, n, "perSecond");
    add("node vs portkey", "throughput, 64 clients (req/s)", q("node"), q("portkey"), q("node") / q("portkey"), "≥ 3×", q("node") / q("portkey") >= 3);
  }
  // What the outbound proxy costs: the same Node server reaching the simulator through a local HTTP proxy
  // (HTTP_PROXY). CPU is the gateway process's own; the proxy process's is not counted.
  if (get(lat, "node-proxy") && get(lat, "node")) add("node-proxy vs node", "added latency per non-stream request, median (ms)", added("node-proxy"), added("node"), added("node-proxy") / added("node"), "(reported)", null);
  if (get(tp, "node-proxy") && get(tp, "node")) {
    const c = (n) => get(tp, n, "cpuMsPerRequest");
    add("node-proxy vs node", "gateway CPU per request under load (ms)", c("node-proxy"), c("node"), c("node-proxy") / c("node"), "(reported)", null);
    const q = (n) => get(tp, n, "perSecond");
    add("node-proxy vs node", "throughput, 64 clients (req/s)", q("node-proxy"), q("node"), q("node-proxy") / q("node"), "(reported)", null);
  }
  // The Node floor bounds what any Hono-on-Node gateway can reach: these rows show how far below Portkey it sits.
  if (get(lat, "node-raw") && get(lat, "portkey")) add("node:http floor vs portkey", "added latency, median (ms)", added("node-raw"), added("portkey"), added("node-raw") / added("portkey"), "(bound)", null);
  if (get(tp, "node-raw") && get(tp, "portkey")) add("node:http floor vs portkey", "CPU per request under load (ms)", get(tp, "node-raw", "cpuMsPerRequest"), get(tp, "portkey", "cpuMsPerRequest"), get(tp, "node-raw", "cpuMsPerRequest") / get(tp, "portkey", "cpuMsPerRequest"), "(bound)", null);
  if (get(lat, "node-floor") && get(lat, "portkey")) add("hono floor vs portkey", "added latency, median (ms)", added("node-floor"), added("portkey"), added("node-floor") / added("portkey"), "(bound)", null);
  if (get(tp, "node-floor") && get(tp, "portkey")) {
    const c = (n) => get(tp, n, "cpuMsPerRequest");
    add("hono floor vs portkey", "CPU per request under load (ms)", c("node-floor"), c("portkey"), c("node-floor") / c("portkey"), "(bound)", null);
    if (get(tp, "node")) add("node vs hono floor", "CPU per request under load (ms)", c("node"), c("node-floor"), c("node") / c("node-floor"), "(reported)", null);
    const q = (n) => get(tp, n, "perSecond");
    add("hono floor vs portkey", "throughput, 64 clients (req/s)", q("node-floor"), q("portkey"), q("node-floor") / q("portkey"), "(bound)", null);
  }
  const st = r.streaming;
  const ttftAdded = (n) => get(st, n, "ttftMedianMs") - get(st, "simulator", "ttftMedianMs");
  if (get(st, "node")) add("node", "added time to first streamed token, median (ms)", ttftAdded("node"), get(st, "portkey") ? ttftAdded("portkey") : NaN, get(st, "portkey") ? ttftAdded("node") / ttftAdded("portkey") : NaN, "≤ 1 ms", ttftAdded("node") <= 1);
  if (get(st, "node") && get(st, "portkey")) {
    const e = (n) => get(st, n, "cpuUsPerEvent");
    add("node vs portkey", "CPU per streamed event (µs)", e("node"), e("portkey"), e("node") / e("portkey"), "≤ 0.25×", e("node") / e("portkey") <= 0.25);
  }
  if (get(lat, "workerd") && get(lat, "floor-pass")) {
    add("workerd vs floors", "added latency vs pass-through floor, median (ms)", added("workerd"), added("floor-pass"), added("workerd") / added("floor-pass"), "≤ 1.25×", added("workerd") / added("floor-pass") <= 1.25);
  }
  // What any Worker that runs JavaScript over the body costs: an empty TransformStream, against the same pass-through.
  if (get(lat, "floor-identity") && get(lat, "floor-pass")) add("identity floor vs pass-through floor", "added latency, median (ms)", added("floor-identity"), added("floor-pass"), added("floor-identity") / added("floor-pass"), "(bound)", null);
  if (get(lat, "workerd") && get(lat, "floor-identity")) add("workerd vs identity floor", "added latency, median (ms)", added("workerd"), added("floor-identity"), added("workerd") / added("floor-identity"), "(reported)", null);
  if (get(st, "node-floor") && get(st, "portkey")) {
    const e = (n) => get(st, n, "cpuUsPerEvent");
    add("hono floor vs portkey", "CPU per streamed event (µs)", e("node-floor"), e("portkey"), e("node-floor") / e("portkey"), "(bound)", null);
    const tt = (n) => get(st, n, "ttftMedianMs") - get(st, "simulator", "ttftMedianMs");
    add("hono floor", "added time to first streamed token, median (ms)", tt("node-floor"), tt("portkey"), tt("node-floor") / tt("portkey"), "(bound)", null);
    if (get(st, "node-raw")) add("node:http floor", "added time to first streamed token, median (ms)", tt("node-raw"), tt("portkey"), tt("node-raw") / tt("portkey"), "(bound)", null);
    if (get(st, "node-raw")) add("node:http floor vs portkey", "CPU per streamed event, paced (µs)", e("node-raw"), e("portkey"), e("node-raw") / e("portkey"), "(bound)", null);
  }
  if (get(st, "workerd") && get(st, "floor-identity")) {
    const e = (n) => get(st, n, "cpuUsPerEvent");
    add("workerd vs floors", "CPU per streamed event vs identity-transform floor (µs)", e("workerd"), e("floor-identity"), e("workerd") / e("floor-identity"), "≤ 1.2×", e("workerd") / e("floor-identity") <= 1.2);
    add("workerd vs floors", "CPU per streamed event, pass-through floor (µs)", e("floor-pass"), e("floor-identity"), e("floor-pass") / e("floor-identity"), "(reported)", null);
  }
  // The same per-event CPU with an instant upstream: events arrive batched, so fixed per-chunk costs shrink.
  const sm = ok(r.streamMemory);
  const inst = (n) => get(sm, n, "cpuUsPerEventLarge");
  if (inst("node") && inst("portkey")) add("node vs portkey", "CPU per streamed event, instant upstream (µs)", inst("node"), inst("portkey"), inst("node") / inst("portkey"), "≤ 0.25×", inst("node") / inst("portkey") <= 0.25);
  if (inst("workerd") && inst("floor-identity")) add("workerd vs floors", "CPU per streamed event, instant upstream, vs identity floor (µs)", inst("workerd"), inst("floor-identity"), inst("workerd") / inst("floor-identity"), "≤ 1.2×", inst("workerd") / inst("floor-identity") <= 1.2);
  const tr = r.translator;
  if (tr?.translatorUsPerEvent) {
    add("translator", "µs per upstream event, in-process (baseline: one JSON.parse + one JSON.stringify)", tr.translatorUsPerEvent, tr.baselineUsPerEvent, tr.translatorUsPerEvent / tr.baselineUsPerEvent, "≤ 3 µs", tr.translatorUsPerEvent <= 3);
    add("translator", "µs per event through one ReadableStream, untranslated (the Streams API's share)", tr.streamOnlyUsPerEvent, tr.translatorUsPerEvent, tr.streamOnlyUsPerEvent / tr.translatorUsPerEvent, "(reported)", null);
  }
  const es = r.eventstream;
  if (es?.decodeUsPerEvent) {
    add("bedrock stream", "µs per event: Bedrock event-stream frames → Anthropic SSE, decoding alone (baseline: the SSE path's whole translation)", es.decodeUsPerEvent, es.sseChatUsPerEvent, es.decodeUsPerEvent / es.sseChatUsPerEvent, "(reported)", null);
    add("bedrock stream", "µs per event: a Bedrock chat stream translated, frames → OpenAI chunks (baseline: the same events as Anthropic SSE)", es.bedrockChatUsPerEvent, es.sseChatUsPerEvent, es.bedrockChatUsPerEvent / es.sseChatUsPerEvent, "(reported)", null);
  }
  for (const [name, m] of Object.entries(ok(r.streamMemory))) {
    // 4 MB is about twice the OpenAI text of a 10,000-event answer: what keeping the answer would cost at least.
    add(`memory: ${name}`, `peak growth, ${r.params.largeStream}-event stream (MB; baseline: ${r.params.smallStream} events; least of 5 runs each)`, m.large.growthMb, m.small.growthMb, NaN, "flat: ≤ baseline + 4 MB", m.large.growthMb <= m.small.growthMb + 4);
  }
  for (const [name, m] of Object.entries(ok(r.pdfMemory))) {
    add(`memory: ${name}`, `peak growth, ${m.pdfMb} MB PDF request (MB)`, m.growthMb, m.pdfMb, m.growthPerPdfSize, "≤ 3×", m.growthPerPdfSize <= 3);
  }
  for (const [name, c] of Object.entries(ok(r.pdfChat))) {
    add(`issue 3: ${name}`, `upstream KB per later turn, ${c.turns}-turn chat resending a ${c.pdfMb} MB PDF`, c.laterTurnsMedianKb, c.pdfMb * 1024, c.laterTurnsMedianKb / (c.pdfMb * 1024), "references, not the PDF", c.laterTurnsMedianKb < c.pdfMb * 1024 * 0.1);
  }
  const cc = ok(r.cachedChat);
  if (cc?.node && cc?.["node-nocache"]) {
    const on = cc.node.billed;
    const off = cc["node-nocache"].billed;
    add("issue 3: node", `billed input tokens, ${cc.node.turns} turns, ${cc.node.systemTokens}-token system prompt, caching on vs off`, on, off, on / off, "≥ 80% lower (≤ 0.2×)", on / off <= 0.2);
  }
  return rows;
}

export function markdown(rows) {
  const lines = ["| area | figure | value | baseline | ratio | goal | met |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${r.area} | ${r.figure} | ${fmt(r.value)} | ${fmt(r.baseline)} | ${Number.isNaN(r.ratio) ? "" : fmt(r.ratio) + "×"} | ${r.goal} | ${r.met === null ? "" : r.met ? "met" : "**missed**"} |`);
  return lines.join("\n");
}

/** Raw per-target tables, so that every ratio can be checked against its parts. */
export function rawTables(r) {
  const out = [];
  const table = (title, data, cols) => {
    data = ok(data);
    if (!Object.keys(data).length) return;
    out.push(`\n**${title}**\n`, `| target | ${cols.map((c) => c[0]).join(" | ")} |`, `|---|${cols.map(() => "---").join("|")}|`);
    for (const [name, v] of Object.entries(data)) out.push(`| ${name} | ${cols.map((c) => fmt(c[1](v))).join(" | ")} |`);
  };
  table("Non-stream, sequential (instant upstream)", r.latency, [["median ms", (v) => v.medianMs], ["p99 ms", (v) => v.p99Ms], ["CPU ms/request", (v) => v.cpuMsPerRequest], ["requests", (v) => v.requests]]);
  table("Throughput, 64 clients (cores busy: of the machine's 2, during that target's window)", r.throughput, [
    ["req/s", (v) => v.perSecond],
    ["CPU ms/request", (v) => v.cpuMsPerRequest],
    ["ok", (v) => v.requests],
    ["failed", (v) => v.failed],
    ["cores: target", (v) => v.cores?.target],
    ["cores: load generator", (v) => v.cores?.client],
    ["cores: simulator", (v) => v.cores?.upstream],
  ]);
  table(`Paced streams, ${r.params.delayMs} ms apart (TTFT: 5-delta streams one at a time; CPU: ${r.params.concurrent} × ${r.params.deltas}-delta streams side by side)`, r.streaming, [["TTFT median ms", (v) => v.ttftMedianMs], ["TTFT p99 ms", (v) => v.ttftP99Ms], ["CPU µs/event", (v) => v.cpuUsPerEvent], ["TTFT samples", (v) => v.streams]]);
  table(`Stream memory (instant upstream, ${r.params.smallStream} vs ${r.params.largeStream} deltas, least growth of 5 runs each, after 3 warm-up streams; CPU over all 5 large runs)`, r.streamMemory, [["RSS before MB", (v) => v.large.beforeMb], ["peak MB", (v) => v.large.peakMb], ["after MB", (v) => v.large.afterMb], ["growth MB (small)", (v) => v.small.growthMb], ["growth MB (large)", (v) => v.large.growthMb], ["CPU µs/event (instant)", (v) => v.cpuUsPerEventLarge]]);
  table("PDF request memory", r.pdfMemory, [["body MB", (v) => v.bodyMb], ["RSS before MB", (v) => v.beforeMb], ["peak MB", (v) => v.peakMb], ["growth MB", (v) => v.growthMb], ["growth / PDF size", (v) => v.growthPerPdfSize], ["CPU ms", (v) => v.cpuMs]]);
  table("Chat resending a PDF every turn (upstream bytes)", r.pdfChat, [["turn 1 MB", (v) => v.firstTurnMb], ["later turns KB (median)", (v) => v.laterTurnsMedianKb], ["upstream total MB", (v) => v.upstreamTotalMb], ["client sent MB", (v) => v.clientTotalMb]]);
  table("Managed client key vs static key (same gateway, non-stream, sequential)", r.clientKeys, [
    ["static median ms", (v) => v.staticMedianMs],
    ["managed median ms", (v) => v.managedMedianMs],
    ["added median ms", (v) => v.addedMedianMs],
    ["added p99 ms", (v) => v.addedP99Ms],
    ["static CPU ms/req", (v) => v.staticCpuMsPerRequest],
    ["managed CPU ms/req", (v) => v.managedCpuMsPerRequest],
    ["added CPU ms/req", (v) => v.addedCpuMsPerRequest],
  ]);
  table("Chat with a 4,000-token system prompt (input tokens over all turns)", r.cachedChat, [["uncached", (v) => v.uncached], ["cache read", (v) => v.read], ["cache write", (v) => v.write], ["billed", (v) => v.billed]]);
  return out.join("\n");
}
