import { GatewayError } from "../../errors";
import type { AnthropicErrorBody } from "./types";
import type { UpstreamHeaders, UpstreamResponse } from "../upstream";

/**
 * Maps a non-2xx Anthropic answer to the error the client sees, keeping its truth:
 * the status class, Anthropic's own message, and the hints a client acts on
 * (retry-after). Problems with the gateway's own key are the operator's to fix, so
 * they become a 502 that says so and tells SDKs not to retry.
 */
export async function upstreamError(res: UpstreamResponse): Promise<GatewayError> {
  const text = await res.text().catch(() => "");
  let upstreamType = "";
  let message = "";
  try {
    const body = JSON.parse(text) as Partial<AnthropicErrorBody>;
    upstreamType = body.error?.type ?? "";
    message = body.error?.message ?? "";
  } catch {
    message = text.slice(0, 300).trim();
  }
  return mapUpstreamError(res.status, upstreamType, message, res.headers);
}

export function mapUpstreamError(status: number, upstreamType: string, message: string, headers: UpstreamHeaders): GatewayError {
  const detail = message || `HTTP ${status} with no error message`;
  const hints: Record<string, string> = {};
  const requestId = headers.get("request-id");
  if (requestId) hints["x-upstream-request-id"] = requestId;
  const retryAfter = headers.get("retry-after");
  // Set by the Bedrock and Vertex adapters: their messages already name the settings to check.
  const platform = headers.get("x-claude2api-platform");
  const api = platform ?? "the Anthropic API";
  const Api = platform ?? "The Anthropic API";

  switch (status) {
    case 400:
    case 422:
      return new GatewayError(400, detail, "invalid_request_error", null, /prompt is too long/i.test(detail) ? "context_length_exceeded" : null, hints);
    case 401:
    case 403:
    case 402:
      return new GatewayError(
        502,
        platform
          ? `The gateway's credentials for ${platform} were refused (${status} ${upstreamType || "error"}): ${detail} This is a server configuration problem.`
          : `The gateway's upstream Anthropic key was refused (${status} ${upstreamType || "error"}: ${detail}). ` +
            `This is a server configuration problem: the operator must check ANTHROPIC_API_KEYS.`,
        "upstream_error",
        null,
        status === 402 ? "upstream_billing_error" : "upstream_auth_error",
        { ...hints, "x-should-retry": "false" },
      );
    case 407:
      // Only an outbound proxy answers 407 (HTTP_PROXY / PROXY for an http upstream). Passed
      // through, it would read as the client's own proxy failing (fetch turns it into a
      // network error), when it is the operator's proxy setting.
      return new GatewayError(
        502,
        `The gateway's outbound proxy refused its credentials (407: ${detail}). This is a server configuration problem: the operator must check the user and password in HTTP_PROXY / HTTPS_PROXY / PROXY.`,
        "upstream_error",
        null,
        "proxy_auth_error",
        { ...hints, "x-should-retry": "false" },
      );
    case 404:
      return new GatewayError(404, detail, "not_found_error", "model", /^model:/.test(detail) ? "model_not_found" : "not_found", hints);
    case 409:
      return new GatewayError(409, detail, "invalid_request_error", null, "conflict", hints);
    case 413:
      return new GatewayError(413, platform ? `Request too large for ${platform}: ${detail}` : `Request too large for the Anthropic API (32 MB limit): ${detail}`, "invalid_request_error", null, "request_too_large", hints);
    case 429:
      return new GatewayError(429, `Rate limited by ${api}: ${detail}`, "rate_limit_error", null, "rate_limit_exceeded", {
        ...hints,
        ...(retryAfter ? { "retry-after": retryAfter } : {}),
      });
    case 504:
      return new GatewayError(504, `${Api} timed out (${detail}). Consider streaming for long answers.`, "timeout_error", null, "upstream_timeout", hints);
    case 503:
    case 529:
      return new GatewayError(503, `${Api} is overloaded (${upstreamType || status}): ${detail}. Retry shortly.`, "overloaded_error", null, "overloaded", {
        ...hints,
        ...(retryAfter ? { "retry-after": retryAfter } : {}),
      });
    default:
      if (status >= 500) return new GatewayError(502, `${Api} failed (${status} ${upstreamType || "error"}): ${detail}`, "upstream_error", null, "upstream_error", hints);
      return new GatewayError(status, detail, "invalid_request_error", null, upstreamType || null, hints);
  }
}

/** Network failure or timeout talking to the upstream, before any answer arrived. */
export function upstreamUnreachable(cause: unknown, baseUrl: string, timedOut: boolean): GatewayError {
  if (timedOut) {
    return new GatewayError(504, `No answer from the Anthropic API at ${baseUrl} within the gateway's timeout (UPSTREAM_TIMEOUT_MS).`, "timeout_error", null, "upstream_timeout");
  }
  const why = cause instanceof Error ? cause.message : String(cause);
  return new GatewayError(502, `Could not reach the Anthropic API at ${baseUrl}: ${why}`, "upstream_error", null, "upstream_unreachable");
}
