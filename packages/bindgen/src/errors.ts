// The one error type of binding generation, with a code to branch on.

/** What went wrong: see each throw site for the message. */
export type BindgenErrorCode = "NO_WORLD" | "UNKNOWN_TARGET" | "UNSUPPORTED" | "BAD_INPUT";

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
