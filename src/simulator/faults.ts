import { ApiError, errorTypeForStatus } from "./api-error";
import { ORGANIZATION_ID } from "./http";
import type { MidStreamFault } from "./sse";

export type Fault =
  | { status: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503 | 504 | 529; retryAfterSeconds?: number; message?: string; times?: number }
  | { kind: "network"; times?: number }
  | { kind: "drop-mid-stream"; afterEvents: number; times?: number }
  | { kind: "error-mid-stream"; afterEvents: number; errorType?: string; times?: number }
  | { kind: "delay"; ms: number; times?: number };

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Invalid request",
  401: "invalid x-api-key",
  403: "Your API key does not have permission to use the specified resource.",
  404: "Not found",
  413: "Request exceeds the maximum allowed number of bytes.",
  // Verbatim from a real 429 (reference §4), with this simulator's organization id.
  429: `This request would exceed the rate limit for your organization (${ORGANIZATION_ID}) of 80,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.`,
  500: "Internal server error",
  503: "Service unavailable",
  504: "Request timed out. Consider using streaming.",
  529: "Overloaded",
};

const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function faultError(fault: Extract<Fault, { status: number }>): ApiError {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined || fault.status === 429) {
    headers["retry-after"] = String(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
  }
  return new ApiError(fault.status, errorTypeForStatus(fault.status), fault.message ?? DEFAULT_MESSAGES[fault.status] ?? "Error", headers);
}

interface Entry {
  apiKey: string;
  fault: Fault;
  remaining: number;
}

/** Faults by API key, consumed in the order they were added. */
export class FaultBook {
  private entries: Entry[] = [];

  add(apiKey: string, fault: Fault): void {
    this.entries.push({ apiKey, fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * The next fault for this key. Mid-stream faults only make sense for a stream, so a
   * non-streaming request leaves them in place for the next one.
   */
  take(apiKey: string, streaming: boolean): Fault | undefined {
    const entry = this.entries.find((e) => (e.apiKey === "*" || e.apiKey === apiKey) && (streaming || !isMidStream(e.fault)));
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.entries.splice(this.entries.indexOf(entry), 1);
    return entry.fault;
  }
}

export function isMidStream(fault: Fault): fault is Fault & MidStreamFault {
  return "kind" in fault && (fault.kind === "drop-mid-stream" || fault.kind === "error-mid-stream");
}
