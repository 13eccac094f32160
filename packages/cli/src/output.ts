// Where command results go: human text, JSON (--json) or, with --quiet, only errors and the output a
// command was run to print.

/**
 * Global output settings shared by every command. `quiet` drops text output but not a `--json`
 * result: a caller that asks for JSON asked for that result, so `--json` wins over `--quiet`.
 */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  debug: boolean;
}

/** What a command writes through; it never touches process.stdout directly. */
export class Output {
  constructor(
    readonly options: OutputOptions,
    private readonly stdout: (s: string) => void = (s) => process.stdout.write(s),
    private readonly stderr: (s: string) => void = (s) => process.stderr.write(s),
  ) {}

  /** A line of human-readable output; dropped with --quiet or --json. */
  info(line: string): void {
    if (!this.options.quiet && !this.options.json) this.stdout(`${line}\n`);
  }

  /**
   * What the command was run to print (WIT, an inspect report, a listing): JSON with --json,
   * otherwise the text form; --quiet does not drop it, as it is the output asked for.
   */
  data(text: string, json: unknown): void {
    if (this.options.json) this.stdout(`${JSON.stringify(json, null, 2)}\n`);
    else this.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** The command's outcome ("wrote x", "pulled y"): JSON with --json (even with --quiet), otherwise the text form, dropped with --quiet. */
  result(text: string, json: unknown): void {
    if (this.options.json) this.stdout(`${JSON.stringify(json, null, 2)}\n`);
    else if (!this.options.quiet) this.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }

  /**
   * A note about how the command got its input (which version and digest a package name was pulled
   * as), on stderr so the output piped from stdout stays clean; dropped with --quiet or --json.
   */
  note(line: string): void {
    if (!this.options.quiet && !this.options.json) this.stderr(`${line}\n`);
  }

  /** An error message; always shown, even with --quiet. */
  error(text: string): void {
    this.stderr(text.endsWith("\n") ? text : `${text}\n`);
  }
}
