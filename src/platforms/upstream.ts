/**
 * The upstream is a function with fetch's shape, `(url, init)`: global `fetch` on Workers,
 * node:http on Node (src/runtime/node-upstream.ts), the simulator's own handler in the
 * offline demo and in tests. No code path exists only for tests.
 *
 * Why not `(Request) => Response`: on Node, building a web Request only for the transport
 * to take it apart again, and wrapping every answer in a web Response, is work that the
 * gateway would pay on every request for nothing (bench/RESULTS.md has the figures). The
 * init is plain data, and the answer only has to offer what the gateway reads
 * (UpstreamResponse); a fetch Response is one.
 */
export interface UpstreamInit {
  method: "GET" | "POST" | "DELETE";
  /** Lower-case names. */
  headers: Record<string, string>;
  /** JSON text, bytes, a streamed body (multipart uploads), or a form (client file uploads). */
  body?: string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | FormData;
  signal?: AbortSignal;
  /** Node's fetch refuses a stream body without it; workerd ignores it. */
  duplex?: "half";
}

export interface UpstreamHeaders {
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/** What the stream translator needs of a body: a web stream's reader offers it. */
export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: UpstreamHeaders;
  /** Read at most once, and only if json()/text() is not used. */
  readonly body: ReadableStream<Uint8Array> | null;
  json(): Promise<unknown>;
  text(): Promise<string>;
  /**
   * The body as chunks without a web stream, where the transport has a cheaper way (Node:
   * each read takes everything buffered). Instead of `body`, never with it.
   */
  chunkReader?(): ChunkReader | null;
}

export type Upstream = (url: string, init: UpstreamInit) => Promise<UpstreamResponse>;

/** The global fetch as an Upstream (Workers, and the simulator-less default). */
export const fetchUpstream: Upstream = (url, init) => fetch(url, init as RequestInit);

/** An UpstreamResponse over a body the gateway replaced (a tracked stream, or text it already read). */
export function rebuiltResponse(status: number, headers: UpstreamHeaders, body: ReadableStream<Uint8Array> | string): UpstreamResponse {
  const inner = new Response(body, { status });
  return {
    status,
    ok: inner.ok,
    headers,
    get body() {
      return inner.body;
    },
    json: () => inner.json(),
    text: () => inner.text(),
  };
}
