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
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import type { ChunkReader, Upstream, UpstreamHeaders, UpstreamInit, UpstreamResponse } from "../platforms/upstream";
import { utf8Text } from "../http/node-body";

export interface NodeUpstreamOptions {
  /** Sockets per upstream host (default 256); idle ones are kept open for reuse. */
  maxSockets?: number;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const NEVER_ABORTED = new AbortController().signal;
const encoder = new TextEncoder();

export function createNodeUpstream(opts: NodeUpstreamOptions = {}): Upstream {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 256, scheduling: "lifo" as const };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

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
      clientReq.once("error", (err) => fail(new TypeError("fetch failed", { cause: err })));
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
