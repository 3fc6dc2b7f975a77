/**
 * The upstream transport on Node: node:http / node:https with keep-alive agents instead
 * of the global fetch (undici), and no web Request, Response or stream unless the caller
 * asks for one: the JSON answer of a non-stream chat is collected as Buffers and parsed
 * once, and only a streamed answer gets a web ReadableStream (the stream translator's
 * input). Used by src/runtime/node.ts only.
 *
 * What it keeps from fetch's behaviour, because the app depends on it:
 * - the init's AbortSignal aborts the upstream call, before and after the headers
 *   (a client that goes away stops the upstream stream);
 * - a connection failure rejects with a TypeError (`fetch failed`, the cause attached),
 *   an abort with the signal's reason, so failover tells the two apart as before;
 * - a gzip / deflate / br body is decoded (fetch does; we do not ask for one anyway).
 * What it does not do: follow redirects (the Anthropic API does not send them).
 *
 * The outbound proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY / PROXY) is a property of this
 * transport: every upstream call on Node (Messages, Files, models, and any platform that
 * calls the gateway's Upstream function) goes through its two agents. It is Node's own
 * proxy support (the agents' `proxyEnv`, Node >= 24.5): HTTP CONNECT tunnels for https
 * upstreams, absolute-form requests for http ones, Proxy-Authorization from the URL's
 * user:password, NO_PROXY as curl reads it, and keep-alive: a tunnel is pooled and reused
 * like a direct connection.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { describeProxyUrl, type OutboundProxy } from "../platforms/outbound-proxy";
import type { ChunkReader, Upstream, UpstreamHeaders, UpstreamInit, UpstreamResponse } from "../platforms/upstream";
import { utf8Text } from "./utf8-text";

export interface NodeUpstreamOptions {
  /** Sockets per upstream host (default 256); idle ones are kept open for reuse. */
  maxSockets?: number;
  /** Send every request through this proxy (src/platforms/outbound-proxy.ts). */
  proxy?: OutboundProxy;
  /** Extra CA certificates (PEM) to trust for https upstreams, besides Node's own and NODE_EXTRA_CA_CERTS. */
  ca?: string;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const NEVER_ABORTED = new AbortController().signal;
const encoder = new TextEncoder();

export function createNodeUpstream(opts: NodeUpstreamOptions = {}): Upstream {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 256, scheduling: "lifo" as const, ...(opts.proxy ? { proxyEnv: proxyEnv(opts.proxy) } : {}) };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent({ ...agentOptions, ...(opts.ca ? { ca: opts.ca } : {}) }) };

  // The chat path posts to one URL again and again: parse each URL once.
  const parsed = new Map<string, URL>();
  const parse = (href: string): URL => {
    let url = parsed.get(href);
    if (!url) {
      if (parsed.size >= 64) parsed.clear();
      url = new URL(href);
      parsed.set(href, url);
    }
    return url;
  };

  return async (href: string, init: UpstreamInit): Promise<UpstreamResponse> => {
    const url = parse(href);
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) return fetch(href, init as RequestInit);
    const signal = init.signal ?? NEVER_ABORTED;
    if (signal.aborted) throw signal.reason;

    const headers: Record<string, string> = { ...init.headers };
    headers["user-agent"] ??= "claude2api";
    const body = await requestBody(init, headers);
    if (signal.aborted) throw signal.reason;

    const mod = url.protocol === "https:" ? https : http;
    return new Promise<UpstreamResponse>((resolve, reject) => {
      let settled = false;
      let response: IncomingMessage | undefined;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? signal.reason : err);
      };
      const onAbort = () => {
        const reason = signal.reason instanceof Error ? signal.reason : new DOMException("The operation was aborted.", "AbortError");
        // The body's reader then fails with the abort reason, as fetch's does.
        response?.destroy(reason);
        clientReq.destroy(reason);
        fail(signal.reason);
      };

      const clientReq = mod.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port || undefined,
          path: url.pathname + url.search,
          method: init.method,
          headers,
          agent,
        },
        (res) => {
          if (settled) return void res.destroy();
          settled = true;
          response = res;
          const status = res.statusCode ?? 502;
          if (NULL_BODY_STATUS.has(status)) {
            signal.removeEventListener("abort", onAbort);
            res.resume();
            resolve(new NodeUpstreamResponse(res, null));
            return;
          }
          // The abort listener stays until the body ends, so a client abort stops the stream.
          const done = () => signal.removeEventListener("abort", onAbort);
          res.once("end", done).once("close", done);
          const encoding = String(res.headers["content-encoding"] ?? "").trim().toLowerCase();
          const decoder = encoding === "gzip" || encoding === "x-gzip" ? zlib.createGunzip() : encoding === "deflate" ? zlib.createInflate() : encoding === "br" ? zlib.createBrotliDecompress() : undefined;
          if (decoder) res.once("error", (e) => decoder.destroy(e)).pipe(decoder);
          resolve(new NodeUpstreamResponse(res, decoder ?? res));
        },
      );
      clientReq.once("error", (err) => fail(new TypeError(proxyFailure(err, opts.proxy) ?? "fetch failed", { cause: err })));
      signal.addEventListener("abort", onAbort, { once: true });

      if (body instanceof Readable) {
        body.once("error", (err) => clientReq.destroy(err));
        body.pipe(clientReq);
      } else {
        clientReq.end(body);
      }
    });
  };
}

/**
 * A failure of the outbound proxy, said as such (the operator's to fix, and otherwise only
 * "fetch failed"): a refused CONNECT tunnel, or no connection to the proxy itself. The
 * proxy appears as scheme://host:port only.
 */
function proxyFailure(err: unknown, proxy: OutboundProxy | undefined): string | undefined {
  if (!proxy || !(err instanceof Error)) return undefined;
  const e = err as Error & { code?: string; statusCode?: number; port?: number; address?: string };
  if (e.code === "ERR_PROXY_TUNNEL") {
    const status = e.statusCode === 407 ? "407: wrong or missing credentials in HTTPS_PROXY / PROXY" : `${e.statusCode ?? "no answer"}`;
    return `fetch failed: the outbound proxy ${proxy.https ? describeProxyUrl(proxy.https) : ""} refused the CONNECT tunnel (${status})`;
  }
  for (const href of [proxy.https, proxy.http]) {
    if (!href || e.port === undefined) continue;
    const url = new URL(href);
    if (String(e.port) === (url.port || (url.protocol === "https:" ? "443" : "80"))) return `fetch failed: could not connect to the outbound proxy ${describeProxyUrl(href)} (${e.code ?? e.message})`;
  }
  return undefined;
}

/**
 * The agents' proxy settings, in the environment-variable shape Node's proxy support reads.
 * An older Node would ignore the option and send requests directly, which the operator
 * meant to prevent: refuse to start instead.
 */
function proxyEnv(proxy: OutboundProxy): Record<string, string> {
  const [major = 0, minor = 0] = (globalThis.process?.versions?.node ?? "0.0").split(".").map(Number);
  if (major < 24 || (major === 24 && minor < 5)) {
    throw new Error(`claude2api: HTTPS_PROXY / HTTP_PROXY / PROXY need Node 24.5 or later (built-in proxy support); this is Node ${globalThis.process?.versions?.node}`);
  }
  const env: Record<string, string> = {};
  if (proxy.https) env.HTTPS_PROXY = proxy.https;
  if (proxy.http) env.HTTP_PROXY = proxy.http;
  if (proxy.noProxy) env.NO_PROXY = proxy.noProxy;
  return env;
}

/**
 * JSON and bytes go in one write with a length; a stream (multipart upload) is piped as it
 * is produced; a form (a client's /v1/files upload) is encoded by the web Response, the one
 * rare case that needs it.
 */
async function requestBody(init: UpstreamInit, headers: Record<string, string>): Promise<Uint8Array | Readable | undefined> {
  const b = init.body;
  if (b === undefined || init.method === "GET") return undefined;
  if (typeof b === "string" || b instanceof Uint8Array || b instanceof ArrayBuffer) {
    const bytes = typeof b === "string" ? encoder.encode(b) : b instanceof ArrayBuffer ? new Uint8Array(b) : b;
    headers["content-length"] = String(bytes.byteLength);
    return bytes;
  }
  if (b instanceof ReadableStream) return Readable.fromWeb(b);
  const encoded = new Response(b);
  headers["content-type"] = encoded.headers.get("content-type") ?? "multipart/form-data";
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  headers["content-length"] = String(bytes.byteLength);
  return bytes;
}

/** Header lookups over node's own parsed headers (already lower-case). */
class NodeHeaders implements UpstreamHeaders {
  constructor(private readonly res: IncomingMessage) {}
  get(name: string): string | null {
    const v = this.res.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, v] of Object.entries(this.res.headers)) if (v !== undefined) callback(Array.isArray(v) ? v.join(", ") : v, name);
  }
}

/**
 * The answer, read one way: collected whole (json/text: Buffers, one decode, one parse)
 * or as a web stream (`body`, created on first access).
 */
class NodeUpstreamResponse implements UpstreamResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: UpstreamHeaders;
  private webBody: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    res: IncomingMessage,
    private readonly stream: Readable | null,
  ) {
    this.status = res.statusCode ?? 502;
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new NodeHeaders(res);
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.webBody === undefined) this.webBody = this.stream ? (Readable.toWeb(this.stream) as unknown as ReadableStream<Uint8Array>) : null;
    return this.webBody;
  }

  chunkReader(): ChunkReader | null {
    if (!this.stream || this.webBody !== undefined) return this.webBody ? this.webBody.getReader() : null;
    this.webBody = null;
    return new NodeChunkReader(this.stream);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  text(): Promise<string> {
    const stream = this.stream;
    if (!stream) return Promise.resolve("");
    // Someone looked at `body` first: read it from there.
    if (this.webBody) return new Response(this.webBody).text();
    if (this.webBody === null) return Promise.reject(new TypeError("Body has already been used"));
    this.webBody = null;
    return new Promise((resolve, reject) => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      let ended = false;
      stream.on("data", (c: Uint8Array) => {
        chunks.push(c);
        total += c.byteLength;
      });
      stream.once("end", () => {
        ended = true;
        resolve(utf8Text(chunks, total));
      });
      stream.once("error", reject);
      stream.once("close", () => {
        if (!ended) reject(new TypeError("terminated: the upstream connection closed before the body ended"));
      });
    });
  }
}

/**
 * Reads a Node stream for the stream translator: each read takes everything buffered so
 * far as one chunk, so a fast upstream costs one translator pass per batch of events
 * rather than one per TCP segment, with no web-stream adapter in between.
 */
class NodeChunkReader implements ChunkReader {
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    const notify = () => {
      const w = this.wake;
      this.wake = undefined;
      w?.();
    };
    stream.on("readable", notify);
    stream.once("end", () => {
      this.ended = true;
      notify();
    });
    stream.once("error", (e: unknown) => {
      this.failure ??= e;
      notify();
    });
    stream.once("close", () => {
      if (!this.ended) this.failure ??= new TypeError("terminated: the upstream connection closed before the body ended");
      notify();
    });
  }

  async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const chunk = this.stream.read() as Uint8Array | null;
      if (chunk !== null) return { done: false, value: chunk };
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  cancel(): Promise<void> {
    this.ended = true;
    this.stream.destroy();
    return Promise.resolve();
  }
}
