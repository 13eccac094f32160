// A growable byte buffer with the binary format's encodings: LEB128 numbers and names.

const utf8 = new TextEncoder();

/** How many bytes {@link ByteWriter.u32} writes for `n`. */
export function u32Size(n: number): number {
  let size = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}

/** Appends bytes; `finish` returns a view of exactly what was written. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(b: number): this {
    this.grow(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  /** Unsigned LEB128 (up to 2^53). */
  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`not an unsigned integer: ${n}`);
    let v = n;
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.u8(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (type indices as s33, up to 2^52). */
  s33(n: number): this {
    let v = n;
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  bytes(b: Uint8Array | readonly number[]): this {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** A `name`: LEB128 byte length, then UTF-8. */
  name(s: string): this {
    const b = utf8.encode(s);
    return this.u32(b.length).bytes(b);
  }

  /** A vector: the count, then each item. */
  vec<T>(items: readonly T[], each: (item: T) => void): this {
    this.u32(items.length);
    for (const it of items) each(it);
    return this;
  }

  /** A view of the written bytes (valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
