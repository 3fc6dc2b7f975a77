import { createApp } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import { buildDeps } from "../../src/runtime/build-deps";
import { ClaudeSimulator, type SimulatorOptions } from "../../src/simulator";
import type { Logger } from "../../src/deps";

export const CLIENT_KEY = "test-client-key-0123456789";
export const UPSTREAM_KEYS = ["sk-ant-test-key-one-1111", "sk-ant-test-key-two-2222"];

export interface LogLine {
  level: string;
  event: string;
  fields?: Record<string, unknown>;
}

/**
 * A gateway wired exactly as in production, with the simulator as its upstream
 * function. Tests talk to it through `fetch` (the HTTP surface) and inspect the
 * simulator to see what the upstream received.
 */
export function startGateway(env: Record<string, string> = {}, simOptions: SimulatorOptions = {}) {
  const config = parseConfig({
    APIKEY: CLIENT_KEY,
    ANTHROPIC_API_KEYS: UPSTREAM_KEYS.join(","),
    STREAM_KEEPALIVE_MS: "0",
    ...env,
  });
  const sim = new ClaudeSimulator({ apiKeys: [...config.ANTHROPIC_API_KEYS, "sk-ant-client-own-key-9999"], ...simOptions });
  const logs: LogLine[] = [];
  const log: Logger = {
    info: (event, fields) => void logs.push({ level: "info", event, fields }),
    warn: (event, fields) => void logs.push({ level: "warn", event, fields }),
    error: (event, fields) => void logs.push({ level: "error", event, fields }),
  };
  const pending: Promise<unknown>[] = [];
  const deps = buildDeps(config, { upstream: sim.fetch, log });
  const app = createApp({
    deps: () => deps,
    scope: (c) => ({ waitUntil: (p) => void pending.push(p.catch(() => undefined)), signal: c.req.raw.signal }),
  });
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://gateway.test"), init);
    return Promise.resolve(app.fetch(req));
  };
  return {
    sim,
    app,
    deps,
    logs,
    fetch,
    /** Waits for everything handed to waitUntil so far. */
    settle: async () => {
      while (pending.length) await Promise.all(pending.splice(0));
    },
    /** Headers for an authenticated JSON request. */
    auth: (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json", ...extra }),
  };
}

export type Gateway = ReturnType<typeof startGateway>;

export async function postChat(gw: Gateway, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(headers), body: JSON.stringify(body) });
}

/** Reads an OpenAI SSE response into its data payloads (parsed JSON, and the literal "[DONE]"). */
export async function readSse(res: Response): Promise<{ events: unknown[]; raw: string }> {
  const raw = await res.text();
  return { events: sseEvents(raw), raw };
}

/** The data payloads of an OpenAI SSE text; comments (keep-alives) skipped, anything else is an error. */
export function sseEvents(text: string): unknown[] {
  const events: unknown[] = [];
  for (const block of text.split("\n\n")) {
    const line = block.trim();
    if (!line || line.startsWith(":")) continue;
    if (!line.startsWith("data: ")) throw new Error(`unexpected SSE line: ${line.slice(0, 80)}`);
    const data = line.slice(6);
    events.push(data === "[DONE]" ? data : JSON.parse(data));
  }
  return events;
}
