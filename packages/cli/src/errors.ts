// How the CLI turns any thrown value into one clear message and an exit code.
import { constants } from "node:os";

/**
 * Exit codes of the `wasm-compose` CLI. A command stopped by a signal exits 128 + the signal's
 * number, as shells report it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM.
 */
export const ExitCode = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** An error in how the CLI was called (bad flag, missing argument): exit code 2. */
export class UsageError extends Error {
  readonly code = "USAGE";
  /** A suggestion such as `Did you mean logout?`. */
  readonly hint: string | null;
  constructor(message: string, hint: string | null = null) {
    super(message);
    this.name = "UsageError";
    this.hint = hint;
  }
}

/** Input the command cannot use (a missing file, a file of the wrong kind): exit code 1. */
export class InputError extends Error {
  readonly code = "INVALID_INPUT";
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** A command stopped by SIGINT or SIGTERM (after cleaning up): exit code 128 + the signal's number. */
export class InterruptedError extends Error {
  readonly code = "INTERRUPTED";
  constructor(readonly signal: "SIGINT" | "SIGTERM") {
    super(`interrupted by ${signal}`);
    this.name = "InterruptedError";
  }

  get exitCode(): number {
    return 128 + constants.signals[this.signal];
  }
}

/** The exit code for an error: usage 2, interrupted 128 + signal, anything else 1. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return ExitCode.usage;
  if (e instanceof InterruptedError) return e.exitCode;
  return ExitCode.failed;
}

/** What every typed error of our packages carries; checked structurally so packages stay independent. */
interface CodedError {
  code: string;
  message: string;
  /** A pre-rendered, multi-line form (e.g. a source snippet with a caret), when the error has one. */
  render?: () => string;
}

function isCoded(e: unknown): e is CodedError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { code?: unknown }).code === "string" &&
    typeof (e as { message?: unknown }).message === "string"
  );
}

/** Formats an error for the terminal: the rendered form when there is one, never a stack unless debugging. */
export function formatError(e: unknown, debug: boolean): string {
  if (debug && e instanceof Error && e.stack) return e.stack;
  if (isCoded(e)) {
    const body = typeof e.render === "function" ? e.render() : e.message;
    return `error[${e.code}]: ${body}`;
  }
  if (e instanceof Error) return `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** The JSON form of an error for `--json` output: code and message, then whatever locates it. */
export interface ErrorJson {
  code: string;
  message: string;
  /** The file, and the 1-based line and column in it (WIT and WAC errors). */
  file?: string;
  line?: number;
  column?: number;
  /** A suggestion such as ``did you mean `bool`?``. */
  hint?: string;
  /** The byte offset in a binary (component errors). */
  offset?: number;
  /** Structured fields of composition errors (the node, the import, the path of a type mismatch). */
  details?: Record<string, unknown>;
  /** The form the terminal shows (the location and the source line with a caret), when it differs from `message`. */
  rendered?: string;
  /** The typed error this one reports at its location (a WAC error's composition error, with its own code and details). */
  cause?: ErrorJson;
}

/** The JSON form of an error for `--json` output; fields that locate it appear only when the error has them. */
export function errorJson(e: unknown): { error: ErrorJson } {
  if (!isCoded(e)) return { error: { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) } };
  const fields = e as CodedError & Record<string, unknown>;
  const error: ErrorJson = { code: e.code, message: e.message };
  if (typeof fields.file === "string") error.file = fields.file;
  if (typeof fields.line === "number") error.line = fields.line;
  if (typeof fields.column === "number") error.column = fields.column;
  if (typeof fields.hint === "string") error.hint = fields.hint;
  if (typeof fields.offset === "number" && fields.offset >= 0) error.offset = fields.offset;
  const details = fields.details;
  if (typeof details === "object" && details !== null && Object.keys(details).length > 0) {
    error.details = details as Record<string, unknown>;
  }
  if (typeof e.render === "function") {
    const rendered = e.render();
    if (rendered !== e.message) error.rendered = rendered;
  }
  if (isCoded(fields.cause)) error.cause = errorJson(fields.cause).error;
  return { error };
}
