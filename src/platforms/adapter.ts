import type { ChunkReader, Upstream, UpstreamHeaders, UpstreamResponse } from "./upstream";
import { anthropicErrorResponse, type PlatformName } from "./anthropic-shaped";
import type { AnthropicEventSource } from "./anthropic/events";

/**
 * One call to a platform's Messages endpoint, as the chat core makes it to Anthropic:
 * the Anthropic request body (with `model` and `stream`) and the betas it needs.
 */
export interface MessagesCall {
  body: string | Record<string, unknown>;
  betas: readonly string[];
  signal?: AbortSignal;
}

/**
 * A platform adapter's answer. Where the platform's stream is not Anthropic's SSE (Bedrock's
 * event stream), the adapter also offers it already decoded into Anthropic's stream events:
 * the chat core takes these (`decodedEvents`) instead of parsing SSE the adapter would only
 * have written for it; `body` stays Anthropic's SSE for the /v1/messages passthrough.
 * Instead of `body`/`chunkReader`, never with them.
 */
export interface AdapterResponse extends UpstreamResponse {
  anthropicEvents?(): AnthropicEventSource;
}

/**
 * A platform behind the interface the rest of the gateway already speaks: it answers as
 * Anthropic's POST /v1/messages would (the Message JSON, or Anthropic's SSE stream;
 * errors as Anthropic's error JSON with the status Anthropic would use), so the chat core,
 * the failover rules and the error mapping do not know which platform answered.
 */
export interface PlatformAdapter {
  readonly platform: PlatformName;
  /** For logs and errors: "Amazon Bedrock (eu-west-1)", "Vertex AI (my-project, global)". No secret. */
  readonly label: string;
  messages(call: MessagesCall): Promise<AdapterResponse>;
  /** The largest request body the platform takes (attachments inline: it has no Files API). */
  readonly maxRequestBytes: number;
  /** The Anthropic model ids this platform can serve (for /v1/models and routing). */
  offers(anthropicId: string): boolean;
}

/**
 * The adapter as an Upstream: `POST …/v1/messages` goes to the platform, with the betas
 * from `anthropic-beta`; anything else (Files API, models, token counting) is answered
 * with the 404 the platform itself would give, naming what it lacks.
 */
export function adapterAsUpstream(adapter: PlatformAdapter): Upstream {
  return async (url, init) => {
    const path = new URL(url).pathname.replace(/\/+$/, "");
    if (init.method === "POST" && path.endsWith("/v1/messages")) {
      const body = typeof init.body === "string" ? init.body : init.body instanceof Uint8Array ? new TextDecoder().decode(init.body) : "";
      const betas = (init.headers["anthropic-beta"] ?? "").split(",").map((b) => b.trim()).filter(Boolean);
      return adapter.messages({ body, betas, signal: init.signal });
    }
    const what = path.includes("/v1/files") ? "the Files API" : path.includes("count_tokens") ? "token counting" : path.includes("/v1/models") ? "the Models API" : `${init.method} ${path}`;
    return anthropicErrorResponse(404, "not_found_error", `${adapter.label} does not offer ${what}; only an Anthropic API key does.`);
  };
}

/** Marks an adapter's answer as the platform's, so that the error mapping names it and its settings. */
export function fromPlatform(res: AdapterResponse, label: string): AdapterResponse {
  return withHeaders(res, { "x-claude2api-platform": label });
}

/**
 * The events an adapter decoded itself, for an answer its `messages` returned (undefined:
 * read the body as Anthropic's SSE). Typed loosely because the chat core holds the answer
 * as the UpstreamResponse every platform gives.
 */
export function decodedEvents(res: UpstreamResponse): AnthropicEventSource | undefined {
  return (res as AdapterResponse).anthropicEvents?.();
}

/** The body of an answer as chunks: the transport's cheaper reader where it has one. */
export function readerOf(res: UpstreamResponse): ChunkReader | null {
  return res.chunkReader?.() ?? res.body?.getReader() ?? null;
}

/**
 * An answer whose body is a ChunkReader the adapter made (a decoded stream), offered both
 * as `chunkReader()` (no web stream hop) and as `body` (for the /v1/messages passthrough),
 * and, when the adapter can decode its platform's stream straight into Anthropic's events,
 * as `anthropicEvents()` (for the chat core); whichever the caller takes first. `reader`
 * and `events` wrap the same upstream body and must not read it before they are taken.
 */
export function readerResponse(status: number, headers: Record<string, string>, reader: ChunkReader, events?: () => AnthropicEventSource): AdapterResponse {
  const h = new Headers(headers);
  let taken = false;
  const take = (): ChunkReader => {
    if (taken) throw new Error("the body was already read");
    taken = true;
    return reader;
  };
  const text = async () => {
    const r = take();
    const decoder = new TextDecoder();
    let out = "";
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      out += decoder.decode(value, { stream: true });
    }
    return out + decoder.decode();
  };
  let body: ReadableStream<Uint8Array> | null = null;
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: h,
    get body() {
      if (body) return body;
      const r = take();
      body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const { done, value } = await r.read();
              if (done) controller.close();
              else controller.enqueue(value);
            } catch (error) {
              controller.error(error);
            }
          },
          cancel: (reason) => r.cancel(reason),
        },
        { highWaterMark: 0 },
      );
      return body;
    },
    chunkReader: () => take(),
    ...(events ? { anthropicEvents: () => (take(), events()) } : {}),
    text,
    json: async () => JSON.parse(await text()),
  };
}

/** The platform's answer with some headers renamed into Anthropic's (`request-id`), body untouched. */
export function withHeaders(res: AdapterResponse, extra: Record<string, string>): AdapterResponse {
  const headers: UpstreamHeaders = {
    get: (name) => extra[name.toLowerCase()] ?? res.headers.get(name),
    forEach: (cb) => {
      res.headers.forEach((v, k) => {
        if (!(k.toLowerCase() in extra)) cb(v, k);
      });
      for (const [k, v] of Object.entries(extra)) cb(v, k);
    },
  };
  return {
    status: res.status,
    ok: res.ok,
    headers,
    get body() {
      return res.body;
    },
    json: () => res.json(),
    text: () => res.text(),
    ...(res.chunkReader ? { chunkReader: () => res.chunkReader!() } : {}),
    ...(res.anthropicEvents ? { anthropicEvents: () => res.anthropicEvents!() } : {}),
  };
}

/** The request body as an object; a 400 like Anthropic's when it is not JSON. */
export function parseCallBody(body: MessagesCall["body"]): Record<string, unknown> | Response {
  if (typeof body !== "string") return body;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  return anthropicErrorResponse(400, "invalid_request_error", "There was an error parsing the body of your request");
}
