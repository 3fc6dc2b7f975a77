import type { UpstreamResponse } from "../upstream";
import { anthropicErrorResponse, type AnthropicErrorType } from "../anthropic-shaped";

/**
 * A Vertex AI error answer → Anthropic's. Errors from the model itself already come in
 * Anthropic's shape (`{"type":"error",…}`) and pass as they are; errors from Google's
 * front (quota, permissions, unknown model) come as `{"error":{"code","message","status"}}`
 * and are mapped with the status Anthropic would use for the same cause.
 */
export interface VertexErrorContext {
  modelId: string;
  project: string;
  region: string;
  clientEmail: string;
}

export async function vertexErrorResponse(res: UpstreamResponse, ctx: VertexErrorContext): Promise<Response> {
  const text = await res.text().catch(() => "");
  type ErrorBody = { type?: unknown; error?: { message?: unknown; status?: unknown } };
  const parsed = parseJson(text) as ErrorBody | ErrorBody[] | null;
  const requestId = res.headers.get("request-id") ?? res.headers.get("x-request-id");
  const headers: Record<string, string> = requestId ? { "request-id": requestId } : {};
  const retryAfter = res.headers.get("retry-after");
  if (retryAfter) headers["retry-after"] = retryAfter;
  // Google sometimes wraps errors in an array.
  const obj: ErrorBody | null | undefined = Array.isArray(parsed) ? parsed[0] : parsed;
  if (obj && !Array.isArray(parsed) && obj.type === "error") {
    return new Response(text, { status: res.status, headers: { "content-type": "application/json", ...headers } });
  }
  const message = typeof obj?.error?.message === "string" ? obj.error.message : text.slice(0, 300).trim() || "(no message)";
  const status = typeof obj?.error?.status === "string" ? obj.error.status : "";
  const [code, type, out] = mapVertexError(res.status, status, message, ctx);
  return anthropicErrorResponse(code, type, out, headers);
}

export function mapVertexError(httpStatus: number, googleStatus: string, message: string, ctx: VertexErrorContext): [number, AnthropicErrorType, string] {
  const where = `Vertex AI (project ${ctx.project}, ${ctx.region}, model ${ctx.modelId})`;
  switch (httpStatus) {
    case 400:
      return [400, "invalid_request_error", message];
    case 401:
      return [401, "authentication_error", `${where} refused the gateway's access token (${googleStatus || 401}: ${message}). Check VERTEX_SERVICE_ACCOUNT (${ctx.clientEmail}).`];
    case 403:
      return [
        403,
        "permission_error",
        `${where} denied access (${googleStatus || 403}: ${message}). Check that VERTEX_SERVICE_ACCOUNT (${ctx.clientEmail}) has aiplatform.endpoints.predict (roles/aiplatform.user) in VERTEX_PROJECT_ID, and that the model is enabled in Model Garden.`,
      ];
    case 404:
      return [404, "not_found_error", `model: ${ctx.modelId} is not available on ${where}: ${message}. Check VERTEX_REGION, or map the model with MODEL_MAP.`];
    case 413:
      return [413, "request_too_large", `${where}: ${message}`];
    case 429:
      return [429, "rate_limit_error", `${where} throttled the request (${googleStatus || 429}): ${message}`];
    case 503:
    case 529:
      return [529, "overloaded_error", `${where} is unavailable (${googleStatus || httpStatus}): ${message}`];
    case 504:
      return [504, "timeout_error", `${where} timed out (${googleStatus || 504}): ${message}`];
  }
  if (httpStatus >= 500) return [500, "api_error", `${where} failed (${googleStatus || httpStatus}): ${message}`];
  return [httpStatus, "invalid_request_error", `${where}: ${message}`];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // not JSON: a proxy's page
  }
}
