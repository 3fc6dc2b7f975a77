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
import { DISCARD_LIMITS, worthDraining } from "./discard-body";
import { extractAttachments, mayHoldAttachment, parseJson, tooLarge } from "./json-body";

export async function readNodeJsonBody(req: IncomingMessage, minBytes: number, maxBytes: number): Promise<{ json: unknown; attachments: AttachmentTable }> {
  const declared = Number(req.headers["content-length"] ?? "0") || 0;
  if (declared > maxBytes) {
    // Answered while the rest drains (or closed at once past DISCARD_LIMITS).
    void discardNodeBody(req);
    throw tooLarge(declared, maxBytes, true);
  }
  if (mayHoldAttachment(declared, minBytes)) return extractAttachments((use) => eachChunk(req, use), declared, minBytes, maxBytes);

  const chunks: Uint8Array[] = [];
  let total = 0;
  await eachChunk(req, (chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(total, maxBytes);
    chunks.push(chunk);
  });
  return { json: parseJson(utf8Text(chunks, total)), attachments: new AttachmentTable() };
}


const incompleteBody = () => new GatewayError(400, "The request body ended early: the client closed the connection.", "invalid_request_error", null, "incomplete_body");

/**
 * Lets the rest of a refused body flow into nothing, so that the client, still sending,
 * can read the answer (the connection stays open, and usable for the next request). Past
 * DISCARD_LIMITS (bytes or time, or a declared size beyond them) the connection is closed
 * instead. Resolves once the body ended (true) or was given up (false); callers that
 * answer while it drains need not wait.
 */
export function discardNodeBody(req: IncomingMessage): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  if (req.destroyed) return Promise.resolve(false);
  if (!worthDraining(Number(req.headers["content-length"] ?? "0") || 0)) {
    req.destroy();
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    let discarded = 0;
    const timer = setTimeout(() => req.destroy(), DISCARD_LIMITS.maxMs);
    const count = (chunk: Uint8Array) => {
      discarded += chunk.byteLength;
      if (discarded > DISCARD_LIMITS.maxBytes) req.destroy();
    };
    const stop = () => {
      clearTimeout(timer);
      req.off("data", count);
      resolve(req.complete);
    };
    req.on("data", count);
    req.once("end", stop);
    req.once("close", stop);
    req.resume();
  });
}

/** Calls `use` with each chunk as it arrives; a throw from `use` stops reading (the rest is drained, unread). */
function eachChunk(req: IncomingMessage, use: (chunk: Uint8Array) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      req.off("data", onData);
      void discardNodeBody(req);
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
