/**
 * What every platform adapter answers with when the platform itself refused: the error
 * body and status Anthropic's own /v1/messages would have sent for the same cause, so
 * that the pool's failover rules and the error mapping work for every platform alike.
 */
export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error"
  | "timeout_error";

export function anthropicErrorResponse(status: number, type: AnthropicErrorType, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: "error", error: { type, message } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * The error.type Anthropic's API would use for a status, for errors the gateway raises
 * itself on an Anthropic-format route (/v1/messages), whose clients parse Anthropic's shape.
 */
export function anthropicErrorTypeForStatus(status: number): AnthropicErrorType {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503: return "overloaded_error";
    case 504: return "timeout_error";
    default: return "api_error";
  }
}

/** The SSE event Anthropic sends when a stream fails after it started (`event: error`). */
export function sseErrorEvent(type: AnthropicErrorType, message: string): string {
  return `event: error\ndata: ${JSON.stringify({ type: "error", error: { type, message } })}\n\n`;
}

/** The gateway's own platforms, in the words the operator uses in POOL_ORDER and MODEL_MAP. */
export type PlatformName = "anthropic" | "bedrock" | "vertex";
