import { GatewayError, invalidRequest } from "../errors";
import { AttachmentExtractor } from "../attachments/extract";
import { confineReferences } from "../attachments/confine";
import { AttachmentTable } from "../attachments/table";
import { discardRest, worthDraining } from "./discard-body";
import { concatBytes } from "../bytes";

/**
 * The 413 for a body above MAX_REQUEST_BYTES (`declared`: the content-length said so
 * before anything was read). Attachments above UPLOAD_THRESHOLD_BYTES stream out of the
 * body into the Files API, so the limit is on what a client may send, not on what
 * reaches Anthropic (whose own limit is 32 MB per request).
 */
export const tooLarge = (bytes: number, maxBytes: number, declared = false, limit = "MAX_REQUEST_BYTES") =>
  new GatewayError(
    413,
    `Request body too large: ${declared ? "content-length declares " : "at least "}${bytes} bytes; this gateway accepts at most ${maxBytes} bytes here (${limit}).`,
    "invalid_request_error",
    null,
    "request_too_large",
  );

/** Reads a JSON request body; malformed JSON is the client's 400, with the parser's reason. */
async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  // A declared length within the limit bounds the body (the runtime holds the client to
  // it): the native text() is the fastest read there is. Without one, count as it comes.
  if ((await declaredLength(req, maxBytes)) > 0 || !req.body) return parseJson(await req.text());
  return parseJson(new TextDecoder().decode(await readBodyBytes(req, maxBytes)));
}

/**
 * The raw body bytes, at most `maxBytes` of them (a declared or a counted excess is a
 * 413 naming `limit`, after the rest was drained: see eachChunk).
 */
export async function readBodyBytes(req: Request, maxBytes: number, limit?: string): Promise<Uint8Array> {
  const declared = await declaredLength(req, maxBytes, limit);
  if (declared > 0 || !req.body) return new Uint8Array(await req.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  await eachChunk(req.body, (chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(total, maxBytes, false, limit);
    chunks.push(chunk.slice());
  });
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
}

/**
 * A multipart body (POST /v1/files) within `maxBytes`; null when it is not multipart form
 * data. A chunked upload is counted as it arrives, then parsed from the bytes.
 */
export async function readFormData(req: Request, maxBytes: number): Promise<FormData | null> {
  const declared = await declaredLength(req, maxBytes);
  const parse = (r: Request | Response) => r.formData().catch(() => null);
  if (declared > 0 || !req.body) return parse(req);
  const bytes = await readBodyBytes(req, maxBytes);
  return parse(new Response(bytes, { headers: { "content-type": req.headers.get("content-type") ?? "" } }));
}

/**
 * A JSON body whose large base64 data URLs (decoded size above `minBytes`) are decoded
 * while the body streams in and replaced by references into the returned table (see
 * AttachmentExtractor): a 20 MB PDF is then held once, as its bytes, instead of as body
 * bytes, body text, parsed string and decoded bytes at the same time. A body too small to
 * hold such an attachment is read as text, as by readJsonBody.
 */
export async function readJsonBodyWithAttachments(req: Request, minBytes: number, maxBytes: number): Promise<{ json: unknown; attachments: AttachmentTable }> {
  const declared = await declaredLength(req, maxBytes);
  if (!req.body || !mayHoldAttachment(declared, minBytes)) {
    return { json: await readJsonBody(req, maxBytes), attachments: new AttachmentTable() };
  }
  const body = req.body;
  return extractAttachments((use) => eachChunk(body, use), declared, minBytes, maxBytes);
}

/** False when a body of this declared size (0 = unknown) cannot hold an attachment of `minBytes`. */
export function mayHoldAttachment(declared: number, minBytes: number): boolean {
  return Number.isFinite(minBytes) && !(declared > 0 && declared <= (minBytes * 4) / 3);
}

/**
 * The body, read chunk by chunk from any source (`each` calls `use` with every chunk, valid
 * during the call only), with its large data URLs decoded on the way (see readJsonBodyWithAttachments).
 */
export async function extractAttachments(each: (use: (chunk: Uint8Array) => void) => Promise<void>, declared: number, minBytes: number, maxBytes: number): Promise<{ json: unknown; attachments: AttachmentTable }> {
  const extractor = new AttachmentExtractor({ minBytes, ...(declared > 0 ? { expectedBytes: declared } : {}) });
  let total = 0;
  await each((chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(total, maxBytes);
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
 * workerd otherwise hands out a fresh 4 KB buffer per read, and a large body leaves
 * its whole size in garbage chunks behind (bench/RESULTS.md has the figures). Node's
 * request stream is not a byte stream and gets the default reader.
 *
 * When `use` refuses the body (a GatewayError: too large, say), the rest is read and
 * thrown away within bounds (discard-body.ts) before the error is answered, so that a
 * client still sending can read it; cancelling closed the connection under it.
 */
async function eachChunk(body: ReadableStream<Uint8Array>, use: (chunk: Uint8Array) => void): Promise<void> {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = undefined;
  }
  const reader = byob ?? body.getReader();
  let scratch = new ArrayBuffer(64 * 1024);
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = byob ? await byob.read(new Uint8Array(scratch)) : await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      throw e;
    }
    const { done, value } = step;
    if (done || !value) break;
    try {
      use(value);
    } catch (e) {
      if (e instanceof GatewayError) await discardRest(reader);
      else await reader.cancel().catch(() => undefined);
      throw e;
    }
    if (byob) scratch = value.buffer as ArrayBuffer;
  }
}

/** The declared content-length (0 when absent); a declared size above the limit is refused unread, and drained when that is reasonable. */
async function declaredLength(req: Request, maxBytes: number, limit?: string): Promise<number> {
  const declared = Number(req.headers.get("content-length") ?? "0") || 0;
  if (declared > maxBytes) {
    if (worthDraining(declared)) await discardRest(req.body);
    else await req.body?.cancel().catch(() => undefined);
    throw tooLarge(declared, maxBytes, true, limit);
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
