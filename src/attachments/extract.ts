import { Base64SpanDecoder } from "./base64";
import { ByteBuilder } from "./byte-builder";
import { AttachmentTable } from "./table";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const COLON = 0x3a;
const COMMA = 0x2c;
/** `;base64,`: without it somewhere in the body there is nothing to extract and nothing is scanned. */
const MARK = new TextEncoder().encode(";base64,");
/** Keys whose string values the translator reads as attachments (image_url.url, bare image_url, file.file_data). */
const KEYS = ["url", "image_url", "file_data"].map((k) => new TextEncoder().encode(k));
const MAX_META = 200;
/** Chunks are appended in slices of this size, so the bytes copied back out on a switch stay small. */
const SLICE = 64 * 1024;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export interface ExtractOptions {
  /** Decoded size above which a data URL is taken out of the JSON text. */
  minBytes: number;
  /** The body's declared size, if any: sizes the buffers once instead of growing them. */
  expectedBytes?: number;
}

/** A data URL value being read: [open] is its opening quote in `out`, payload from [start]. */
interface Candidate {
  open: number;
  meta: string;
  start: number;
}

/**
 * Reads a JSON request body chunk by chunk and takes the large base64 data URLs out of it
 * as it goes: each such string value is decoded from the bytes straight into its own
 * buffer, and a short reference takes its place in the JSON text (see AttachmentTable).
 * The body is never held whole, neither as bytes nor as a string; what remains to
 * parse is the small rest.
 *
 * Only values of the keys `url`, `image_url` and `file_data` are candidates (a data URL
 * pasted into a text part stays text), and only when they are plain base64: any other
 * escape, a space or odd padding puts the text back, and the ordinary path then judges
 * it with its usual errors. The structure is followed by jumping from quote to quote
 * (native indexOf), and only once `;base64,` has appeared, so a body without attachments
 * costs one search per chunk.
 */
export class AttachmentExtractor {
  readonly #opts: ExtractOptions;
  readonly #minChars: number;
  readonly #out: ByteBuilder;
  readonly #table = new AttachmentTable();
  #received = 0;
  #armed = false;
  /** Scan position in `out`: everything before it has been classified. */
  #pos = 0;
  #inString = false;
  #stringOpen = -1;
  /** The last closed string, the key of a value that may follow. */
  #lastOpen = -1;
  #lastClose = -1;
  #candidate: Candidate | undefined;
  #decoding: { open: number; meta: string; decoder: Base64SpanDecoder } | undefined;

  constructor(opts: ExtractOptions) {
    this.#opts = opts;
    this.#minChars = Math.ceil(opts.minBytes / 3) * 4;
    // Not sized for the whole body: the JSON around large attachments is small, and a
    // runtime that zero-fills allocations eagerly would make every byte of it resident.
    this.#out = new ByteBuilder(64 * 1024);
  }

  push(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.byteLength; at += SLICE) this.#pushSlice(chunk.subarray(at, at + SLICE));
  }

  /** The JSON text that remains (attachments replaced by references) and the table. */
  finish(): { text: string; attachments: AttachmentTable } {
    // A body that ends inside an attachment is malformed: put the text back for the parser to say so.
    if (this.#decoding) this.#bail();
    return { text: new TextDecoder().decode(this.#out.view()), attachments: this.#table };
  }

  #pushSlice(slice: Uint8Array): void {
    this.#received += slice.byteLength;
    let off = 0;
    while (off < slice.byteLength) {
      if (this.#decoding) {
        off = this.#decode(slice, off);
        continue;
      }
      const from = this.#out.length;
      this.#out.append(off ? slice.subarray(off) : slice);
      off = slice.byteLength;
      if (!this.#armed) {
        if (!hasMark(this.#out.view(), Math.max(0, from - MARK.length))) continue;
        this.#armed = true;
      }
      const tail = this.#scan();
      if (tail) {
        // The rest of this slice belongs to an attachment being decoded (and maybe what follows it).
        this.#pushRest(tail);
      }
    }
  }

  /** Bytes taken back out of `out` on a switch to decoding: fed again without counting them twice. */
  #pushRest(tail: Uint8Array): void {
    this.#received -= tail.byteLength;
    this.#pushSlice(tail);
  }

  /** Follows the JSON structure from #pos; returns the bytes to decode when a large attachment starts. */
  #scan(): Uint8Array | undefined {
    for (;;) {
      const b = this.#out.view();
      if (this.#candidate) {
        const r = this.#scanPayload(this.#candidate);
        if (r === "wait") return undefined;
        if (r !== "done") return r;
        continue;
      }
      const q = b.indexOf(QUOTE, this.#pos);
      if (q < 0) {
        this.#pos = b.byteLength;
        return undefined;
      }
      if (this.#inString) {
        this.#pos = q + 1;
        if (isEscaped(b, q, this.#stringOpen)) continue;
        this.#inString = false;
        this.#lastOpen = this.#stringOpen;
        this.#lastClose = q;
        continue;
      }
      if (this.#followsAttachmentKey(b, q)) {
        const start = dataUrlPayload(b, q);
        if (start === "wait") {
          this.#pos = q;
          return undefined;
        }
        if (start) {
          this.#candidate = { open: q, meta: start.meta, start: start.at };
          this.#pos = start.at;
          continue;
        }
      }
      this.#inString = true;
      this.#stringOpen = q;
      this.#pos = q + 1;
    }
  }

  /**
   * The payload of a candidate while it is still small: validated in place (and `\/`
   * unescaped), left in `out`. Once it passes the threshold it moves to a decoder and
   * the bytes after it are returned to be fed through the decoder.
   */
  #scanPayload(cand: Candidate): Uint8Array | "wait" | "done" {
    const out = this.#out;
    const b = out.raw;
    const end = out.length;
    let w = this.#pos;
    let r = this.#pos;
    const settle = (at: number) => {
      out.remove(w, r);
      this.#pos = w;
      return at - (r - w);
    };
    for (; r < end; r++) {
      const c = b[r]!;
      if (isBase64Char(c)) {
        b[w++] = c;
        if (w - cand.start > this.#minChars) {
          r++;
          return this.#startDecoding(cand, settle(r));
        }
        continue;
      }
      if (c === BACKSLASH) {
        if (r + 1 >= end) {
          settle(r);
          return "wait";
        }
        if (b[r + 1] === SLASH) {
          b[w++] = SLASH;
          r++;
          continue;
        }
      } else if (c === QUOTE) {
        // A small data URL: it stays in the text as it is.
        const close = settle(r);
        this.#candidate = undefined;
        this.#lastOpen = cand.open;
        this.#lastClose = close;
        this.#pos = close + 1;
        return "done";
      }
      // Not plain base64: an ordinary string from here on, for the parser and validator to judge.
      settle(r);
      this.#candidate = undefined;
      this.#inString = true;
      this.#stringOpen = cand.open;
      return "done";
    }
    settle(end);
    return "wait";
  }

  #startDecoding(cand: Candidate, next: number): Uint8Array | "done" {
    const out = this.#out;
    const payload = out.view().subarray(cand.start, next);
    // Room for the rest of the body: the largest this attachment can be.
    const remaining = this.#opts.expectedBytes ? Math.max(0, this.#opts.expectedBytes - this.#received) + (out.length - cand.start) : 0;
    const decoder = new Base64SpanDecoder(remaining ? Math.ceil((remaining * 3) / 4) + 3 : this.#opts.minBytes * 2);
    const step = decoder.step(payload, 0);
    if (step.kind !== "more") {
      // Padding in the middle or the like: leave the text to the ordinary path.
      this.#candidate = undefined;
      this.#inString = true;
      this.#stringOpen = cand.open;
      this.#pos = cand.start;
      return "done";
    }
    const tail = out.view().slice(next);
    out.truncate(cand.open + 1);
    this.#candidate = undefined;
    this.#decoding = { open: cand.open, meta: cand.meta, decoder };
    this.#pos = out.length;
    return tail;
  }

  /** Feeds a slice to the attachment being decoded; returns where the JSON text goes on. */
  #decode(slice: Uint8Array, off: number): number {
    const d = this.#decoding!;
    const step = d.decoder.step(slice, off);
    if (step.kind === "more") return slice.byteLength;
    if (step.kind === "bail") {
      this.#bail();
      return step.at;
    }
    const ref = this.#table.add(d.meta, d.decoder.bytes());
    this.#out.appendAscii(ref);
    this.#out.push(QUOTE);
    this.#decoding = undefined;
    this.#lastOpen = d.open;
    this.#lastClose = this.#out.length - 1;
    this.#pos = this.#out.length;
    return step.next;
  }

  /** Puts the data URL decoded so far back as text; the string goes on as an ordinary one. */
  #bail(): void {
    const d = this.#decoding!;
    this.#out.appendAscii(`data:${d.meta};base64,`);
    d.decoder.reencodeInto(this.#out);
    if (d.decoder.escapePending) this.#out.push(BACKSLASH);
    this.#decoding = undefined;
    this.#inString = true;
    this.#stringOpen = d.open;
    this.#pos = this.#out.length;
  }

  /** Whether the string opening at `q` is the value of a `"url"`, `"image_url"` or `"file_data"` key. */
  #followsAttachmentKey(b: Uint8Array, q: number): boolean {
    if (this.#lastClose < 0 || q - this.#lastClose > 64) return false;
    let i = q - 1;
    while (i > this.#lastClose && isSpace(b[i]!)) i--;
    if (b[i] !== COLON) return false;
    i--;
    while (i > this.#lastClose && isSpace(b[i]!)) i--;
    if (i !== this.#lastClose) return false;
    const key = b.subarray(this.#lastOpen + 1, this.#lastClose);
    return KEYS.some((k) => k.byteLength === key.byteLength && k.every((x, j) => x === key[j]));
  }
}

function isBase64Char(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === SLASH || c === 0x3d;
}

/** An odd run of backslashes before `q` (inside the string opened at `open`) escapes it. */
function isEscaped(b: Uint8Array, q: number, open: number): boolean {
  let n = 0;
  for (let i = q - 1; i > open && b[i] === BACKSLASH; i--) n++;
  return n % 2 === 1;
}

function hasMark(b: Uint8Array, from: number): boolean {
  for (let i = b.indexOf(MARK[0]!, from); i >= 0 && i + MARK.length <= b.byteLength; i = b.indexOf(MARK[0]!, i + 1)) {
    let j = 1;
    while (j < MARK.length && b[i + j] === MARK[j]) j++;
    if (j === MARK.length) return true;
  }
  return false;
}

/**
 * For a string opening at `q`: where the base64 payload of `"data:<meta>;base64,` starts,
 * undefined when the value is something else, "wait" when the bytes to tell have not arrived.
 */
function dataUrlPayload(b: Uint8Array, q: number): { at: number; meta: string } | undefined | "wait" {
  const prefix = "data:";
  for (let k = 0; k < prefix.length; k++) {
    if (q + 1 + k >= b.byteLength) return "wait";
    if (b[q + 1 + k] !== prefix.charCodeAt(k)) return undefined;
  }
  const metaStart = q + 1 + prefix.length;
  for (let i = metaStart; i < metaStart + MAX_META; i++) {
    if (i >= b.byteLength) return "wait";
    const c = b[i]!;
    if (c === COMMA) {
      const m = i - (MARK.length - 1);
      if (m < metaStart) return undefined;
      for (let j = 0; j < MARK.length - 1; j++) if (b[m + j] !== MARK[j]) return undefined;
      // PHP-style encoders write `application\/pdf`.
      return { at: i + 1, meta: String.fromCharCode(...b.subarray(metaStart, m)).replaceAll("\\/", "/") };
    }
    if (c === BACKSLASH) {
      if (i + 1 >= b.byteLength) return "wait";
      if (b[i + 1] !== SLASH) return undefined;
      i++;
      continue;
    }
    if (c < 0x20 || c > 0x7e || c === QUOTE) return undefined;
  }
  return undefined;
}
