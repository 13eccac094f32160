// The one error type of this package: what went wrong (a code) and where (a byte offset).

/** What kind of problem a {@link ComponentError} reports. */
export type ComponentErrorCode =
  /** The input ended before a complete item could be read. */
  | "UNEXPECTED_END"
  /** Not a component (or module) preamble. */
  | "BAD_HEADER"
  /** A byte that no rule of the binary format allows at this position. */
  | "BAD_BYTE"
  /** A LEB128 number that is too long or out of range. */
  | "BAD_LEB"
  /** A name that is not valid UTF-8. */
  | "BAD_UTF8"
  /** A section whose contents do not fill its declared size exactly. */
  | "BAD_SECTION_SIZE"
  /** A count larger than the remaining bytes could hold. */
  | "BAD_COUNT"
  /** An index that refers to nothing in its index space. */
  | "BAD_INDEX"
  /** A construct this implementation does not decode (e.g. an unknown future opcode). */
  | "UNSUPPORTED"
  /** A well-formed binary whose types do not fit the WIT model. */
  | "BAD_WIT"
  /** WIT the binary format cannot express (a record, flags or tuple with nothing in it). */
  | "UNENCODABLE"
  /** A core module that does not become a component of its world (jco's wasm-tools says why). */
  | "INVALID_MODULE";

/** A typed error from reading or decoding a component binary. */
export class ComponentError extends Error {
  /** What kind of problem. */
  readonly code: ComponentErrorCode;
  /** Byte offset in the input where the problem was found (-1 when not tied to a position). */
  readonly offset: number;

  constructor(code: ComponentErrorCode, message: string, offset = -1, options?: ErrorOptions) {
    super(offset >= 0 ? `${message} (at byte ${offset})` : message, options);
    this.name = "ComponentError";
    this.code = code;
    this.offset = offset;
  }
}
