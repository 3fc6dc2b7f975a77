/**
 * One error type for everything the gateway answers with a non-2xx status. It is
 * rendered in OpenAI's shape by `openai/errors.ts`; `headers` carries things such as
 * `retry-after` that the client needs to act on.
 */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error"
  | "timeout_error"
  | "upstream_error"
  // A client key's limits, as OpenAI types them: a spent budget, and rate limits by what ran out.
  | "insufficient_quota"
  | "requests"
  | "tokens";

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAIErrorType = status >= 500 ? "api_error" : "invalid_request_error",
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

/** A 400 naming the offending field: the most common error the gateway raises. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null): GatewayError {
  return new GatewayError(400, message, "invalid_request_error", param, code);
}

/** Characters of a client's value that an error message quotes. */
export const QUOTE_LIMIT = 100;

/**
 * A client's value as an error message quotes it: whole when short, else its opening
 * and its length. An error names the problem; it need not echo a megabyte back.
 */
export function clip(value: string, max = QUOTE_LIMIT): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`;
}
