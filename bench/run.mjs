#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only=latency,throughput,streaming,memory,pdf,cost,translator,eventstream]
 *   [-- --targets=node,workerd,floor-pass,floor-identity,portkey,node-floor,node-raw,node-proxy]`
 * (--targets: a subset while iterating on one runtime; the simulator always runs.)
 *
 * Starts the simulator and every target on loopback ports, runs the phases with the targets
 * interleaved, prints the figures as ratios to the baselines measured beside them, writes
 * dist/bench/results.{json,md}, and stops everything it started. Loopback only, bounded
 * request counts and durations: the full run takes a few minutes, --quick seconds.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleForNode, outDir, root } from "./lib/build.mjs";
import { markdown, rawTables, verdicts } from "./lib/report.mjs";
import { portkeyEntry, startFloor, startNodeFloor, startNodeApp, startPortkey, startProxyServer, startSimulator, startWorkerdApp } from "./lib/targets.mjs";
import { latency } from "./phases/latency.mjs";
import { throughput } from "./phases/throughput.mjs";
import { streaming } from "./phases/streaming.mjs";
import { pdfMemory, streamMemory } from "./phases/memory.mjs";
import { cachedChat, pdfChat } from "./phases/cost.mjs";
import { warmUp } from "./phases/warmup.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const wants = (phase) => !only || only.includes(phase);
const targetsArg = args.find((a) => a.startsWith("--targets="))?.slice(10).split(",");
const wantsTarget = (name) => !targetsArg || targetsArg.includes(name);
const base = Number(process.env.BENCH_PORT_BASE ?? 18700);

const P = quick
  ? { warmupSeconds: 0.3, warmup: 5, rounds: 2, perRound: 5, clients: 64, seconds: 0.5, tpRounds: 1, deltas: 50, delayMs: 5, concurrent: 2, streamRounds: 1, ttftPerRound: 3, smallStream: 100, largeStream: 1000, pdfMb: 4, pdfWarmupMb: 2, chatTurns: 3, chatPdfMb: 2, cacheTurns: 3 }
  : { warmupSeconds: 3, warmup: 50, rounds: 10, perRound: 30, clients: 64, seconds: 5, tpRounds: 2, deltas: 200, delayMs: 5, concurrent: 4, streamRounds: 4, ttftPerRound: 8, smallStream: 1000, largeStream: 10000, pdfMb: 20, pdfWarmupMb: 2, chatTurns: 20, chatPdfMb: 5, cacheTurns: 20 };

const started = [];
const skipped = {};
const log = (...a) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const t0 = performance.now();

/** A target that cannot start is reported and left out, so the rest still gets measured. */
async function tryStart(name, start) {
  if (name !== "simulator" && !wantsTarget(name.replace(/-nocache$/, ""))) return undefined;
  try {
    const t = await start();
    started.push(t);
    log(`started ${name} (pid ${t.pid})`);
    return t;
  } catch (e) {
    skipped[name] = String(e instanceof Error ? e.message : e);
    log(`SKIPPED ${name}: ${skipped[name]}`);
    return undefined;
  }
}

async function stopAll() {
  await Promise.all(started.map((t) => t.stop()));
}
process.on("SIGINT", () => stopAll().then(() => process.exit(130)));

const results = { date: new Date().toISOString(), quick, params: P, skipped, failed: {} };

/** A phase that fails is reported with its error; the phases after it still run. */
async function phase(name, fn) {
  try {
    return await fn();
  } catch (e) {
    results.failed[name] = String(e instanceof Error ? e.message : e).slice(0, 400);
    log(`FAILED ${name}: ${results.failed[name]}`);
    return undefined;
  }
}
try {
  mkdirSync(outDir, { recursive: true });
  const simBundle = await bundleForNode("simulator/index.ts", "simulator.mjs");
  const sim = await tryStart("simulator", () => startSimulator(base, simBundle, P.delayMs));
  if (!sim) throw new Error("no simulator, nothing to measure");
  const node = await tryStart("node", () => startNodeApp("node", base + 1, sim.url));
  const workerd = await tryStart("workerd", () => startWorkerdApp("workerd", base + 2, sim.url));
  const pass = await tryStart("floor-pass", () => startFloor("floor-pass", "passthrough.js", base + 3, sim.url));
  const identity = await tryStart("floor-identity", () => startFloor("floor-identity", "identity.js", base + 4, sim.url));
  const portkey = existsSync(portkeyEntry) ? await tryStart("portkey", () => startPortkey(base + 5, sim.url)) : (skipped.portkey = "not installed: run npm run bench:setup", undefined);
  const nodeFloor = await tryStart("node-floor", () => startNodeFloor("node-floor", "node-passthrough.mjs", base + 7, sim.url));
  const nodeRaw = await tryStart("node-raw", () => startNodeFloor("node-raw", "node-raw.mjs", base + 8, sim.url));
  // Our Node server reaching the simulator through a local HTTP proxy (HTTP_PROXY): beside
  // `node`, what the outbound proxy costs. The proxy is its own process, stopped with the rest.
  const nodeProxy = await tryStart("node-proxy", async () => {
    const proxy = await startProxyServer(base + 9);
    started.push(proxy);
    return startNodeApp("node-proxy", base + 10, sim.url, { HTTP_PROXY: proxy.url });
  });
  const all = [sim, node, workerd, pass, identity, portkey, nodeFloor, nodeRaw, nodeProxy].filter(Boolean);
  const proxies = all.filter((t) => t !== sim);

  log(`warm-up: ${P.warmupSeconds} s of 16 clients per target`);
  await phase("warmup", () => warmUp(proxies, { clients: 16, seconds: P.warmupSeconds }));
  if (wants("latency")) {
    log("latency: non-stream, sequential");
    results.latency = await phase("latency", () => latency(all, P));
  }
  if (wants("throughput")) {
    log(`throughput: ${P.clients} clients, ${P.seconds} s per target`);
    results.throughput = await phase("throughput", () => throughput(all, { clients: P.clients, seconds: P.seconds, rounds: P.tpRounds }));
  }
  if (wants("streaming")) {
    log(`streaming: ${P.deltas} deltas ${P.delayMs} ms apart`);
    results.streaming = await phase("streaming", () => streaming(all, { ...P, rounds: P.streamRounds }));
  }
  if (wants("memory")) {
    log(`memory: ${P.smallStream} vs ${P.largeStream}-event streams`);
    results.streamMemory = await phase("memory", () => streamMemory(proxies, { small: P.smallStream, large: P.largeStream }));
  }
  if (wants("pdf")) {
    log(`memory: ${P.pdfMb} MB PDF`);
    results.pdfMemory = await phase("pdf", () => pdfMemory(proxies, { mb: P.pdfMb, warmupMb: P.pdfWarmupMb }));
  }
  if (wants("cost")) {
    log(`cost: ${P.chatTurns}-turn chat resending a ${P.chatPdfMb} MB PDF`);
    results.pdfChat = await phase("cost", () => pdfChat([node, workerd, portkey].filter(Boolean), sim.url, { turns: P.chatTurns, mb: P.chatPdfMb }));
    const nocache = node && (await tryStart("node-nocache", () => startNodeApp("node-nocache", base + 6, sim.url, { AUTO_CACHE: "false" })));
    log(`cost: ${P.cacheTurns}-turn chat, 4,000-token system prompt, caching on/off`);
    results.cachedChat = await phase("cost", () => cachedChat([node, nocache, workerd, portkey].filter(Boolean), { turns: P.cacheTurns, systemTokens: 4000 }));
  }
} finally {
  await stopAll();
}

if (wants("translator")) {
  // Alone, after the servers are gone: an in-process microbenchmark wants the machine to itself.
  log("translator: in-process over the recorded streams");
  const r = spawnSync(process.execPath, [join(root, "bench/translator.mjs"), ...(quick ? ["--quick"] : [])], { encoding: "utf8", timeout: 120_000 });
  if (r.status === 0) results.translator = JSON.parse(r.stdout.trim().split("\n").pop());
  else skipped.translator = (r.stderr || r.stdout || `exit ${r.status}`).trim().split("\n").filter((l) => /Error/.test(l)).slice(0, 2).join(" ") || `exit ${r.status}`;
}

if (wants("eventstream")) {
  // Bedrock's binary event stream decoded to the SSE the translator reads, next to the SSE path.
  log("eventstream: Bedrock stream decoding, in-process over the recorded streams");
  const r = spawnSync(process.execPath, [join(root, "bench/eventstream.mjs"), ...(quick ? ["--quick"] : [])], { encoding: "utf8", timeout: 120_000 });
  if (r.status === 0) results.eventstream = JSON.parse(r.stdout.trim().split("\n").pop());
  else skipped.eventstream = (r.stderr || r.stdout || `exit ${r.status}`).trim().split("\n").filter((l) => /Error/.test(l)).slice(0, 2).join(" ") || `exit ${r.status}`;
}

/** Skipped targets, failed phases and per-target errors, so that a missing figure always says why. */
function errorsOf(r) {
  const lines = [];
  for (const [k, v] of Object.entries(r.skipped)) lines.push(`- target ${k} skipped: ${v}`);
  for (const [k, v] of Object.entries(r.failed)) lines.push(`- phase ${k} failed: ${v}`);
  for (const key of ["streamMemory", "pdfMemory", "pdfChat", "cachedChat"]) for (const [name, v] of Object.entries(r[key] ?? {})) if (v?.error) lines.push(`- ${key} ${name}: ${v.error}`);
  return lines.length ? `\nErrors:\n${lines.join("\n")}` : "";
}

const rows = verdicts(results);
const md = [`# bench ${results.date}${quick ? " (quick)" : ""}`, "", markdown(rows), rawTables(results), "", errorsOf(results)].join("\n");
writeFileSync(join(outDir, "results.json"), JSON.stringify({ ...results, verdicts: rows }, null, 2));
writeFileSync(join(outDir, "results.md"), md);
console.log(md);
log("done; dist/bench/results.{json,md}");
