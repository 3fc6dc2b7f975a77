/** An Anthropic error answer, thrown anywhere below a route and rendered once by the router. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string): ApiError => new ApiError(400, "invalid_request_error", message);
export const notFound = (message: string): ApiError => new ApiError(404, "not_found_error", message);

/** The error.type Anthropic uses for each status (docs, errors page). */
export function errorTypeForStatus(status: number): string {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 409: return "conflict_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 504: return "timeout_error";
    case 529: return "overloaded_error";
    default: return "api_error";
  }
}

/** The SDKs obey x-should-retry before the status, so it must match their own policy. */
export function shouldRetry(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
