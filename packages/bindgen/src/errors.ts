// The one error type of binding generation, with a code to branch on.

/**
 * What went wrong: see each throw site for the message. `OUTPUT_EXISTS`: writing would replace a
 * file we did not generate, or a file stands where a folder must be (nothing was written);
 * `WRITE_FAILED`: the file system refused a write (what was written is taken back).
 */
export type BindgenErrorCode =
  | "NO_WORLD"
  | "UNKNOWN_TARGET"
  | "UNSUPPORTED"
  | "BAD_INPUT"
  | "OUTPUT_EXISTS"
  | "WRITE_FAILED";

/** A binding generation failure; `message` reads "expected X, found Y" where it can. */
export class BindgenError extends Error {
  override readonly name = "BindgenError";
  constructor(
    readonly code: BindgenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
