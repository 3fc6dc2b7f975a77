/**
 * What is left of a refused request body, read and thrown away so that the client can read
 * the answer. A client still sending when the server closes the connection never sees the
 * 413, 401 or 404 (Node's fetch rejects with `TypeError: fetch failed`), so a refused body
 * is drained first, within bounds: at most DISCARD_MAX_BYTES more and DISCARD_MAX_MS, after
 * which the connection is given up (a client sending that much more, or that slowly, gets
 * a closed connection rather than holding the gateway).
 */
export const DISCARD_MAX_BYTES = 128 * 1024 * 1024;
export const DISCARD_MAX_MS = 20_000;

export interface DiscardLimits {
  maxBytes: number;
  maxMs: number;
}

export const DISCARD_LIMITS: DiscardLimits = { maxBytes: DISCARD_MAX_BYTES, maxMs: DISCARD_MAX_MS };

/** True when a body of this declared size (0 = unknown) can be drained within the limits at all. */
export function worthDraining(declared: number, limits: DiscardLimits = DISCARD_LIMITS): boolean {
  return declared <= limits.maxBytes;
}

/**
 * Reads `body` (or an open reader of it) to its end without keeping anything; cancels it
 * once the limits are passed. Resolves true when the whole body was read. Never throws:
 * a client that hangs up while being drained has nothing more to read anyway.
 */
export async function discardRest(source: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader | null | undefined, limits: DiscardLimits = DISCARD_LIMITS): Promise<boolean> {
  if (!source) return true;
  let reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader;
  let byob = false;
  if (source instanceof ReadableStream) {
    if (source.locked) return false;
    try {
      reader = source.getReader({ mode: "byob" });
      byob = true;
    } catch {
      reader = source.getReader();
    }
  } else {
    reader = source;
    byob = typeof ReadableStreamBYOBReader !== "undefined" && source instanceof ReadableStreamBYOBReader;
  }
  const deadline = Date.now() + limits.maxMs;
  let discarded = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limits.maxMs);
  });
  try {
    // One scratch buffer, read into again and again (see eachChunk in json-body.ts).
    let scratch = new ArrayBuffer(64 * 1024);
    for (;;) {
      const read = byob ? (reader as ReadableStreamBYOBReader).read(new Uint8Array(scratch)) : (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      const step = await Promise.race([read, timeout]);
      if (step === "timeout") break;
      if (step.done) return true;
      discarded += step.value?.byteLength ?? 0;
      if (byob && step.value) scratch = step.value.buffer as ArrayBuffer;
      if (discarded > limits.maxBytes || Date.now() > deadline) break;
    }
  } catch {
    return false;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  await reader.cancel().catch(() => undefined);
  return false;
}

/**
 * Drains a request body nobody read, before an early answer goes out: a request refused
 * before its body was needed (a bad or missing client key, an unknown route, a gateway
 * without configuration). Cancelling it instead closed the connection under a client still
 * sending, which then saw a network error, not the answer. Within DISCARD_LIMITS; a
 * declared size past them is cancelled unread. Nothing to do for a body already read or
 * being read (a handler's own), or for a request without one.
 */
export async function drainUnread(request: Request, limits: DiscardLimits = DISCARD_LIMITS): Promise<void> {
  if (request.method === "GET" || request.method === "HEAD" || request.bodyUsed) return;
  const body = request.body;
  if (!body || body.locked) return;
  const declared = Number(request.headers.get("content-length") ?? "0") || 0;
  if (worthDraining(declared, limits)) await discardRest(body, limits);
  else await body.cancel().catch(() => undefined);
}
