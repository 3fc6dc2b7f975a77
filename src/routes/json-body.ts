import { GatewayError, invalidRequest } from "../errors";

/**
 * Anthropic's own request limit. A larger body could not be sent upstream whole, and
 * reading it would use most of a Worker's 128 MB just to refuse it later.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

const tooLarge = (bytes: number) =>
  new GatewayError(413, `Request body too large: ${bytes} bytes > ${MAX_BODY_BYTES} bytes (32 MB, the Anthropic API's limit).`, "invalid_request_error", null, "request_too_large");

/** Reads a JSON request body; malformed JSON is the client's 400, with the parser's reason. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    await req.body?.cancel().catch(() => undefined);
    throw tooLarge(declared);
  }
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge(text.length);
  if (!text.trim()) throw invalidRequest("The request body is empty; expected a JSON object.", null, "invalid_json");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidRequest(`The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, null, "invalid_json");
  }
}
