import { GatewayError } from "../errors";
import { redactSecrets } from "../log";

/**
 * Renders any error as OpenAI's `{error:{message,type,param,code}}` with
 * `Content-Type: application/json` (never text/event-stream: Open WebUI and NextChat
 * would take it for a stream). Unknown errors become a 500 that says so without
 * leaking internals.
 */
export function errorResponse(err: unknown, extraHeaders: Record<string, string> = {}): Response {
  const { status, headers, body } = errorReply(err, extraHeaders);
  return new Response(body, { status, headers });
}

/** errorResponse as plain data, for the Node server's direct path. */
export function errorReply(err: unknown, extraHeaders: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: string } {
  const e =
    err instanceof GatewayError
      ? err
      : new GatewayError(500, "The gateway hit an internal error while handling this request. It has been logged.", "api_error", null, "internal_error");
  const body = {
    error: {
      message: redactSecrets(e.message),
      type: e.type,
      param: e.param,
      code: e.code,
    },
  };
  return { status: e.status, headers: { "content-type": "application/json", ...e.headers, ...extraHeaders }, body: JSON.stringify(body) };
}
