import { GatewayError, invalidRequest } from "../errors";
import { AttachmentExtractor } from "../attachments/extract";
import { confineReferences } from "../attachments/confine";
import { AttachmentTable } from "../attachments/table";

/**
 * Anthropic's own request limit. A larger body could not be sent upstream whole, and
 * reading it would use most of a Worker's 128 MB just to refuse it later.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export const tooLarge = (bytes: number) =>
  new GatewayError(413, `Request body too large: ${bytes} bytes > ${MAX_BODY_BYTES} bytes (32 MB, the Anthropic API's limit).`, "invalid_request_error", null, "request_too_large");

/** Reads a JSON request body; malformed JSON is the client's 400, with the parser's reason. */
async function readJsonBody(req: Request): Promise<unknown> {
  await declaredLength(req);
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge(text.length);
  return parseJson(text);
}

/**
 * A JSON body whose large base64 data URLs (decoded size above `minBytes`) are decoded
 * while the body streams in and replaced by references into the returned table (see
 * AttachmentExtractor): a 20 MB PDF is then held once, as its bytes, instead of as body
 * bytes, body text, parsed string and decoded bytes at the same time. A body too small to
 * hold such an attachment is read as text, as by readJsonBody.
 */
export async function readJsonBodyWithAttachments(req: Request, minBytes: number): Promise<{ json: unknown; attachments: AttachmentTable }> {
  const declared = await declaredLength(req);
  if (!req.body || !mayHoldAttachment(declared, minBytes)) {
    return { json: await readJsonBody(req), attachments: new AttachmentTable() };
  }
  const body = req.body;
  return extractAttachments((use) => eachChunk(body, use), declared, minBytes);
}

/** False when a body of this declared size (0 = unknown) cannot hold an attachment of `minBytes`. */
export function mayHoldAttachment(declared: number, minBytes: number): boolean {
  return Number.isFinite(minBytes) && !(declared > 0 && declared <= (minBytes * 4) / 3);
}

/**
 * The body, read chunk by chunk from any source (`each` calls `use` with every chunk, valid
 * during the call only), with its large data URLs decoded on the way (see readJsonBodyWithAttachments).
 */
export async function extractAttachments(each: (use: (chunk: Uint8Array) => void) => Promise<void>, declared: number, minBytes: number): Promise<{ json: unknown; attachments: AttachmentTable }> {
  const extractor = new AttachmentExtractor({ minBytes, ...(declared > 0 ? { expectedBytes: declared } : {}) });
  let total = 0;
  await each((chunk) => {
    total += chunk.byteLength;
    if (total > MAX_BODY_BYTES) throw tooLarge(total);
    extractor.push(chunk);
  });
  const { text, attachments } = extractor.finish();
  const json = parseJson(text);
  confineReferences(json, attachments);
  return { json, attachments };
}

/**
 * Calls `use` with each chunk of the body; a chunk is only valid during the call. Where
 * the stream is a byte stream (workerd) one 64 KB buffer is read into again and again:
 * workerd otherwise hands out a fresh 4 KB buffer per read, and a 26 MB body left
 * 26 MB of garbage chunks behind (measured: +26.7 MB peak against +1.3 MB). Node's
 * request stream is not a byte stream and gets the default reader.
 */
async function eachChunk(body: ReadableStream<Uint8Array>, use: (chunk: Uint8Array) => void): Promise<void> {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = undefined;
  }
  const reader = byob ?? body.getReader();
  try {
    let scratch = new ArrayBuffer(64 * 1024);
    for (;;) {
      const { done, value } = byob ? await byob.read(new Uint8Array(scratch)) : await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      if (done || !value) break;
      use(value);
      if (byob) scratch = value.buffer as ArrayBuffer;
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  }
}

/** The declared content-length (0 when absent); a declared size above the limit is refused unread. */
async function declaredLength(req: Request): Promise<number> {
  const declared = Number(req.headers.get("content-length") ?? "0") || 0;
  if (declared > MAX_BODY_BYTES) {
    await req.body?.cancel().catch(() => undefined);
    throw tooLarge(declared);
  }
  return declared;
}

export function parseJson(text: string): unknown {
  if (!text.trim()) throw invalidRequest("The request body is empty; expected a JSON object.", null, "invalid_json");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidRequest(`The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, null, "invalid_json");
  }
}
