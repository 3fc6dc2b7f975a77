/**
 * The Node runtime (src/runtime/node.ts) over real HTTP, in plain Node: the gateway is
 * built as node.ts builds it, served by createNodeServer on a real port, and driven with
 * the openai SDK, fetch and raw node:http requests. The upstream is the simulator, either
 * in-process (its fetch handler) or served over real HTTP and reached through
 * createNodeUpstream (the node:http transport with keep-alive agents).
 *
 * POST …/chat/completions takes the server's direct path (node:http, no web Request); the
 * parity tests give the same requests to the app's own fetch in-process (app.fetch: a web
 * Request, as on Workers) and require the same answers.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import OpenAI, { toFile } from "openai";
import { afterAll, describe, expect, it } from "vitest";
import { createApp, type Gateway } from "../../src/http/app";
import { parseConfig } from "../../src/config";
import type { Logger } from "../../src/deps";
import { buildDeps } from "../../src/runtime/build-deps";
import { createNodeServer } from "../../src/http/node-server";
import { createNodeUpstream } from "../../src/runtime/node-upstream";
import { ClaudeSimulator, type SimulatorOptions } from "../../src/simulator";
import type { Upstream, UpstreamInit } from "../../src/platforms/upstream";
import { sseEvents } from "../helpers/gateway";
import { concatBytes } from "../../src/bytes";

const CLIENT_KEY = "node-test-client-key-0123456789";
const KEYS = ["sk-ant-node-test-key-one-1111", "sk-ant-node-test-key-two-2222"];
const MODEL = "claude-sonnet-4-5";
const ORIGIN = "https://frontend.example";
const TRANSPORTS = ["in-process", "http"] as const;
type Transport = (typeof TRANSPORTS)[number];

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the server has no port");
  return `http://127.0.0.1:${address.port}`;
}

function readAll(stream: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    stream.on("data", (c: Uint8Array) => void chunks.push(c));
    stream.once("end", () => resolve(concatBytes(chunks)));
    stream.once("error", reject);
  });
}

const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length"]);

/**
 * The simulator as a real HTTP server. A rejected handler (the network fault) and a body
 * that breaks (the dropped stream) destroy the connection, as a failing network would.
 * `cancelled` counts requests the gateway gave up on before their answer ended.
 */
interface SimulatorSide {
  cancelled: number;
  /** Set: the next JSON answer of POST /v1/messages breaks off after half its bytes. */
  cutNextJson?: boolean;
}

function simulatorServer(sim: ClaudeSimulator, seen: SimulatorSide): Server {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const client = new AbortController();
    let broken = false;
    res.once("close", () => {
      if (res.writableFinished) return;
      if (!broken) seen.cancelled++;
      client.abort();
    });
    let response: Response;
    try {
      response = await sim.fetch(new Request(`http://simulator${req.url ?? "/"}`, { method: req.method, headers, body: body.byteLength ? body : undefined, signal: client.signal }));
    } catch {
      broken = true;
      res.destroy();
      return;
    }
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) out[name] = value;
    });
    res.writeHead(response.status, out);
    if (!response.body) return void res.end();
    if (seen.cutNextJson && req.url === "/v1/messages" && out["content-type"]?.startsWith("application/json")) {
      // The connection breaks in the middle of a JSON answer.
      const bytes = new Uint8Array(await response.arrayBuffer());
      seen.cutNextJson = false;
      res.write(bytes.slice(0, bytes.byteLength >> 1));
      broken = true;
      await sleep(10);
      return void res.destroy();
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
      res.end();
    } catch {
      if (!client.signal.aborted) broken = true;
      res.destroy();
    }
  };
  return http.createServer((req, res) => void answer(req, res));
}

interface LogLine {
  level: string;
  event: string;
  fields?: Record<string, unknown>;
}

/** The gateway as src/runtime/node.ts builds it, on a real port, with the simulator behind `transport`. */
async function startNodeGateway(transport: Transport, env: Record<string, string> = {}, simOptions: SimulatorOptions = {}) {
  const sim = new ClaudeSimulator({ apiKeys: KEYS, ...simOptions });
  const simSide: SimulatorSide = { cancelled: 0 };
  const vars: Record<string, string> = { APIKEY: CLIENT_KEY, ANTHROPIC_API_KEYS: KEYS.join(","), STREAM_KEEPALIVE_MS: "0", ...env };
  let upstream: Upstream = sim.fetch;
  if (transport === "http") {
    vars.ANTHROPIC_BASE_URL = await listen(simulatorServer(sim, simSide));
    upstream = createNodeUpstream();
  }
  const config = parseConfig(vars);
  const logs: LogLine[] = [];
  const log: Logger = {
    info: (event, fields) => void logs.push({ level: "info", event, fields }),
    warn: (event, fields) => void logs.push({ level: "warn", event, fields }),
    error: (event, fields) => void logs.push({ level: "error", event, fields }),
  };
  const deps = buildDeps(config, { upstream, log });
  const app = createApp({
    deps: () => deps,
    scope: (c) => ({ waitUntil: (p) => void p.catch((e: unknown) => log.warn("background_task_failed", { error: String(e) })), signal: c.req.raw.signal }),
  });
  // The same app, counting what reaches it: the direct path must not.
  const viaHono: string[] = [];
  const counted = {
    fetch: (req: Request, ...rest: unknown[]) => {
      viaHono.push(`${req.method} ${new URL(req.url).pathname}`);
      return (app.fetch as (req: Request, ...rest: unknown[]) => Response | Promise<Response>)(req, ...rest);
    },
  } as Gateway;
  const url = await listen(createNodeServer(counted, deps));
  return {
    sim,
    simSide,
    deps,
    app,
    url,
    logs,
    viaHono,
    /** The app's fetch (web Request), in-process. */
    hono: async (path: string, init: RequestInit = {}) => app.fetch(new Request(new URL(path, "http://gateway.test"), init)),
    messagesCalls: () => sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages"),
    inFlight: async () => (await deps.keyPool.status()).reduce((n, s) => n + s.inFlight, 0),
  };
}
type NodeGateway = Awaited<ReturnType<typeof startNodeGateway>>;

const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json", ...extra });
const ask = (text: string, extra: Record<string, unknown> = {}) => ({ model: MODEL, messages: [{ role: "user", content: text }], ...extra });

interface RawReply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * One request over node:http, the body written as the given pieces (with a pause between
 * them when asked). `leaveOpen`: the body is never finished (the answer must come anyway).
 */
function rawRequest(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; pieces?: Array<string | Uint8Array>; pauseMs?: number; leaveOpen?: boolean } = {}): Promise<RawReply> {
  const url = new URL(path, base);
  return new Promise<RawReply>((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: opts.method ?? "POST", headers: opts.headers ?? {} }, (res) => {
      readAll(res).then((bytes) => {
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), text: new TextDecoder().decode(bytes) });
        if (opts.leaveOpen) req.destroy();
      }, reject);
    });
    req.on("error", reject);
    void (async () => {
      for (const [i, piece] of (opts.pieces ?? []).entries()) {
        if (i > 0 && opts.pauseMs) await sleep(opts.pauseMs);
        req.write(piece);
      }
      if (!opts.leaveOpen) req.end();
    })();
  });
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

async function replyOf(res: Response): Promise<RawReply> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => void (headers[name] = value));
  return { status: res.status, headers, text: await res.text() };
}

/** Headers that belong to the transport (node:http adds them, an in-process Response has none). */
const TRANSPORT_HEADERS = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
/** Headers whose value is new per request: compared by presence. */
const PER_REQUEST_HEADERS = new Set(["x-upstream-request-id", "x-request-id"]);
const comparableHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (TRANSPORT_HEADERS.has(name) ? [] : [[name, PER_REQUEST_HEADERS.has(name) ? "<per-request>" : value]])));

/** Completion ids, timestamps and tool call ids differ per request; everything else must not. */
const normalized = (value: unknown): unknown => JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === "id" || key === "created" || key === "tool_call_id" ? `<${key}>` : v));

/** A body as a value to compare: JSON (errors exactly, successes normalized) or the SSE events (normalized). */
function comparableBody(reply: RawReply): unknown {
  if ((reply.headers["content-type"] ?? "").startsWith("text/event-stream")) return normalized(sseEvents(reply.text));
  const json = JSON.parse(reply.text) as Record<string, unknown>;
  return "error" in json ? json : normalized(json);
}

function expectSameAnswer(direct: RawReply, viaHono: RawReply): void {
  expect(direct.status).toBe(viaHono.status);
  expect(comparableHeaders(direct.headers)).toEqual(comparableHeaders(viaHono.headers));
  expect(comparableBody(direct)).toEqual(comparableBody(viaHono));
}

const errorTypes = (events: unknown[]) => events.filter((e): e is { error: { message: string; type: string } } => typeof e === "object" && e !== null && "error" in e);
/** Waits (bounded) for a condition that follows a client's disconnect; the caller asserts it afterwards. */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300 && !(await condition()); i++) await sleep(10);
}

/** A PDF of `bytes` bytes as base64 (the simulator checks the magic and the size). */
function fakePdfBase64(bytes: number): string {
  const head = encoder.encode("%PDF-1.7\n");
  let binary = "";
  for (let i = 0; i < bytes; i++) binary += String.fromCharCode(i < head.length ? head[i]! : (i * 131 + 17) & 0xff);
  return btoa(binary);
}
const base64Of = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

describe.each(TRANSPORTS)("the Node server with the simulator %s", (transport) => {
  it("answers the openai SDK: non-stream, stream with usage, and the stream helper", async () => {
    const gw = await startNodeGateway(transport);
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });

    const completion = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Say hi over node:http" }] });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]!.message.content).toContain("Say hi over node:http");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);

    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "Stream über node:http ✓" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain("Stream über node:http ✓");
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);

    const helper = openai.chat.completions.stream({ model: MODEL, messages: [{ role: "user", content: "the helper" }] });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]!.message.content).toContain("the helper");
    expect(final.choices[0]!.finish_reason).toBe("stop");

    expect(gw.messagesCalls().map((c) => c.body.stream ?? false)).toEqual([false, true, true]);
    expect(gw.viaHono.filter((r) => r.includes("chat/completions"))).toEqual([]);
    expect(await gw.inFlight()).toBe(0);
  });

  it("keeps 24 concurrent chats apart, streamed and not", async () => {
    const gw = await startNodeGateway(transport, {}, { streamDelayMs: 1 });
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const answers = await Promise.all(
      Array.from({ length: 24 }, async (_, n) => {
        const messages = [{ role: "user" as const, content: `concurrent chat number ${n}` }];
        if (n % 2 === 0) return (await openai.chat.completions.create({ model: MODEL, messages })).choices[0]!.message.content ?? "";
        let text = "";
        for await (const chunk of await openai.chat.completions.create({ model: MODEL, messages, stream: true })) text += chunk.choices[0]?.delta.content ?? "";
        return text;
      }),
    );
    answers.forEach((text, n) => expect(text).toContain(`concurrent chat number ${n}”`));
    expect(gw.messagesCalls()).toHaveLength(24);
    expect(await gw.inFlight()).toBe(0);
  });

  it("stops the upstream stream when the client goes away mid-stream, and keeps serving", async () => {
    const gw = await startNodeGateway(transport, {}, { streamDelayMs: 100 });
    const signals: AbortSignal[] = [];
    const upstream = gw.deps.upstream;
    gw.deps.upstream = (url: string, init: UpstreamInit) => {
      if (init.signal) signals.push(init.signal);
      return upstream(url, init);
    };
    const client = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify(ask("Please write a long paced answer with many words in it", { stream: true })),
      signal: client.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain("data: ");
    expect(await gw.inFlight()).toBe(1);
    client.abort();
    await reader.read().catch(() => undefined);

    await eventually(async () => (await gw.inFlight()) === 0 && signals.at(-1)?.aborted === true && (transport === "in-process" || gw.simSide.cancelled > 0));
    expect(await gw.inFlight()).toBe(0);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    if (transport === "http") expect(gw.simSide.cancelled).toBe(1);
    expect(gw.logs.filter((l) => l.level === "error")).toEqual([]);

    const after = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: auth(), body: JSON.stringify(ask("still there?")) });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toContain("still there?");
  });

  it("aborts the upstream request when the client goes away before the upstream answered", async () => {
    const gw = await startNodeGateway(transport);
    gw.sim.fault("*", { kind: "delay", ms: 60_000, times: 1 });
    const signals: AbortSignal[] = [];
    const upstream = gw.deps.upstream;
    gw.deps.upstream = (url: string, init: UpstreamInit) => {
      if (init.signal) signals.push(init.signal);
      return upstream(url, init);
    };
    const client = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: auth(), body: JSON.stringify(ask("never answered")), signal: client.signal });
    await eventually(() => gw.messagesCalls().length === 1);
    expect(await gw.inFlight()).toBe(1);
    client.abort();
    await expect(pending).rejects.toThrow();

    await eventually(async () => (await gw.inFlight()) === 0 && signals[0]?.aborted === true && (transport === "in-process" || gw.simSide.cancelled > 0));
    expect(signals[0]?.aborted).toBe(true);
    expect(await gw.inFlight()).toBe(0);
    if (transport === "http") expect(gw.simSide.cancelled).toBe(1);
    expect(gw.messagesCalls()).toHaveLength(1); // no failover for a client that left
    expect(gw.logs.filter((l) => l.level === "error")).toEqual([]);
  });

  it("uploads a client's file through /v1/files (Hono) and uses it in a chat on the direct path, under the key that holds it", async () => {
    const gw = await startNodeGateway(transport);
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const bytes = encoder.encode("%PDF-1.7 uploaded by the SDK");
    const file = await openai.files.create({ file: await toFile(bytes, "spec.pdf", { type: "application/pdf" }), purpose: "user_data" });
    expect(file).toMatchObject({ object: "file", filename: "spec.pdf", bytes: bytes.byteLength });
    const stored = gw.sim.files.get(file.id)!;
    expect(base64Of(stored.bytes)).toBe(base64Of(bytes));
    expect(gw.viaHono).toEqual(["POST /v1/files"]);

    for (let n = 0; n < 3; n++) {
      const completion = await openai.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: [{ type: "file", file: { file_id: file.id } }, { type: "text", text: `pages? ${n}` }] }],
      });
      expect(completion.choices[0]!.message.content).toBeTruthy();
    }
    for (const call of gw.messagesCalls()) {
      expect(call.apiKey).toBe(stored.apiKey);
      expect(call.body.messages[0].content[0]).toEqual({ type: "document", source: { type: "file", file_id: file.id } });
    }
    expect(gw.messagesCalls()).toHaveLength(3);
    expect(gw.viaHono).toEqual(["POST /v1/files"]);
  });

  it("offloads a data-URL PDF above UPLOAD_THRESHOLD_BYTES to the Files API and answers 200", async () => {
    const gw = await startNodeGateway(transport, { UPLOAD_THRESHOLD_BYTES: "1024" });
    const pdf = fakePdfBase64(6000);
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({
        model: MODEL,
        messages: [{ role: "user", content: [{ type: "file", file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${pdf}` } }, { type: "text", text: "summarize the report" }] }],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBeTruthy();
    expect(gw.sim.files.size).toBe(1);
    const [stored] = [...gw.sim.files.values()];
    expect(stored!.mime_type).toBe("application/pdf");
    expect(base64Of(stored!.bytes) === pdf).toBe(true);
    const [doc] = gw.messagesCalls()[0]!.body.messages[0].content;
    expect(doc.source).toEqual({ type: "file", file_id: stored!.id });
  });
});

describe("the direct path answers exactly as the Hono route", () => {
  const valid = JSON.stringify(ask("parity please"));
  const cases: Array<{ name: string; body: string; headers?: Record<string, string>; fault?: Parameters<ClaudeSimulator["fault"]>[1] }> = [
    { name: "a valid request", body: valid },
    { name: "a valid stream with usage", body: JSON.stringify(ask("parity stream", { stream: true, stream_options: { include_usage: true } })) },
    { name: "invalid JSON", body: "{not json" },
    { name: "an empty body", body: "" },
    { name: "a body starting with a BOM", body: `\uFEFF${valid}` },
    { name: "a text with non-ASCII characters", body: JSON.stringify(ask("ünïcödé 😀 日本語")) },
    { name: "missing messages", body: JSON.stringify({ model: MODEL }) },
    { name: "a wrongly typed field", body: JSON.stringify(ask("x", { temperature: "hot" })) },
    { name: "an unknown model", body: JSON.stringify(ask("x", { model: "gpt-4o" })) },
    { name: "a bad API key", body: valid, headers: { authorization: "Bearer not-the-key" } },
    { name: "a missing API key", body: valid, headers: { authorization: "" } },
    { name: "the key as x-api-key", body: valid, headers: { authorization: "", "x-api-key": CLIENT_KEY } },
    { name: "no Origin", body: valid, headers: { origin: "" } },
    { name: "an image data URL", body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }, { type: "text", text: "what is this?" }] }] }) },
    // Above MAX_REQUEST_BYTES (100 MB): refused at once, without waiting for the body.
    { name: "a declared body above MAX_REQUEST_BYTES", body: "{}", headers: { "content-length": String(120_000_000) } },
    { name: "an upstream 429 on every key", body: valid, fault: { status: 429, retryAfterSeconds: 7 } },
    { name: "an upstream 400", body: valid, fault: { status: 400, message: "messages: text content blocks must be non-empty" } },
    { name: "an error in the middle of a stream", body: JSON.stringify(ask("x", { stream: true })), fault: { kind: "error-mid-stream", afterEvents: 4 } },
  ];

  it.each(TRANSPORTS)("for every request in the table (simulator %s)", async (transport) => {
    const gw = await startNodeGateway(transport, { MAX_UPSTREAM_ATTEMPTS: "2" });
    for (const c of cases) {
      const headers = Object.fromEntries(Object.entries(auth({ origin: ORIGIN, ...c.headers })).filter(([, v]) => v !== ""));
      const declaredTooLarge = "content-length" in headers;
      // A fault leaves the key pool cooling down: each path then gets a gateway of its own.
      const [forDirect, forHono] = c.fault ? [await startNodeGateway(transport, { MAX_UPSTREAM_ATTEMPTS: "2" }), await startNodeGateway(transport, { MAX_UPSTREAM_ATTEMPTS: "2" })] : [gw, gw];
      if (c.fault) for (const g of [forDirect, forHono]) g.sim.fault("*", c.fault);
      const direct = await rawRequest(forDirect.url, "/v1/chat/completions", { headers, pieces: [c.body], leaveOpen: declaredTooLarge });
      const viaHono = await replyOf(await forHono.hono("/v1/chat/completions", { method: "POST", headers, body: c.body }));
      if (c.fault) expect(forDirect.messagesCalls().length, c.name).toBe(forHono.messagesCalls().length);
      expect(forDirect.viaHono, c.name).toEqual([]);
      expect(direct.status, c.name).toBe(viaHono.status);
      expect(comparableHeaders(direct.headers), c.name).toEqual(comparableHeaders(viaHono.headers));
      expect(comparableBody(direct), c.name).toEqual(comparableBody(viaHono));
    }
    // The table covers both outcomes, and the direct path never went through Hono.
    expect(gw.viaHono).toEqual([]);
    expect(gw.messagesCalls().length).toBeGreaterThan(0);
  });

  it("for a tool call round trip", async () => {
    const gw = await startNodeGateway("http");
    const tools = [{ type: "function", function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }];
    const first = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Use get_weather for Paris" }], tools });
    const headers = auth({ origin: ORIGIN });
    const direct1 = await rawRequest(gw.url, "/v1/chat/completions", { headers, pieces: [first] });
    const hono1 = await replyOf(await gw.hono("/v1/chat/completions", { method: "POST", headers, body: first }));
    expectSameAnswer(direct1, hono1);
    type ToolTurn = { choices: Array<{ message: { tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> }; finish_reason: string }> };
    const call = (r: RawReply) => (JSON.parse(r.text) as ToolTurn).choices[0]!;
    expect(call(direct1).finish_reason).toBe("tool_calls");
    expect(call(direct1).message.tool_calls![0]!.function.name).toBe("get_weather");

    const second = (r: RawReply) => {
      const { message } = call(r);
      const id = message.tool_calls![0]!.id;
      return JSON.stringify({
        model: MODEL,
        tools,
        messages: [
          { role: "user", content: "Use get_weather for Paris" },
          { role: "assistant", content: null, tool_calls: message.tool_calls },
          { role: "tool", tool_call_id: id, content: "Sunny, 21 °C" },
        ],
      });
    };
    const direct2 = await rawRequest(gw.url, "/v1/chat/completions", { headers, pieces: [second(direct1)] });
    const hono2 = await replyOf(await gw.hono("/v1/chat/completions", { method: "POST", headers, body: second(hono1) }));
    expect(direct2.status, direct2.text).toBe(200);
    expectSameAnswer(direct2, hono2);
    const toolResults = gw.messagesCalls().slice(-2).map((m) => JSON.stringify(m.body.messages));
    for (const sent of toolResults) expect(sent).toContain("Sunny, 21 °C");
  });
});

describe("routing on the Node server", () => {
  it.each(["/v1/chat/completions", "/chat/completions", "/hf/v1/chat/completions", "/v1/v1/chat/completions", "/v1/chat/completions?api-version=2024-10-21&x=1"])(
    "POST %s takes the direct path",
    async (path) => {
      const gw = await startNodeGateway("in-process");
      const res = await fetch(gw.url + path, { method: "POST", headers: auth(), body: JSON.stringify(ask(`mounted at ${path}`)) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toContain(`mounted at ${path}`);
      expect(gw.viaHono).toEqual([]);
    },
  );

  it("answers everything else through Hono, as the app does", async () => {
    const gw = await startNodeGateway("in-process");
    const requests: Array<[string, RequestInit]> = [
      ["/v1/models", { headers: auth({ origin: ORIGIN }) }],
      ["/health", {}],
      ["/v1/chat/completions", { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } }],
      ["/nope", { headers: auth() }],
      ["/v1/chat/completions", { headers: auth() }],
      ["/v1/chat/completions/", { method: "POST", headers: auth(), body: JSON.stringify(ask("trailing slash")) }],
      ["/v1/embeddings", { method: "POST", headers: auth(), body: "{}" }],
    ];
    const statuses: number[] = [];
    for (const [path, init] of requests) {
      const direct = await replyOf(await fetch(gw.url + path, init));
      const viaHono = await replyOf(await gw.hono(path, init));
      expect(direct.status, path).toBe(viaHono.status);
      expect(direct.text, path).toBe(viaHono.text);
      for (const name of ["content-type", "access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"]) expect(direct.headers[name], `${path} ${name}`).toBe(viaHono.headers[name]);
      statuses.push(direct.status);
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 204, 404]);
    expect(gw.viaHono).toEqual(["GET /v1/models", "GET /health", "OPTIONS /v1/chat/completions", "GET /nope", "GET /v1/chat/completions", "POST /v1/chat/completions/", "POST /v1/embeddings"]);
  });
});

describe("request bodies on the direct path", () => {
  let gw: NodeGateway;
  const shared = async () => (gw ??= await startNodeGateway("http", { UPLOAD_THRESHOLD_BYTES: "1024", MAX_REQUEST_BYTES: String(8 * 1024 * 1024) }));

  it("refuses a declared content-length above MAX_REQUEST_BYTES with a 413 without reading the body", async () => {
    const gw = await shared();
    const before = gw.messagesCalls().length;
    // Only the headers and two bytes are ever sent: the answer cannot have waited for the body.
    const res = await rawRequest(gw.url, "/v1/chat/completions", { headers: auth({ "content-length": String(10 * 1024 * 1024) }), pieces: ["{}"], leaveOpen: true });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.text) as { error: { code: string } }).error.code).toBe("request_too_large");
    expect(gw.messagesCalls()).toHaveLength(before);
  });

  it("refuses a chunked body (no content-length) with a 413 once it grows past MAX_REQUEST_BYTES", async () => {
    const gw = await shared();
    const before = gw.messagesCalls().length;
    const mb = new Uint8Array(1024 * 1024).fill(0x78); // "xxx…", inside a string that never ends
    const pieces = [encoder.encode('{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"'), ...Array.from({ length: 10 }, () => mb)];
    const res = await rawRequest(gw.url, "/v1/chat/completions", { headers: auth(), pieces });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.text) as { error: { code: string } }).error.code).toBe("request_too_large");
    expect(gw.messagesCalls()).toHaveLength(before);
  });

  it("reads a body sent slowly in pieces, split inside a UTF-8 character", async () => {
    const gw = await shared();
    const bytes = encoder.encode(JSON.stringify(ask("slow body: naïve café ✓ done")));
    const mark = bytes.indexOf(0xe2); // the first byte of ✓ (3 bytes)
    const pieces = [bytes.slice(0, 10), bytes.slice(10, mark + 1), bytes.slice(mark + 1, mark + 2), bytes.slice(mark + 2)];
    for (const headers of [auth({ "content-length": String(bytes.byteLength) }), auth()]) {
      const res = await rawRequest(gw.url, "/v1/chat/completions", { headers, pieces, pauseMs: 15 });
      expect(res.status, res.text).toBe(200);
      expect((JSON.parse(res.text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toContain("slow body: naïve café ✓ done");
    }
  });

  it("extracts a data-URL PDF from a chunked body sent in pieces, and offloads it", async () => {
    const gw = await shared();
    const filesBefore = gw.sim.files.size;
    const pdf = fakePdfBase64(5000);
    const body = encoder.encode(JSON.stringify({ model: MODEL, messages: [{ role: "user", content: [{ type: "file", file: { filename: "a.pdf", file_data: `data:application/pdf;base64,${pdf}` } }, { type: "text", text: "read it" }] }], stream: true }));
    const pieces = [body.slice(0, 100), body.slice(100, 3000), body.slice(3000, 5000), body.slice(5000)];
    const res = await rawRequest(gw.url, "/v1/chat/completions", { headers: auth(), pieces, pauseMs: 10 });
    expect(res.status, res.text).toBe(200);
    expect(sseEvents(res.text).at(-1)).toBe("[DONE]");
    expect(gw.sim.files.size).toBe(filesBefore + 1);
    const [doc] = gw.messagesCalls().at(-1)!.body.messages[0].content;
    const stored = gw.sim.files.get(doc.source.file_id)!;
    expect(base64Of(stored.bytes) === pdf).toBe(true);
  });

  it("survives a client that hangs up in the middle of its body", async () => {
    const gw = await shared();
    const before = gw.messagesCalls().length;
    const url = new URL(gw.url);
    const closed = new Promise<void>((resolve) => {
      const req = http.request({ hostname: url.hostname, port: url.port, path: "/v1/chat/completions", method: "POST", headers: auth({ "content-length": "1000" }) });
      req.on("error", () => resolve());
      req.once("close", () => resolve());
      req.write('{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"cut');
      void sleep(20).then(() => req.destroy());
    });
    await closed;
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: auth(), body: JSON.stringify(ask("after the hang-up")) });
    expect(res.status).toBe(200);
    expect(gw.messagesCalls()).toHaveLength(before + 1);
    expect(gw.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe("upstream faults through the node:http upstream", () => {
  const post = (gw: NodeGateway, body: unknown) => fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: auth(), body: JSON.stringify(body) });

  it("a 529 on one key fails over to the other key: 200", async () => {
    const gw = await startNodeGateway("http");
    gw.sim.fault("*", { status: 529, times: 1 });
    const res = await post(gw, ask("fail over"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toContain("fail over");
    const keys = gw.messagesCalls().map((c) => c.apiKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(await gw.inFlight()).toBe(0);
  });

  it("a network failure on every key is a clear 502", async () => {
    const gw = await startNodeGateway("http");
    gw.sim.fault("*", { kind: "network" });
    const res = await post(gw, ask("no network"));
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/reach/i);
    expect(gw.messagesCalls().length).toBeGreaterThanOrEqual(2);
    expect(await gw.inFlight()).toBe(0);
  });

  it("a JSON answer whose connection breaks half-way is a 502, and the next call gets a fresh connection", async () => {
    const gw = await startNodeGateway("http");
    gw.simSide.cutNextJson = true;
    const res = await post(gw, ask("cut the answer"));
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("upstream_bad_response");
    expect(gw.messagesCalls()).toHaveLength(1);
    expect(await gw.inFlight()).toBe(0);
    const next = await post(gw, ask("whole answer"));
    expect(next.status).toBe(200);
    expect(((await next.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toContain("whole answer");
  });

  it("an error in the middle of a stream becomes an error chunk, then [DONE]", async () => {
    const gw = await startNodeGateway("http");
    gw.sim.fault("*", { kind: "error-mid-stream", afterEvents: 4 });
    const res = await post(gw, ask("break it", { stream: true }));
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(errorTypes(events)[0]?.error.message).toMatch(/overloaded/i);
    expect(events.at(-1)).toBe("[DONE]");
  });

  it("a connection dropped in the middle of a stream ends the client's stream with an error, not a stop", async () => {
    // Paced, so that the events before the drop leave the simulator's socket before it breaks.
    const gw = await startNodeGateway("http", {}, { streamDelayMs: 10 });
    gw.sim.fault("*", { kind: "drop-mid-stream", afterEvents: 4, times: 1 });
    const res = await post(gw, ask("drop it", { stream: true }));
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(errorTypes(events)).toHaveLength(1);
    const finishes = (events.filter((e) => typeof e === "object" && e !== null && "choices" in e) as Array<{ choices: Array<{ finish_reason: string | null }> }>).map((c) => c.choices[0]?.finish_reason).filter(Boolean);
    expect(finishes).not.toContain("stop");
    await eventually(async () => (await gw.inFlight()) === 0);
    expect(await gw.inFlight()).toBe(0);
    // The pool's socket to the simulator was broken; the next call gets a fresh one.
    const next = await post(gw, ask("after the drop"));
    expect(next.status).toBe(200);
  });
});
