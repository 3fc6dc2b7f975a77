/**
 * AWS's binary event stream (`application/vnd.amazon.eventstream`), as Bedrock frames
 * its streaming answers: [total length][headers length][CRC32 of those 8 bytes]
 * [headers][payload][CRC32 of everything before it], big-endian, string headers
 * (type 7). Written here rather than taken from AWS's codec so that the simulator stays
 * an independent oracle for the gateway, which decodes with AWS's codec; AWS's own SDK
 * checks these frames in the simulator's tests.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3), as the event stream uses it. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const encoder = new TextEncoder();

export function encodeFrame(headers: Record<string, string>, payload: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let headersLength = 0;
  for (const [name, value] of Object.entries(headers)) {
    const n = encoder.encode(name);
    const v = encoder.encode(value);
    const h = new Uint8Array(1 + n.length + 1 + 2 + v.length);
    h[0] = n.length;
    h.set(n, 1);
    h[1 + n.length] = 7; // string
    new DataView(h.buffer).setUint16(2 + n.length, v.length, false);
    h.set(v, 4 + n.length);
    parts.push(h);
    headersLength += h.length;
  }
  const total = 12 + headersLength + payload.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, false);
  view.setUint32(4, headersLength, false);
  view.setUint32(8, crc32(out, 0, 8), false);
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(payload, at);
  view.setUint32(total - 4, crc32(out, 0, total - 4), false);
  return out;
}

const PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** One Anthropic event as Bedrock sends it: a `chunk` whose payload carries the event JSON in base64, with random padding. */
export function chunkFrame(eventJson: string): Uint8Array {
  const bytes = encoder.encode(eventJson);
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  const p = PADDING.slice(0, 1 + Math.floor(Math.random() * PADDING.length));
  return encodeFrame(
    { ":event-type": "chunk", ":content-type": "application/json", ":message-type": "event" },
    encoder.encode(JSON.stringify({ bytes: btoa(bin), p })),
  );
}

/** A modelled exception inside the stream (`throttlingException`, …); the stream ends after it. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return encodeFrame(
    { ":exception-type": exceptionType, ":content-type": "application/json", ":message-type": "exception" },
    encoder.encode(JSON.stringify({ message })),
  );
}
