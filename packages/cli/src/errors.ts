// How the CLI turns any thrown value into one clear message and an exit code.

/** Exit codes of the `wasm-compose` CLI. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

/** An error in how the CLI was called (bad flag, missing argument): exit code 2. */
export class UsageError extends Error {
  readonly code = "USAGE";
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
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

/** The JSON form of an error for `--json` output. */
export function errorJson(e: unknown): { error: { code: string; message: string } } {
  if (isCoded(e)) return { error: { code: e.code, message: e.message } };
  return { error: { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) } };
}
