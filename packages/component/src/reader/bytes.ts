// A bounds-checked cursor over a Uint8Array: LEB128 numbers, names and sub-ranges, never copying.
import { ComponentError } from "../errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads the binary format's primitives from `bytes[pos, end)`. Every read checks its bounds. */
export class ByteReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, offset = this.pos): never {
    throw new ComponentError("BAD_BYTE", message, offset);
  }

  private need(n: number): void {
    if (n > this.end - this.pos) {
      throw new ComponentError("UNEXPECTED_END", `unexpected end of input: need ${n} more byte(s)`, this.pos);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  peek(): number {
    this.need(1);
    return this.bytes[this.pos];
  }

  /** An unsigned LEB128 of at most 32 bits. */
  u32(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      if (shift === 28 && (b & 0x70) !== 0) throw new ComponentError("BAD_LEB", "u32 out of range", start);
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new ComponentError("BAD_LEB", "u32 LEB128 too long", start);
    }
    return result >>> 0;
  }

  /** An unsigned LEB128 of at most 64 bits, as a bigint. */
  u64(): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new ComponentError("BAD_LEB", "u64 LEB128 too long", start);
    }
    return result & 0xffffffffffffffffn;
  }

  /** A signed LEB128 of at most 33 bits (type indices and heap types). */
  s33(): number {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    let b: number;
    let n = 0;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (++n > 5) throw new ComponentError("BAD_LEB", "s33 LEB128 too long", start);
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    return result;
  }

  /** A count of items, each at least `minItemSize` bytes: rejected when the rest cannot hold them. */
  count(minItemSize = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minItemSize > this.remaining) {
      throw new ComponentError("BAD_COUNT", `count ${n} exceeds the remaining ${this.remaining} byte(s)`, at);
    }
    return n;
  }

  /** A `name`: a length-prefixed UTF-8 string. */
  name(): string {
    const len = this.u32();
    const at = this.pos;
    this.need(len);
    this.pos += len;
    // Most names are short ASCII: decode those without TextDecoder's call overhead.
    if (len < 64) {
      let ascii = true;
      for (let i = at; i < at + len; i++) {
        if (this.bytes[i] >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) return String.fromCharCode.apply(null, this.bytes.subarray(at, at + len) as unknown as number[]);
    }
    try {
      return utf8.decode(this.bytes.subarray(at, at + len));
    } catch {
      throw new ComponentError("BAD_UTF8", "name is not valid UTF-8", at);
    }
  }

  /** Skips `n` bytes, returning where they started. */
  skip(n: number): number {
    this.need(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** A view of the next `n` bytes (no copy). */
  view(n: number): Uint8Array {
    const at = this.skip(n);
    return this.bytes.subarray(at, at + n);
  }
}
