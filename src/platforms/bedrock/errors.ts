import type { UpstreamResponse } from "../upstream";
import { anthropicErrorResponse, type AnthropicErrorType } from "../anthropic-shaped";

/**
 * A Bedrock error answer → the Anthropic error Anthropic's API would send for the same
 * cause, so the pool's rules (429 cools the member, 401/403 takes it out, 5xx fails over,
 * any other 4xx is the answer) and the client's error work unchanged. The exception name
 * comes from `x-amzn-errortype` (`ThrottlingException:http://…`) or the body's `__type`.
 */
export interface BedrockErrorContext {
  /** The Bedrock model id the request named (errors name it: it is what the operator looks up). */
  modelId: string;
  region: string;
  /** Which credential was used, for the message that tells the operator what to check. */
  auth: "sigv4" | "api_key";
}

export async function bedrockErrorResponse(res: UpstreamResponse, ctx: BedrockErrorContext): Promise<Response> {
  const text = await res.text().catch(() => "");
  let message = "";
  let bodyType = "";
  try {
    const body = JSON.parse(text) as { message?: unknown; Message?: unknown; __type?: unknown };
    const m = body.message ?? body.Message;
    if (typeof m === "string") message = m;
    if (typeof body.__type === "string") bodyType = body.__type;
  } catch {
    message = text.slice(0, 300).trim();
  }
  const name = exceptionName(res.headers.get("x-amzn-errortype") ?? bodyType) || `HTTP ${res.status}`;
  const requestId = res.headers.get("x-amzn-requestid");
  const headers: Record<string, string> = requestId ? { "request-id": requestId } : {};
  const [status, type, text2] = mapBedrockError(res.status, name, message || "(no message)", ctx);
  return anthropicErrorResponse(status, type, text2, headers);
}

/** `ValidationException:http://internal.amazon.com/coral/…` or `com.amazon.coral#ValidationException` → `ValidationException`. */
export function exceptionName(raw: string): string {
  return raw.split(":")[0]!.split("#").pop()!.trim();
}

export function mapBedrockError(status: number, name: string, message: string, ctx: BedrockErrorContext): [number, AnthropicErrorType, string] {
  const where = `Amazon Bedrock (${ctx.region}, model ${ctx.modelId})`;
  const credentials =
    ctx.auth === "api_key" ? "BEDROCK_API_KEY" : "BEDROCK_ACCESS_KEY_ID / BEDROCK_SECRET_ACCESS_KEY (and BEDROCK_SESSION_TOKEN if the keys are temporary)";
  switch (name) {
    case "ValidationException":
      // Kept verbatim: it is Anthropic's own message when the model refused the request
      // (`prompt is too long: …`, which the chat core's context trimming reads).
      return [400, "invalid_request_error", message];
    case "AccessDeniedException":
      return [
        403,
        "permission_error",
        `${where} denied access (AccessDeniedException: ${message.replace(/\.$/, "")}). Check ${credentials}, the IAM policy (bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on this model or inference profile) and the model's access in BEDROCK_REGION.`,
      ];
    case "UnrecognizedClientException":
    case "InvalidSignatureException":
    case "IncompleteSignatureException":
    case "MissingAuthenticationTokenException":
    case "ExpiredTokenException":
    case "InvalidClientTokenId":
      return [401, "authentication_error", `${where} refused the gateway's credentials (${name}: ${message}). Check ${credentials}.`];
    case "ResourceNotFoundException":
      return [404, "not_found_error", `model: ${ctx.modelId} is not available on ${where}: ${message}. Set BEDROCK_MODEL_PREFIX or MODEL_MAP to an id this account can invoke.`];
    case "ThrottlingException":
    case "ServiceQuotaExceededException":
      return [429, "rate_limit_error", `${where} throttled the request (${name}): ${message}`];
    case "ModelNotReadyException":
    case "ServiceUnavailableException":
      return [529, "overloaded_error", `${where} is unavailable (${name}): ${message}`];
    case "ModelTimeoutException":
      return [504, "timeout_error", `${where} timed out (${name}): ${message}`];
    case "ModelErrorException":
    case "ModelStreamErrorException":
    case "InternalServerException":
      return [500, "api_error", `${where} failed (${name}): ${message}`];
  }
  if (status === 401 || status === 403) return [status === 401 ? 401 : 403, status === 401 ? "authentication_error" : "permission_error", `${where} refused the request (${name}: ${message}). Check ${credentials}.`];
  if (status === 429) return [429, "rate_limit_error", `${where} throttled the request (${name}): ${message}`];
  if (status === 413) return [413, "request_too_large", `${where}: ${message}`];
  if (status >= 500) return [status === 503 ? 529 : 500, status === 503 ? "overloaded_error" : "api_error", `${where} failed (${name}): ${message}`];
  return [status >= 400 ? status : 500, "invalid_request_error", `${where}: ${name}: ${message}`];
}
