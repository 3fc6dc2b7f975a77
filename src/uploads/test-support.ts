import { AnthropicFiles } from "../platforms/anthropic/files";
import type { RequestScope } from "../deps";
import { ClaudeSimulator } from "../simulator";
import type { Upstream } from "../platforms/upstream";
import { MemoryUploadTracker } from "./memory-tracker";
import { filesSweepIO } from "./sweep-io";

export const KEY_A = "sk-ant-test-key-aaaa";
export const KEY_B = "sk-ant-test-key-bbbb";
export const silentLog = { info() {}, warn() {}, error() {} };

export function scope(): RequestScope {
  return { waitUntil: () => undefined, signal: new AbortController().signal };
}

/** A simulator, a Files client over it (optionally wrapped), and an in-memory tracker. */
export function uploadRig(opts: { chatDelete?: boolean; idleSeconds?: number; wrap?: (up: Upstream) => Upstream } = {}) {
  const sim = new ClaudeSimulator({ apiKeys: [KEY_A, KEY_B] });
  const upstream = opts.wrap ? opts.wrap(sim.fetch) : sim.fetch;
  const files = new AnthropicFiles({ upstream, baseUrl: "https://api.anthropic.test", version: "2023-06-01" });
  const tracker = new MemoryUploadTracker({
    chatDelete: opts.chatDelete ?? true,
    idleSeconds: opts.idleSeconds ?? 3600,
    io: filesSweepIO(new AnthropicFiles({ upstream: sim.fetch, baseUrl: "https://api.anthropic.test", version: "2023-06-01" }), [KEY_A, KEY_B]),
    log: silentLog,
  });
  return { sim, files, tracker };
}

/** Deterministic bytes of a given size, base64-encoded, starting like a PDF. */
export function fakePdfBase64(bytes: number, seed = 1): string {
  const buf = new Uint8Array(bytes);
  buf.set(new TextEncoder().encode("%PDF-1.7\n"));
  let x = seed;
  for (let i = 9; i < bytes; i++) buf[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return (buf as unknown as { toBase64(): string }).toBase64();
}
