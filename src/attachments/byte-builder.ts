/**
 * A growable byte buffer. With a size hint (the request's content-length) the buffer is
 * allocated once: a large zeroed allocation is mapped lazily by the OS, so the part never
 * written costs address space, not resident memory, and nothing is copied on growth.
 */
export class ByteBuilder {
  #buf: Uint8Array;
  #len = 0;

  constructor(sizeHint = 0) {
    this.#buf = new Uint8Array(Math.max(sizeHint, 1024));
  }

  get length(): number {
    return this.#len;
  }

  /** The underlying buffer: valid bytes are [0, length); writes past length are the caller's to account for. */
  get raw(): Uint8Array {
    return this.#buf;
  }

  /** The valid bytes, without copying. */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.byteLength);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.byteLength;
  }

  push(byte: number): void {
    this.reserve(1);
    this.#buf[this.#len++] = byte;
  }

  appendAscii(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#len++] = s.charCodeAt(i) & 0xff;
  }

  /** Sets the length after writing into `raw` directly (within the reserved capacity). */
  commit(length: number): void {
    this.#len = length;
  }

  /** Drops bytes from `at` on. */
  truncate(at: number): void {
    if (at < this.#len) this.#len = at;
  }

  /** Removes [from, to) and closes the gap. */
  remove(from: number, to: number): void {
    if (to <= from) return;
    this.#buf.copyWithin(from, to, this.#len);
    this.#len -= to - from;
  }

  reserve(extra: number): void {
    const need = this.#len + extra;
    if (need <= this.#buf.byteLength) return;
    const next = new Uint8Array(Math.max(need, this.#buf.byteLength * 2));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}
