/**
 * The upstream transport on Node: node:http / node:https with keep-alive agents instead
 * of the global fetch (undici). Same contract as every Upstream (`Request` in, `Response`
 * out), so the app does not know which one it has; used by src/runtime/node.ts only.
 *
 * What it keeps from fetch's behaviour, because the app depends on it:
 * - the Request's AbortSignal aborts the upstream call, before and after the headers
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
import type { Upstream } from "../upstream";

export interface NodeUpstreamOptions {
  /** Sockets per upstream host (default 256); idle ones are kept open for reuse. */
  maxSockets?: number;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export function createNodeUpstream(opts: NodeUpstreamOptions = {}): Upstream {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 256, scheduling: "lifo" as const };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) return fetch(req);
    const signal = req.signal;
    if (signal.aborted) throw signal.reason;

    const headers: Record<string, string> = {};
    req.headers.forEach((value, name) => {
      headers[name] = value;
    });
    headers["user-agent"] ??= "claude2api";

    // JSON posts are small and already in memory: send them in one write with a length.
    // A multipart upload (or any body of unknown type) is streamed as it is produced.
    let body: Uint8Array | Readable | undefined;
    if (req.body && req.method !== "GET" && req.method !== "HEAD") {
      const type = headers["content-type"] ?? "";
      if (type.startsWith("application/json") || type.startsWith("text/")) {
        body = new Uint8Array(await req.arrayBuffer());
        headers["content-length"] = String(body.byteLength);
      } else {
        body = Readable.fromWeb(req.body);
      }
    }
    if (signal.aborted) throw signal.reason;

    const mod = url.protocol === "https:" ? https : http;
    return new Promise<Response>((resolve, reject) => {
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
          method: req.method,
          headers,
          agent,
        },
        (res) => {
          if (settled) return void res.destroy();
          settled = true;
          response = res;
          const responseHeaders = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
          const status = res.statusCode ?? 502;

          if (NULL_BODY_STATUS.has(status) || req.method === "HEAD") {
            signal.removeEventListener("abort", onAbort);
            res.resume();
            resolve(new Response(null, { status, statusText: res.statusMessage, headers: responseHeaders }));
            return;
          }
          // The abort listener stays until the body ends, so a client abort stops the stream.
          const done = () => signal.removeEventListener("abort", onAbort);
          res.once("end", done).once("close", done);
          let stream: Readable = res;
          const encoding = String(res.headers["content-encoding"] ?? "").trim().toLowerCase();
          const decoder = encoding === "gzip" || encoding === "x-gzip" ? zlib.createGunzip() : encoding === "deflate" ? zlib.createInflate() : encoding === "br" ? zlib.createBrotliDecompress() : undefined;
          if (decoder) {
            res.once("error", (e) => decoder.destroy(e)).pipe(decoder);
            stream = decoder;
          }
          const webBody = Readable.toWeb(stream);
          resolve(new Response(webBody, { status, statusText: res.statusMessage, headers: responseHeaders }));
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
