import { AwsV4Signer } from "aws4fetch";
import type { Upstream } from "../upstream";
import { anthropicErrorResponse } from "../anthropic-shaped";
import { fromPlatform, parseCallBody, readerOf, readerResponse, withHeaders, type AdapterResponse, type MessagesCall, type PlatformAdapter } from "../adapter";
import type { ModelMap } from "../model-map";
import { bedrockErrorResponse, type BedrockErrorContext } from "./errors";
import { bedrockStreamToSse } from "./event-stream";
import { bedrockEvents } from "./events";
import { bedrockModelId } from "./model-ids";
import { bedrockBody, bedrockDefaultBaseUrl, bedrockUrl } from "./request";

export type BedrockCredentials =
  | { kind: "sigv4"; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: "api_key"; apiKey: string };

export interface BedrockSettings {
  region: string;
  credentials: BedrockCredentials;
  /** Default: https://bedrock-runtime.{region}.amazonaws.com */
  baseUrl?: string;
  /** BEDROCK_MODEL_PREFIX (`global.`, `us.`, …, `none`); undefined = the default rule. */
  modelPrefix?: string;
  modelMap?: ModelMap;
}

/**
 * Claude on Amazon Bedrock (InvokeModel / InvokeModelWithResponseStream) behind the
 * Anthropic-shaped adapter interface. Requests are signed with SigV4 by aws4fetch's
 * signer alone (not its AwsClient, whose own retries would hide throttling from the pool),
 * or carry a Bedrock API key as a bearer token.
 */
export function createBedrockAdapter(settings: BedrockSettings, transport: Upstream): PlatformAdapter {
  const baseUrl = settings.baseUrl ?? bedrockDefaultBaseUrl(settings.region);
  const label = `Amazon Bedrock (${settings.region})`;
  // Derived signing keys, reused for the day they are valid (aws4fetch keys the cache by date/region/service).
  const signingKeys = new Map<string, ArrayBuffer>();

  const headersFor = async (url: string, payload: string, stream: boolean): Promise<Record<string, string>> => {
    const base: Record<string, string> = {
      "content-type": "application/json",
      accept: stream ? "application/vnd.amazon.eventstream" : "application/json",
    };
    const creds = settings.credentials;
    if (creds.kind === "api_key") return { ...base, authorization: `Bearer ${creds.apiKey}` };
    const signed = await new AwsV4Signer({
      method: "POST",
      url,
      headers: base,
      body: payload,
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      service: "bedrock",
      region: settings.region,
      cache: signingKeys,
    }).sign();
    const out: Record<string, string> = {};
    signed.headers.forEach((value, name) => void (out[name.toLowerCase()] = value));
    return out;
  };

  return {
    platform: "bedrock",
    label,
    // Bedrock's documented limit for an InvokeModel body.
    maxRequestBytes: 20 * 1024 * 1024,
    offers: (id) => bedrockModelId(id, settings.region, settings.modelPrefix, settings.modelMap) !== undefined,
    messages: async (call) => fromPlatform(await send(call), label),
  };

  async function send(call: MessagesCall): Promise<AdapterResponse> {
    const body = parseCallBody(call.body);
    if (body instanceof Response) return body;
    const requested = typeof body.model === "string" ? body.model : "";
    const choice = bedrockModelId(requested, settings.region, settings.modelPrefix, settings.modelMap);
    if (!choice) {
      return anthropicErrorResponse(
        404,
        "not_found_error",
        `model: ${requested} has no Amazon Bedrock id in the gateway's table; add one with MODEL_MAP ({"bedrock":{"${requested}":"<bedrock model id>"}}).`,
      );
    }
    const stream = body.stream === true;
    const url = bedrockUrl(baseUrl, choice.modelId, stream);
    const payload = bedrockBody(body, call.betas);
    const headers = await headersFor(url, payload, stream);
    const res = await transport(url, { method: "POST", headers, body: payload, signal: call.signal });
    const ctx: BedrockErrorContext = { modelId: choice.modelId, region: settings.region, auth: settings.credentials.kind };
    if (!res.ok) return bedrockErrorResponse(res, ctx);
    const requestId = res.headers.get("x-amzn-requestid");
    const idHeader: Record<string, string> = requestId ? { "request-id": requestId } : {};
    if (!stream) return withHeaders(res, idHeader);
    const reader = readerOf(res);
    if (!reader) return anthropicErrorResponse(500, "api_error", `${label} answered a streaming request with an empty body.`);
    // SSE for the /v1/messages passthrough; the chat core takes the events straight (no SSE hop).
    return readerResponse(200, { "content-type": "text/event-stream; charset=utf-8", ...idHeader }, bedrockStreamToSse(reader, label), () => bedrockEvents(reader, label));
  }
}
