import { ByteBuilder } from "./byte-builder";

/**
 * Base64, the one module for it: lengths, whole-string decoding, encoding (also base64url,
 * for JWTs and generated keys), and the span decoder that takes attachments out of a JSON
 * body while it is read.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 64;
const QUOTE = 65;
const BACKSLASH = 66;
const OTHER = 255;
const SLASH_BYTE = 0x2f;

/** Byte → sextet (0–63), or one of the markers above. */
const CLASS = (() => {
  const t = new Uint8Array(256).fill(OTHER);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  t[0x3d] = PAD;
  t[0x22] = QUOTE;
  t[0x5c] = BACKSLASH;
  return t;
})();

/** Base64 length of `n` decoded bytes (padded): what Anthropic's 5 MB image limit counts. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** Decoded size of a base64 string without decoding it. */
export function base64DecodedLength(data: string): number {
  const pad = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.floor(((data.length - pad) * 3) / 4);
}

type FromBase64 = (s: string) => Uint8Array;
type NodeBuffer = { from(s: string, enc: "base64"): Uint8Array };

/**
 * Decodes base64 straight into one buffer (no intermediate binary string, which would
 * double the memory of a large attachment): Uint8Array.fromBase64 where the runtime
 * has it (workerd), Node's Buffer otherwise. Undefined for malformed input.
 */
export function decodeBase64(data: string): Uint8Array | undefined {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;
  try {
    if (fromBase64) return fromBase64(data);
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) return undefined;
  const buffer = (globalThis as unknown as { Buffer: NodeBuffer }).Buffer;
  return buffer.from(data, "base64");
}

export type SpanStep =
  /** Everything was consumed; the string goes on in the next chunk. */
  | { kind: "more" }
  /** The closing quote was at `next - 1`; the payload was complete, canonical-length base64. */
  | { kind: "end"; next: number }
  /** Not plain base64 from `at` on (another escape, a space, bad padding, a short last quartet). */
  | { kind: "bail"; at: number };

/**
 * Decodes the base64 payload of a JSON string value straight from the body's bytes, chunk
 * by chunk, into one buffer: no string of the payload ever exists. Accepts exactly what
 * JSON encoders emit for base64 (the alphabet, `=` padding, `\/` from PHP-style
 * encoders); anything else is a "bail", after which the caller puts the text back and
 * lets the ordinary parser and validator judge it, so their errors stay the same.
 */
export class Base64SpanDecoder {
  #out: ByteBuilder;
  #acc = 0;
  #n = 0; // sextets in the current quartet
  #pads = 0;
  #done = false; // a padded quartet ended the data
  /** The last chunk ended on a backslash: the escape is completed by the next byte. */
  #escape = false;

  constructor(capacity: number) {
    this.#out = new ByteBuilder(capacity);
  }

  /** Whether a backslash was consumed that the next byte did not complete (a caller that bails owes it back). */
  get escapePending(): boolean {
    return this.#escape;
  }

  step(chunk: Uint8Array, from: number): SpanStep {
    const out = this.#out;
    out.reserve(Math.ceil(((chunk.byteLength - from) * 3) / 4) + 3);
    const buf = out.raw;
    let len = out.length;
    let acc = this.#acc;
    let n = this.#n;
    const stop = (step: SpanStep): SpanStep => {
      this.#acc = acc;
      this.#n = n;
      out.commit(len);
      return step;
    };
    for (let i = from; i < chunk.byteLength; i++) {
      let c = CLASS[chunk[i]!]!;
      if (this.#escape) {
        // JSON allows `\/` for `/`; any other escape is not base64.
        if (chunk[i] !== SLASH_BYTE) return stop({ kind: "bail", at: i });
        this.#escape = false;
        c = 63;
      }
      if (c < 64) {
        if (this.#pads) return stop({ kind: "bail", at: i });
        acc = (acc << 6) | c;
        if (++n === 4) {
          buf[len++] = (acc >> 16) & 0xff;
          buf[len++] = (acc >> 8) & 0xff;
          buf[len++] = acc & 0xff;
          acc = 0;
          n = 0;
        }
      } else if (c === PAD) {
        if (this.#done || n < 2) return stop({ kind: "bail", at: i });
        if (n + ++this.#pads === 4) {
          buf[len++] = (acc >> (n === 2 ? 4 : 10)) & 0xff;
          if (n === 3) buf[len++] = (acc >> 2) & 0xff;
          this.#done = true;
          acc = 0;
          n = 0;
        }
      } else if (c === BACKSLASH) {
        this.#escape = true;
      } else if (c === QUOTE && n === 0 && (this.#pads === 0 || this.#done)) {
        return stop({ kind: "end", next: i + 1 });
      } else {
        return stop({ kind: "bail", at: i });
      }
    }
    return stop({ kind: "more" });
  }

  /** The decoded bytes so far (all of them once `step` returned "end"). */
  bytes(): Uint8Array {
    return this.#out.view();
  }

  /**
   * The payload as base64 text again, for a caller that bails: the whole quartets decoded
   * so far, re-encoded, then the sextets and padding of the quartet in progress.
   */
  reencodeInto(target: ByteBuilder): void {
    encodeBase64Into(this.bytes(), target, this.#done);
    if (this.#done) return;
    for (let k = this.#n - 1; k >= 0; k--) target.push(ALPHABET.charCodeAt((this.#acc >> (6 * k)) & 63));
    for (let k = 0; k < this.#pads; k++) target.push(0x3d);
  }
}

/** Base64 of `bytes` as ASCII into `target` (`padded`: the bytes end a padded quartet). */
export function encodeBase64Into(bytes: Uint8Array, target: ByteBuilder, padded = true): void {
  const whole = bytes.byteLength - (bytes.byteLength % 3);
  target.reserve(base64Length(bytes.byteLength));
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    target.push(ALPHABET.charCodeAt(v >> 18));
    target.push(ALPHABET.charCodeAt((v >> 12) & 63));
    target.push(ALPHABET.charCodeAt((v >> 6) & 63));
    target.push(ALPHABET.charCodeAt(v & 63));
  }
  const rest = bytes.byteLength - whole;
  if (!rest || !padded) return;
  const v = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0);
  target.push(ALPHABET.charCodeAt(v >> 18));
  target.push(ALPHABET.charCodeAt((v >> 12) & 63));
  target.push(rest === 2 ? ALPHABET.charCodeAt((v >> 6) & 63) : 0x3d);
  target.push(0x3d);
}

/** Base64 text of `bytes` (an attachment that has to go inline after all: a rare path). */
export function encodeBase64(bytes: Uint8Array): string {
  const b = new ByteBuilder(base64Length(bytes.byteLength));
  encodeBase64Into(bytes, b);
  return new TextDecoder().decode(b.view());
}

/** Unpadded base64url of `bytes` (RFC 4648 §5), as JWTs and URL-safe keys use it. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
