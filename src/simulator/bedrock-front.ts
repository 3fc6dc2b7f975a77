import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { ApiError } from "./api-error";
import { chunkFrame, exceptionFrame } from "./event-stream";
import { isWebToolType, toolTags, unknownToolTag } from "./server-tools";
import { readSseEvents } from "./sse-reader";
import type { RequestContext } from "./request-context";

/**
 * The Amazon Bedrock front of the simulator: InvokeModel and
 * InvokeModelWithResponseStream for Claude (§9.2 of the reference), in front of the same
 * Messages behaviour as the Anthropic front. It checks a SigV4 signature by recomputing
 * it with AWS's own signer (independently of whatever signed the request), or a Bedrock
 * API key; refuses what Bedrock refuses (`model`/`stream` in the body, a missing
 * `anthropic_version`, Files API sources, web search and fetch); answers with AWS-style errors
 * (`x-amzn-errortype`, `{"message"}`) and streams in the binary event stream.
 */
export interface BedrockFrontOptions {
  /** IAM credentials accepted. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }[];
  /** Bedrock API keys accepted (bearer). */
  apiKeys?: string[];
  /** The region (or regions) the front pretends to be (signatures must be scoped to one). Default us-east-1. */
  region?: string | readonly string[];
}

export type CreateMessage = (body: any, ctx: RequestContext, headers: Headers) => Promise<Response>;

const PROFILES = new Set(["global", "us", "eu", "apac", "jp", "au", "us-gov", "ca"]);
const MAX_SKEW_MS = 5 * 60_000;

export class BedrockFront {
  constructor(
    private readonly options: BedrockFrontOptions,
    private readonly create: CreateMessage,
  ) {}

  static matches(path: string): boolean {
    return path.startsWith("/model/");
  }

  /** The identity the request was made with (for faults and prompt caching), or an error answer. */
  async handle(request: Request, raw: Uint8Array, record: (body: unknown, identity: string | null) => void): Promise<Response> {
    const url = new URL(request.url);
    const requestId = crypto.randomUUID();
    const parts = url.pathname.split("/");
    // /model/{modelId}/{operation}
    const operation = parts[3];
    let modelId = "";
    try {
      modelId = decodeURIComponent(parts[2] ?? "");
    } catch {
      // answered below as an unknown operation
    }
    let body: any = null;
    const text = new TextDecoder().decode(raw);
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = undefined;
    }
    let identity: string | null = null;
    try {
      if (request.method !== "POST" || parts.length !== 4 || !modelId || (operation !== "invoke" && operation !== "invoke-with-response-stream")) {
        throw awsError(404, "UnknownOperationException", "");
      }
      identity = await this.authenticate(request, url, raw);
      record(body, identity);
      const anthropicModel = anthropicIdOf(modelId);
      if (!anthropicModel) throw awsError(400, "ValidationException", "The provided model identifier is invalid.");
      const anthropicBody = toAnthropicBody(body, anthropicModel, operation === "invoke-with-response-stream");
      const betas = new Set<string>(Array.isArray(body.anthropic_beta) ? body.anthropic_beta.map(String) : []);
      // `platform` refuses `file` sources as Bedrock's schema does (there is no Files API).
      const ctx: RequestContext = { apiKey: identity, version: "2023-06-01", betas, signal: request.signal, platform: "bedrock" };
      let answer: Response;
      try {
        answer = await this.create(anthropicBody, ctx, new Headers());
      } catch (err) {
        if (err instanceof ApiError) throw fromAnthropicError(err.status, err.type, err.message);
        throw err; // a network fault: the connection fails
      }
      const headers = new Headers({ "x-amzn-requestid": requestId });
      if (operation === "invoke") {
        const message = (await answer.json()) as any;
        message.id = String(message.id).replace(/^msg_/, "msg_bdrk_");
        headers.set("content-type", "application/json");
        headers.set("x-amzn-bedrock-input-token-count", String(message.usage?.input_tokens ?? 0));
        headers.set("x-amzn-bedrock-output-token-count", String(message.usage?.output_tokens ?? 0));
        return new Response(JSON.stringify(message), { status: 200, headers });
      }
      headers.set("content-type", "application/vnd.amazon.eventstream");
      headers.set("x-amzn-bedrock-content-type", "application/json");
      return new Response(eventStreamOf(answer.body!), { status: 200, headers });
    } catch (err) {
      if (err instanceof AwsError) {
        if (identity === null) record(body, null);
        return new Response(JSON.stringify({ message: err.message }), {
          status: err.status,
          headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": `${err.name}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
        });
      }
      throw err;
    }
  }

  /** SigV4 (recomputed with AWS's signer) or a Bedrock API key; returns the identity. */
  private async authenticate(request: Request, url: URL, raw: Uint8Array): Promise<string> {
    const authorization = request.headers.get("authorization") ?? "";
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
    if (bearer) {
      const key = bearer[1]!.trim();
      if (!(this.options.apiKeys ?? []).includes(key)) throw awsError(403, "AccessDeniedException", "Authentication failed: Please make sure your API Key is valid.");
      return key;
    }
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!m) throw awsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    const [, accessKeyId, day, region, service, signedHeaders, signature] = m as unknown as string[];
    const creds = (this.options.credentials ?? []).find((c) => c.accessKeyId === accessKeyId);
    if (!creds) throw awsError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    const regions = this.options.region ?? "us-east-1";
    const regionOk = typeof regions === "string" ? region === regions : regions.includes(region!);
    if (service !== "bedrock") throw awsError(403, "InvalidSignatureException", `Credential should be scoped to correct service: 'bedrock'.`);
    if (!regionOk) throw awsError(403, "InvalidSignatureException", `Credential should be scoped to a valid region. `);
    if (creds.sessionToken !== undefined && request.headers.get("x-amz-security-token") !== creds.sessionToken) {
      throw awsError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    const amzDate = request.headers.get("x-amz-date") ?? "";
    const date = parseAmzDate(amzDate);
    if (!date || amzDate.slice(0, 8) !== day) throw awsError(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    if (Math.abs(Date.now() - date.getTime()) > MAX_SKEW_MS) throw awsError(403, "InvalidSignatureException", `Signature expired: ${amzDate} is now earlier than the allowed window.`);

    const names = signedHeaders!.split(";");
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = name === "host" ? (request.headers.get("host") ?? url.host) : request.headers.get(name);
      if (value === null) throw awsError(403, "InvalidSignatureException", `The request signature we calculated does not match the signature you provided (signed header ${name} is missing).`);
      headers[name] = value;
    }
    const signer = new SignatureV4({ credentials: creds, region: region!, service: "bedrock", sha256: Sha256, applyChecksum: false });
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => void (query[k] = v));
    const signed = await signer.sign(
      { method: request.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers, body: raw },
      { signingDate: date },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers["authorization"] ?? signed.headers["Authorization"]))?.[1];
    if (expected !== signature) {
      throw awsError(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    return accessKeyId!;
  }
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

function awsError(status: number, name: string, message: string): AwsError {
  return new AwsError(status, name, message);
}

/** `global.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5-20250929`; undefined when it is not a Claude id. */
export function anthropicIdOf(modelId: string): string | undefined {
  let id = modelId;
  const dot = id.indexOf(".");
  if (dot > 0 && PROFILES.has(id.slice(0, dot))) id = id.slice(dot + 1);
  if (!id.startsWith("anthropic.claude-")) return undefined;
  return id.slice("anthropic.".length).replace(/-v\d+(:\d+)?$/, "");
}

/** Bedrock's closed schema, then the Anthropic body the Messages behaviour expects. */
function toAnthropicBody(body: any, model: string, stream: boolean): any {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw awsError(400, "ValidationException", "Malformed input request, please reformat your input and try again.");
  }
  // Bedrock's JSON-schema check: recorded refusals of Claude bodies lead with the schema's
  // legacy-branch failure (sigoden/aichat#543: `…{"required":["messages"]}#: extraneous key
  // [stream] is not permitted, please reformat…`; pingcap/autoflow#574).
  const schema = 'Malformed input request: #: subject must not be valid against schema {"required":["messages"]}';
  for (const key of ["model", "stream"]) {
    if (key in body) throw awsError(400, "ValidationException", `${schema}#: extraneous key [${key}] is not permitted, please reformat your input and try again.`);
  }
  if (body.anthropic_version === undefined) throw awsError(400, "ValidationException", `${schema}#: required key [anthropic_version] not found, please reformat your input and try again.`);
  if (body.anthropic_version !== "bedrock-2023-05-31") throw awsError(400, "ValidationException", `Invalid API version: ${String(body.anthropic_version)}`);
  // Bedrock's Claude schema has no web tools: the same tagged-union refusal the API gives for
  // any tool type it does not know, passed through as a ValidationException.
  if (Array.isArray(body.tools)) {
    body.tools.forEach((t: any, i: number) => {
      if (isWebToolType(t?.type)) throw awsError(400, "ValidationException", unknownToolTag(i, t.type, toolTags("bedrock")).message);
    });
  }
  const { anthropic_version: _v, anthropic_beta: _b, ...rest } = body;
  return { ...rest, model, ...(stream ? { stream: true } : {}) };
}

/** An Anthropic error of the Messages behaviour as Bedrock reports it (status and exception name). */
function fromAnthropicError(status: number, type: string, message: string): AwsError {
  switch (status) {
    case 400:
    case 413:
      return awsError(400, "ValidationException", message);
    case 401:
    case 403:
      return awsError(403, "AccessDeniedException", message);
    case 404:
      return awsError(404, "ResourceNotFoundException", message);
    case 429:
      return awsError(429, "ThrottlingException", "Too many requests, please wait before trying again.");
    case 504:
      return awsError(408, "ModelTimeoutException", message);
    case 503:
    case 529:
      return awsError(503, "ServiceUnavailableException", type === "overloaded_error" ? "Bedrock is unable to process your request." : message);
    default:
      return awsError(500, "InternalServerException", message);
  }
}

const STREAM_EXCEPTIONS: Record<string, string> = {
  rate_limit_error: "throttlingException",
  overloaded_error: "serviceUnavailableException",
  invalid_request_error: "validationException",
  timeout_error: "modelTimeoutException",
};

/** The Messages SSE stream re-framed as Bedrock's event stream (no `ping`, as captured from Bedrock). */
function eventStreamOf(sse: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const events = readSseEvents(sse);
  const started = Date.now();
  let firstByteLatency = 0;
  let inputTokenCount = 0;
  let outputTokenCount = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = await events.next().catch((error: unknown) => ({ error }));
        if ("error" in next) {
          controller.error(next.error);
          return;
        }
        if (next.done) {
          controller.close();
          return;
        }
        const { event, data } = next.value;
        if (event === "ping") continue;
        if (event === "error") {
          const error = (JSON.parse(data) as { error?: { type?: string; message?: string } }).error ?? {};
          controller.enqueue(exceptionFrame(STREAM_EXCEPTIONS[error.type ?? ""] ?? "internalServerException", error.message ?? "Internal error"));
          controller.close();
          return;
        }
        const parsed = JSON.parse(data) as any;
        if (parsed.type === "message_start") {
          parsed.message.id = String(parsed.message.id).replace(/^msg_/, "msg_bdrk_");
          firstByteLatency = Date.now() - started;
          inputTokenCount = parsed.message.usage?.input_tokens ?? 0;
        }
        if (parsed.type === "message_delta") outputTokenCount = parsed.usage?.output_tokens ?? outputTokenCount;
        if (parsed.type === "message_stop") {
          parsed["amazon-bedrock-invocationMetrics"] = { inputTokenCount, outputTokenCount, invocationLatency: Date.now() - started, firstByteLatency };
        }
        controller.enqueue(chunkFrame(JSON.stringify(parsed)));
        return;
      }
    },
    cancel: (reason) => events.return?.(reason).then(() => undefined),
  });
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}
