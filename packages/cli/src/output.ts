// Where command results go: human text, JSON (--json) or nothing but errors (--quiet).

/** Global output settings shared by every command. */
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

  /** The command's main result: JSON with --json, otherwise the text form. */
  result(text: string, json: unknown): void {
    if (this.options.json) this.stdout(`${JSON.stringify(json, null, 2)}\n`);
    else this.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** An error message; always shown, even with --quiet. */
  error(text: string): void {
    this.stderr(text.endsWith("\n") ? text : `${text}\n`);
  }
}
