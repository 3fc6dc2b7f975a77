import type { Upstream, UpstreamResponse } from "../upstream";
import { anthropicErrorResponse } from "../anthropic-shaped";
import { fromPlatform, parseCallBody, withHeaders, type MessagesCall, type PlatformAdapter } from "../adapter";
import type { ModelMap } from "../model-map";
import { vertexErrorResponse, type VertexErrorContext } from "./errors";
import { vertexModelId } from "./model-ids";
import type { ServiceAccount } from "./service-account";
import { AccessTokenSource, TokenError } from "./token";

export const VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16";

export interface VertexSettings {
  account: ServiceAccount;
  /** VERTEX_PROJECT_ID, else the key's project_id. */
  project: string;
  /** VERTEX_REGION: `global` (default), `us`, `eu`, or a region such as `europe-west1`. */
  region: string;
  baseUrl?: string;
  modelMap?: ModelMap;
}

/** The endpoint Google documents for a region: the global host, the multi-region `rep` hosts, or `{region}-aiplatform`. */
export function vertexDefaultBaseUrl(region: string): string {
  if (region === "global") return "https://aiplatform.googleapis.com";
  if (region === "us" || region === "eu") return `https://aiplatform.${region}.rep.googleapis.com`;
  return `https://${region}-aiplatform.googleapis.com`;
}

export function vertexUrl(baseUrl: string, project: string, region: string, modelId: string, stream: boolean): string {
  return `${baseUrl.replace(/\/+$/, "")}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(region)}/publishers/anthropic/models/${encodeURIComponent(modelId).replace(/%40/g, "@")}:${stream ? "streamRawPredict" : "rawPredict"}`;
}

/** The Messages body without `model` (it is in the URL), with Vertex's version in the body; `stream` stays. */
export function vertexBody(body: Record<string, unknown>): string {
  const { model: _model, ...rest } = body;
  return JSON.stringify({ ...rest, anthropic_version: VERTEX_ANTHROPIC_VERSION });
}

/**
 * Claude on Google Vertex AI (rawPredict / streamRawPredict) behind the Anthropic-shaped
 * adapter interface. Its answers are Anthropic's own JSON and SSE, so only errors from
 * Google's front and the access token need work here.
 */
export function createVertexAdapter(settings: VertexSettings, transport: Upstream, tokens = new AccessTokenSource(settings.account, transport)): PlatformAdapter {
  const baseUrl = settings.baseUrl ?? vertexDefaultBaseUrl(settings.region);
  const label = `Vertex AI (${settings.project}, ${settings.region})`;
  return {
    platform: "vertex",
    label,
    // Vertex AI's request size limit for Claude (rawPredict).
    maxRequestBytes: 30 * 1024 * 1024,
    offers: (id) => vertexModelId(id, settings.modelMap) !== undefined,
    messages: async (call) => fromPlatform(await send(call), label),
  };

  async function send(call: MessagesCall): Promise<UpstreamResponse> {
    const body = parseCallBody(call.body);
    if (body instanceof Response) return body;
    const requested = typeof body.model === "string" ? body.model : "";
    const modelId = vertexModelId(requested, settings.modelMap);
    if (!modelId) {
      return anthropicErrorResponse(404, "not_found_error", `model: ${requested} has no Vertex AI id in the gateway's table; add one with MODEL_MAP ({"vertex":{"${requested}":"<vertex model id>"}}).`);
    }
    let token: string;
    try {
      token = await tokens.get(call.signal);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error; // network failure or abort: the transport's kind of failure
      const message = `${label}: ${error.message}. Check VERTEX_SERVICE_ACCOUNT.`;
      if (error.kind === "refused") return anthropicErrorResponse(401, "authentication_error", message);
      if (error.kind === "rate_limited") return anthropicErrorResponse(429, "rate_limit_error", message);
      return anthropicErrorResponse(500, "api_error", message);
    }
    const stream = body.stream === true;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    if (call.betas.length) headers["anthropic-beta"] = [...new Set(call.betas)].join(",");
    const url = vertexUrl(baseUrl, settings.project, settings.region, modelId, stream);
    const res = await transport(url, { method: "POST", headers, body: vertexBody(body), signal: call.signal });
    if (!res.ok) {
      if (res.status === 401) tokens.invalidate();
      const ctx: VertexErrorContext = { modelId, project: settings.project, region: settings.region, clientEmail: settings.account.client_email };
      return vertexErrorResponse(res, ctx);
    }
    return stream ? withHeaders(res, { "content-type": "text/event-stream; charset=utf-8" }) : res;
  }
}
