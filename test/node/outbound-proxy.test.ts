/**
 * The outbound proxy on Node, end to end: the real server bundle (src/runtime/node.ts, as
 * `npm run start:node` and the Docker image run it) in a child process, configured only by
 * environment variables, a real HTTP proxy (the `proxy` package) and the simulator served
 * over http and over https (test/node/fixtures: a test-only certificate the child trusts
 * through NODE_EXTRA_CA_CERTS, as an operator would trust a private CA).
 *
 * How "it went through the proxy" is proven for every request: the proxy opens its
 * upstream connections from 127.0.0.2, the gateway's own connections come from 127.0.0.1,
 * and the upstream records the address each request came from.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { createProxy } from "proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClaudeSimulator } from "../../src/simulator";

const CLIENT_KEY = "proxy-test-client-key-0123456789";
const UPSTREAM_KEY = "sk-ant-proxy-test-key-0000";
const PROXY_USER = "operator";
const PROXY_PASSWORD = "s3cret:p@ss w0rd"; // ':' '@' and ' ' must be percent-encoded in the URL, and decoded
const PROXY_PASSWORD_IN_URL = encodeURIComponent(PROXY_PASSWORD);
const PROXY_SOURCE = "127.0.0.2";
// vitest runs from the project root.
const fixture = (name: string) => `${process.cwd()}/test/node/fixtures/${name}`;
const CERT_FILE = fixture("localhost-test-cert.pem");

const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
}, 30_000);

let bundle = "";
beforeAll(async () => {
  const dir = mkdtempSync(`${tmpdir()}/claude2api-proxy-test-`);
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  bundle = `${dir}/node.mjs`;
  // The same build as `npm run build:node` and the Docker image, into a directory of its own.
  const built = spawn(process.execPath, [`${process.cwd()}/scripts/build-node.mjs`, dir], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  built.stderr!.on("data", (c: Uint8Array) => void (out += Buffer.from(c).toString()));
  await new Promise<void>((resolve, reject) => built.once("exit", () => (built.exitCode === 0 ? resolve() : reject(new Error(`build:node failed: ${out}`)))));
}, 60_000);

function readAll(stream: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    stream.on("data", (c: Uint8Array) => void chunks.push(c));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}

async function listen(server: Server, host = "127.0.0.1"): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the server has no port");
  return address.port;
}

interface UpstreamSeen {
  method: string;
  path: string;
  from: string;
}

/** The simulator over http or https; `seen` records each request and the address it came from. */
async function startUpstream(scheme: "http" | "https"): Promise<{ url: string; seen: UpstreamSeen[] }> {
  const sim = new ClaudeSimulator({ streamDelayMs: 0 });
  const seen: UpstreamSeen[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? "", path: (req.url ?? "").split("?")[0]!, from: String(req.socket.remoteAddress) });
    const body = await readAll(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !["host", "connection", "content-length", "transfer-encoding"].includes(name)) headers.set(name, String(value));
    const response = await sim.fetch(new Request(`http://simulator${req.url}`, { method: req.method, headers, body: body.byteLength ? body : undefined }));
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => void (out[name] = value));
    delete out["content-length"];
    res.writeHead(response.status, out);
    res.end(new Uint8Array(await response.arrayBuffer()));
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => void answer(req, res);
  const server = scheme === "https" ? https.createServer({ key: readFileSync(fixture("localhost-test-key.pem")), cert: readFileSync(CERT_FILE) }, handler) : http.createServer(handler);
  const port = await listen(server);
  // https: by name, as the certificate says; http: by address.
  return { url: `${scheme}://${scheme === "https" ? "localhost" : "127.0.0.1"}:${port}`, seen };
}

interface ProxySide {
  url: string;
  port: number;
  /** CONNECT targets (https upstreams). */
  tunnels: string[];
  /** Absolute-form request targets (http upstreams). */
  forwarded: string[];
  refused: number;
}

/** A real HTTP proxy that wants PROXY_USER:PROXY_PASSWORD and connects out from 127.0.0.2. */
async function startProxy(): Promise<ProxySide> {
  const server = http.createServer();
  const proxy = createProxy(server as never);
  const side: ProxySide = { url: "", port: 0, tunnels: [], forwarded: [], refused: 0 };
  proxy.localAddress = PROXY_SOURCE;
  const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`;
  proxy.authenticate = (req: IncomingMessage) => {
    const ok = req.headers["proxy-authorization"] === expected;
    if (!ok) side.refused++;
    else if (req.method === "CONNECT") side.tunnels.push(String(req.url));
    else side.forwarded.push(String(req.url));
    return ok;
  };
  side.port = await listen(server);
  side.url = `http://127.0.0.1:${side.port}`;
  return side;
}

const withCredentials = (proxyUrl: string, password = PROXY_PASSWORD_IN_URL) => proxyUrl.replace("http://", `http://${PROXY_USER}:${password}@`);

async function freePort(): Promise<number> {
  const server = http.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface Gateway {
  url: string;
  /** Everything the process printed, stdout and stderr. */
  output: () => string;
  stop: () => Promise<void>;
}

/** The server bundle, started as the Docker image starts it, with only `env`. */
async function startGateway(env: Record<string, string>): Promise<Gateway> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [bundle], {
    env: { ADDRESS: `127.0.0.1:${port}`, APIKEY: CLIENT_KEY, ANTHROPIC_API_KEYS: UPSTREAM_KEY, UPSTREAM: "anthropic", NODE_EXTRA_CA_CERTS: CERT_FILE, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Uint8Array) => void (output += Buffer.from(c).toString()));
  child.stderr!.on("data", (c: Uint8Array) => void (output += Buffer.from(c).toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill();
    });
  closers.push(stop);
  for (let i = 0; i < 200 && !output.includes('"event":"listening"'); i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the gateway exited: ${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!output.includes('"event":"listening"')) throw new Error(`the gateway did not start: ${output}`);
  return { url: `http://127.0.0.1:${port}`, output: () => output, stop };
}

const auth = { authorization: `Bearer ${CLIENT_KEY}` };

/** One of each upstream call: models, chat (JSON and stream), and a Files API upload. */
async function exerciseEveryUpstreamCall(gateway: Gateway): Promise<string[]> {
  const bodies: string[] = [];
  const models = await fetch(`${gateway.url}/v1/models`, { headers: auth });
  bodies.push(await models.text());
  expect(models.status, bodies.at(-1)).toBe(200);

  const chat = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "through the proxy" }] }),
  });
  bodies.push(await chat.text());
  expect(chat.status, bodies.at(-1)).toBe(200);
  expect(JSON.parse(bodies.at(-1)!).choices[0].message.content).toContain("through the proxy");

  const stream = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", stream: true, messages: [{ role: "user", content: "streamed" }] }),
  });
  bodies.push(await stream.text());
  expect(stream.status).toBe(200);
  expect(bodies.at(-1)).toContain("data: [DONE]");

  const form = new FormData();
  form.set("purpose", "user_data");
  form.set("file", new File(["a note for the Files API"], "note.txt", { type: "text/plain" }));
  const upload = await fetch(`${gateway.url}/v1/files`, { method: "POST", headers: auth, body: form });
  bodies.push(await upload.text());
  expect(upload.status, bodies.at(-1)).toBe(200);
  return bodies;
}

const calls = (seen: UpstreamSeen[]) => seen.map((s) => `${s.method} ${s.path}`);
const EVERY_CALL = ["GET /v1/models", "POST /v1/messages", "POST /v1/files"];

describe("the Node server behind an outbound proxy", () => {
  it("sends every upstream call to an https upstream through one kept-alive CONNECT tunnel, with the credentials", async () => {
    const upstream = await startUpstream("https");
    const proxy = await startProxy();
    const gateway = await startGateway({ ANTHROPIC_BASE_URL: upstream.url, HTTPS_PROXY: withCredentials(proxy.url) });
    const bodies = await exerciseEveryUpstreamCall(gateway);

    expect(calls(upstream.seen)).toEqual(expect.arrayContaining(EVERY_CALL));
    expect(upstream.seen.filter((s) => s.from !== PROXY_SOURCE)).toEqual([]);
    expect(proxy.refused).toBe(0);
    expect(proxy.forwarded).toEqual([]);
    const target = upstream.url.replace("https://", "");
    expect(proxy.tunnels.every((t) => t === target)).toBe(true);
    // Keep-alive through the proxy: sequential calls reuse a tunnel.
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1);
    expect(proxy.tunnels.length).toBeLessThan(upstream.seen.length);

    expect(gateway.output()).toContain(`"https_upstreams":"http://127.0.0.1:${proxy.port}"`);
    for (const text of [gateway.output(), ...bodies]) {
      expect(text).not.toContain(PROXY_PASSWORD);
      expect(text).not.toContain(PROXY_PASSWORD_IN_URL);
    }
  });

  it("sends every upstream call to an http upstream as absolute-form requests (PROXY, the seed's name)", async () => {
    const upstream = await startUpstream("http");
    const proxy = await startProxy();
    const gateway = await startGateway({ ANTHROPIC_BASE_URL: upstream.url, PROXY: withCredentials(proxy.url) });
    const bodies = await exerciseEveryUpstreamCall(gateway);

    expect(calls(upstream.seen)).toEqual(expect.arrayContaining(EVERY_CALL));
    expect(upstream.seen.filter((s) => s.from !== PROXY_SOURCE)).toEqual([]);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.forwarded).toHaveLength(upstream.seen.length);
    expect(proxy.forwarded.every((u) => u.startsWith(`${upstream.url}/v1/`))).toBe(true);
    for (const text of [gateway.output(), ...bodies]) expect(text).not.toContain(PROXY_PASSWORD_IN_URL);
  });

  it("reads the lower-case form, and NO_PROXY sends the listed upstream directly", async () => {
    const upstream = await startUpstream("https");
    const proxy = await startProxy();
    const gateway = await startGateway({ ANTHROPIC_BASE_URL: upstream.url, https_proxy: withCredentials(proxy.url), no_proxy: "example.com,localhost" });
    await exerciseEveryUpstreamCall(gateway);

    expect(calls(upstream.seen)).toEqual(expect.arrayContaining(EVERY_CALL));
    expect(upstream.seen.filter((s) => s.from === PROXY_SOURCE)).toEqual([]);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.refused).toBe(0);
    expect(gateway.output()).toContain('"no_proxy":"example.com,localhost"');
  });

  it("answers a refused proxy login with a 502 that says it is the proxy, naming neither the password nor a key", async () => {
    const wrong = "not-the-password-7f3a";
    for (const scheme of ["https", "http"] as const) {
      const upstream = await startUpstream(scheme);
      const proxy = await startProxy();
      const gateway = await startGateway({ ANTHROPIC_BASE_URL: upstream.url, PROXY: withCredentials(proxy.url, wrong), MAX_UPSTREAM_ATTEMPTS: "1" });
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] }),
      });
      const text = await res.text();
      expect(res.status, text).toBe(502);
      const error = JSON.parse(text).error as { message: string; type: string; code: string };
      expect(error.type).toBe("upstream_error");
      // https: the CONNECT tunnel is refused; http: the proxy answers the request itself with 407.
      if (scheme === "https") expect(error.message).toContain(`the outbound proxy http://127.0.0.1:${proxy.port} refused the CONNECT tunnel (407`);
      else expect(error).toMatchObject({ code: "proxy_auth_error", message: expect.stringContaining("outbound proxy refused its credentials") });
      expect(proxy.refused).toBeGreaterThan(0);
      expect(upstream.seen).toEqual([]);
      await gateway.stop();
      for (const out of [text, gateway.output()]) {
        expect(out).not.toContain(wrong);
        expect(out).not.toContain(UPSTREAM_KEY);
      }
    }
  });

  it("refuses to start on a SOCKS proxy, without printing its password", async () => {
    await expect(startGateway({ HTTPS_PROXY: `socks5://${PROXY_USER}:${PROXY_PASSWORD_IN_URL}@127.0.0.1:1080` })).rejects.toThrow(/HTTPS_PROXY: a socks5:\/\/ proxy is not supported/);
    await expect(startGateway({ HTTPS_PROXY: `socks5://${PROXY_USER}:${PROXY_PASSWORD_IN_URL}@127.0.0.1:1080` })).rejects.not.toThrow(PROXY_PASSWORD_IN_URL);
  });
});
