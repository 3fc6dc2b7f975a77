/**
 * The request body on the Node server's direct path, read from node:http's own stream:
 * the same limits, errors and attachment extraction as readJsonBodyWithAttachments
 * (src/http/json-body.ts), without a web stream in between.
 */
import { Buffer } from "node:buffer";
import type { IncomingMessage } from "node:http";
import { AttachmentTable } from "../attachments/table";
import { GatewayError } from "../errors";
import { utf8Text } from "../runtime/utf8-text";
import { extractAttachments, MAX_BODY_BYTES, mayHoldAttachment, parseJson, tooLarge } from "./json-body";

export async function readNodeJsonBody(req: IncomingMessage, minBytes: number): Promise<{ json: unknown; attachments: AttachmentTable }> {
  const declared = Number(req.headers["content-length"] ?? "0") || 0;
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge(declared);
  }
  if (mayHoldAttachment(declared, minBytes)) return extractAttachments((use) => eachChunk(req, use), declared, minBytes);

  const chunks: Uint8Array[] = [];
  let total = 0;
  await eachChunk(req, (chunk) => {
    total += chunk.byteLength;
    if (total > MAX_BODY_BYTES) throw tooLarge(total);
    chunks.push(chunk);
  });
  return { json: parseJson(utf8Text(chunks, total)), attachments: new AttachmentTable() };
}


const incompleteBody = () => new GatewayError(400, "The request body ended early: the client closed the connection.", "invalid_request_error", null, "incomplete_body");

/** Calls `use` with each chunk as it arrives; a throw from `use` stops reading (the rest is drained, unread). */
function eachChunk(req: IncomingMessage, use: (chunk: Uint8Array) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.off("data", onData);
      req.resume();
      reject(err);
    };
    const onData = (chunk: Uint8Array) => {
      try {
        use(chunk);
      } catch (err) {
        fail(err);
      }
    };
    let ended = false;
    req.on("data", onData);
    req.once("end", () => {
      ended = true;
      if (!failed) resolve();
    });
    // A client that hangs up mid-body: node emits 'error' ("aborted", ECONNRESET) before
    // 'close'. Either way it is the client's incomplete body, not the gateway's fault.
    req.once("error", () => fail(incompleteBody()));
    // Also emitted after every complete body: only an early one is an error.
    req.once("close", () => ended || fail(incompleteBody()));
  });
}
