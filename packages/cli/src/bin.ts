// The `wasm-compose` command line: parses arguments, runs one command, maps errors to exit codes.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { type CommandSpec, registerCommands } from "./commands.js";
import { ExitCode, errorJson, formatError, UsageError } from "./errors.js";
import { Output, type OutputOptions } from "./output.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(
  argv: string[],
  io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {},
): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => process.stdout.write(s));
  const stderr = io.stderr ?? ((s: string) => process.stderr.write(s));
  let exit: number = ExitCode.ok;
  let out = new Output({ json: false, quiet: false, debug: false }, stdout, stderr);

  const program = new Command("wasm-compose")
    .description("Compose polyglot WebAssembly components and share them through OCI registries.")
    .version(version(), "-V, --version", "print the version")
    .option("--json", "print machine-readable JSON")
    .option("-q, --quiet", "print nothing but errors")
    .option("--debug", "show stack traces for errors")
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: stdout, writeErr: stderr })
    .exitOverride();

  const invoke = async (spec: CommandSpec, args: string[], options: Record<string, unknown>) => {
    const globals = program.opts() as Partial<OutputOptions>;
    out = new Output({ json: !!globals.json, quiet: !!globals.quiet, debug: !!globals.debug }, stdout, stderr);
    const mod = await spec.load();
    exit = (await mod.run(args, options, out)) ?? ExitCode.ok;
  };
  registerCommands(program, invoke);
  program.helpCommand(true);

  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end through commander with exit code 0; everything else it raises is usage.
      if (e.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage;
    }
    const debug = argv.includes("--debug");
    if (argv.includes("--json")) stdout(`${JSON.stringify(errorJson(e))}\n`);
    else out.error(formatError(e, debug));
    return e instanceof UsageError ? ExitCode.usage : ExitCode.failed;
  }
}
