/**
 * The built-in Claude simulator: a faithful stand-in for the Anthropic API, used as the
 * test double for every gateway test and as the upstream of the offline demo. It speaks
 * only Anthropic's wire format and shares no code with the gateway (an independent oracle).
 */
import { ApiError, invalidRequest, notFound } from "./api-error";
import { FaultBook, type Fault } from "./faults";
import { FilesApi, type StoredFile } from "./files-api";
import { baseHeaders, errorResponse, jsonResponse } from "./http";
import { parseJsonBody } from "./json-body";
import { MessagesApi } from "./messages-api";
import { findModel, modelInfo, MODELS } from "./models";
import { paginate } from "./paginate";
import { PromptCache } from "./prompt-cache";
import type { ApiVersion, RequestContext } from "./request-context";
import type { ScriptedTurn } from "./scripted-turn";
import { ThinkingSigner } from "./signature";
import { BedrockFront, type BedrockFrontOptions } from "./bedrock-front";
import { VertexFront, type VertexFrontOptions } from "./vertex-front";

export type { Fault } from "./faults";
export type { StoredFile } from "./files-api";
export type { ScriptedTurn } from "./scripted-turn";
export type { BedrockFrontOptions } from "./bedrock-front";
export type { VertexFrontOptions, VertexServiceAccount } from "./vertex-front";

export interface SimulatorOptions {
  /** API keys the simulator accepts. Omitted: any key that starts with "sk-ant-" is accepted. */
  apiKeys?: string[];
  /** Delay between streamed events in ms (default 0). The offline demo uses ~20. */
  streamDelayMs?: number;
  /**
   * How many of the latest requests `received` keeps (default: all, for tests). The
   * offline demo lives as long as its isolate, and every entry holds a whole body.
   */
  maxReceived?: number;
  /** The Amazon Bedrock front (`/model/{id}/invoke…`): the credentials and API keys it accepts. */
  bedrock?: BedrockFrontOptions;
  /** The Vertex AI front (`/token`, `/v1/projects/…:rawPredict`): the service accounts it knows. */
  vertex?: VertexFrontOptions;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** The query string without its leading "?" ("" when there is none). */
  query: string;
  headers: Headers;
  body: any;
  apiKey: string | null;
}

const VERSIONS: ApiVersion[] = ["2023-06-01", "2026-10-21"];

export class ClaudeSimulator {
  /** The Upstream: a bound function with fetch's signature, pass it around as `sim.fetch`. */
  readonly fetch: (input: Request | string, init?: RequestInit) => Promise<Response>;
  /** Every request received (the latest `maxReceived`), in order, JSON bodies parsed (multipart: body = {filename, mime_type, size_bytes}). */
  readonly received: ReceivedRequest[] = [];
  /** The Files API store, by file id. */
  readonly files = new Map<string, StoredFile>();

  private readonly scripts: ScriptedTurn[] = [];
  private readonly faults = new FaultBook();
  private readonly cache = new PromptCache();
  private readonly issuedRedacted = new Set<string>();
  private readonly serverToolErrors: string[] = [];
  private readonly messagesApi: MessagesApi;
  private readonly filesApi: FilesApi;
  private readonly bedrockFront: BedrockFront;
  /** The Vertex AI front (its token endpoint's state is inspected by tests). */
  readonly vertexFront: VertexFront;
  private requestCount = 0;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.messagesApi = new MessagesApi({
      signer: new ThinkingSigner(),
      cache: this.cache,
      files: this.files,
      scripts: this.scripts,
      faults: this.faults,
      issuedRedacted: this.issuedRedacted,
      streamDelayMs: options.streamDelayMs ?? 0,
      serverToolErrors: this.serverToolErrors,
    });
    this.filesApi = new FilesApi(this.files);
    const create = (body: any, ctx: RequestContext, headers: Headers) => this.messagesApi.create(body, ctx, headers);
    this.bedrockFront = new BedrockFront(options.bedrock ?? {}, create);
    this.vertexFront = new VertexFront(options.vertex ?? {}, create);
    this.fetch = (input, init) => this.handle(typeof input === "string" ? new Request(input, init) : input);
  }

  /** Queue answers for the next POST /v1/messages calls (FIFO, consumed one per call that passes validation). */
  script(...turns: ScriptedTurn[]): void {
    this.scripts.push(...turns);
  }

  /** Inject a fault for POST /v1/messages made with `apiKey` ("*" = any key). `times` omitted = until cleared. Faults apply before validation. */
  fault(apiKey: string, fault: Fault): void {
    this.faults.add(apiKey, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * The next web searches or fetches (one per code, in order) fail inside a 200 answer with
   * these error codes, as the API reports them: `too_many_requests`, `unavailable`,
   * `query_too_long`, `invalid_tool_input`, `url_not_accessible`… (max_uses_exceeded
   * happens by itself when `max_uses` runs out).
   */
  serverToolError(...codes: string[]): void {
    this.serverToolErrors.push(...codes);
  }

  /** Forget received requests, scripts, faults and files (and the prompt cache). */
  reset(): void {
    this.received.length = 0;
    this.scripts.length = 0;
    this.faults.clear();
    this.serverToolErrors.length = 0;
    this.files.clear();
    this.cache.clear();
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    if (BedrockFront.matches(path) || VertexFront.matches(path)) return this.platformFront(request, url, path);
    const { body, form, invalid } = await readBody(request);
    const apiKey = request.headers.get("x-api-key") || bearer(request.headers.get("authorization"));
    this.received.push({ method: request.method, path, query: url.search.replace(/^\?/, ""), headers: request.headers, body: invalid ? null : body, apiKey });
    const excess = this.received.length - (this.options.maxReceived ?? Infinity);
    if (excess > 0) this.received.splice(0, excess);

    const headers = baseHeaders(this.requestCount++);
    try {
      const route = this.route(request.method, path);
      const ctx = this.authorize(request, apiKey);
      if (invalid) throw invalidRequest(invalid);
      return await route(ctx, { body, form, query: url.searchParams, headers });
    } catch (err) {
      if (err instanceof ApiError) return errorResponse(err, headers);
      throw err; // network faults and aborts reject, as fetch would
    }
  }

  /** Bedrock and Vertex: they read the raw body themselves (a SigV4 signature covers its bytes). */
  private async platformFront(request: Request, url: URL, path: string): Promise<Response> {
    const raw = new Uint8Array(await request.arrayBuffer());
    const record = (body: unknown, identity: string | null) => {
      this.received.push({ method: request.method, path, query: url.search.replace(/^\?/, ""), headers: request.headers, body, apiKey: identity });
      const excess = this.received.length - (this.options.maxReceived ?? Infinity);
      if (excess > 0) this.received.splice(0, excess);
    };
    const front = BedrockFront.matches(path) ? this.bedrockFront : this.vertexFront;
    return front.handle(request, raw, record);
  }

  private authorize(request: Request, apiKey: string | null): RequestContext {
    if (!apiKey) throw new ApiError(401, "authentication_error", "x-api-key header is required");
    const known = this.options.apiKeys ? this.options.apiKeys.includes(apiKey) : apiKey.startsWith("sk-ant-");
    if (!known) throw new ApiError(401, "authentication_error", "invalid x-api-key");
    const version = request.headers.get("anthropic-version");
    if (version === null) throw invalidRequest("anthropic-version: header is required");
    if (!VERSIONS.includes(version as ApiVersion)) throw invalidRequest(`anthropic-version: "${version}" is not a valid version`);
    const betas = new Set((request.headers.get("anthropic-beta") ?? "").split(",").map((b) => b.trim()).filter(Boolean));
    return { apiKey, version: version as ApiVersion, betas, signal: request.signal };
  }

  private route(method: string, path: string): Route {
    let parts: string[];
    try {
      parts = path.split("/").slice(1).map(decodeURIComponent);
    } catch {
      throw notFound("Not Found");
    }
    const [v1, resource, id, sub] = parts;
    if (v1 !== "v1" || parts.length > 4) throw notFound("Not Found");
    if (resource === "messages" && method === "POST") {
      if (id === undefined) return (ctx, r) => this.messagesApi.create(r.body, ctx, r.headers);
      if (id === "count_tokens" && sub === undefined) return (ctx, r) => this.messagesApi.countTokens(r.body, ctx, r.headers);
    }
    if (resource === "models" && method === "GET" && sub === undefined) {
      if (id === undefined) {
        return async (_ctx, r) => {
          const page = paginate(MODELS, (m) => m.id, r.query);
          return jsonResponse({ ...page, data: page.data.map(modelInfo) }, r.headers);
        };
      }
      return async (_ctx, r) => {
        const model = findModel(id);
        if (!model) throw notFound(`model: ${id}`);
        return jsonResponse(modelInfo(model), r.headers);
      };
    }
    if (resource === "files") {
      if (id === undefined && method === "POST") return async (ctx, r) => jsonResponse(await this.filesApi.upload(r.form, ctx), r.headers);
      if (id === undefined && method === "GET") return async (ctx, r) => jsonResponse(this.filesApi.list(r.query, ctx), r.headers);
      if (id !== undefined && sub === undefined && method === "GET") return async (ctx, r) => jsonResponse(this.filesApi.get(id, ctx), r.headers);
      if (id !== undefined && sub === undefined && method === "DELETE") return async (ctx, r) => jsonResponse(this.filesApi.delete(id, ctx), r.headers);
      if (id !== undefined && sub === "content" && method === "GET") return async (ctx) => this.filesApi.content(id, ctx);
    }
    throw notFound("Not Found");
  }
}

type Route = (ctx: RequestContext, r: { body: any; form: FormData | null; query: URLSearchParams; headers: Headers }) => Promise<Response>;

function bearer(authorization: string | null): string | null {
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match ? match[1]!.trim() : null;
}

async function readBody(request: Request): Promise<{ body: any; form: FormData | null; invalid?: string }> {
  if (request.method === "GET" || request.method === "HEAD" || request.body === null) return { body: null, form: null };
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await request.formData().catch(() => null);
    // Wording unverified (a malformed multipart upload).
    if (!form) return { body: null, form: null, invalid: "There was an error parsing the body of your request" };
    const file = form.get("file");
    const body = file && typeof file !== "string" ? { filename: file.name, mime_type: file.type, size_bytes: file.size } : {};
    return { body, form };
  }
  const text = await request.text();
  if (text === "") return { body: null, form: null };
  const parsed = parseJsonBody(text);
  return parsed.ok ? { body: parsed.value, form: null } : { body: null, form: null, invalid: parsed.message };
}
