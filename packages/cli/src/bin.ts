// The `wasm-compose` command line: parses arguments, runs one command, maps errors to exit codes.
import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { type CommandSpec, registerCommands } from "./commands.js";
import { ExitCode, errorJson, exitCodeOf, formatError, InterruptedError, UsageError } from "./errors.js";
import { Output, type OutputOptions } from "./output.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Whether a global flag is given (before a `--`): errors may come before commander has parsed it. */
function hasFlag(argv: string[], flag: string): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes(flag);
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(
  argv: string[],
  io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {},
): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => process.stdout.write(s));
  const stderr = io.stderr ?? ((s: string) => process.stderr.write(s));
  const json = hasFlag(argv, "--json");
  let exit: number = ExitCode.ok;
  let out = new Output({ json, quiet: false, debug: false }, stdout, stderr);

  const program = new Command("wasm-compose")
    .description("Compose polyglot WebAssembly components and share them through OCI registries.")
    .version(version(), "-V, --version", "print the version")
    .option("--json", 'print machine-readable JSON on stdout: the result, or {"error": {"code", "message", ...}}')
    .option(
      "-q, --quiet",
      "print only errors and what a command prints by nature (WIT, reports, listings; --json results too)",
    )
    .option("--debug", "show stack traces for errors, and log registry requests on stderr")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: stdout,
      writeErr: stderr,
      // With --json, commander's usage errors are printed as JSON errors instead (below).
      outputError: (text, write) => {
        if (!json) write(text);
      },
    })
    .exitOverride();

  const invoke = async (spec: CommandSpec, args: string[], options: Record<string, unknown>) => {
    const globals = program.opts() as Partial<OutputOptions>;
    out = new Output({ json: !!globals.json, quiet: !!globals.quiet, debug: !!globals.debug }, stdout, stderr);
    const mod = await spec.load();
    // --debug also logs the registry requests (read by the registry client from the environment).
    const debugBefore = process.env.WASM_COMPOSE_DEBUG;
    if (globals.debug) process.env.WASM_COMPOSE_DEBUG = "1";
    try {
      exit = (await interruptible((signal) => mod.run(args, options, out, { signal }))) ?? ExitCode.ok;
    } finally {
      if (globals.debug) {
        if (debugBefore === undefined) delete process.env.WASM_COMPOSE_DEBUG;
        else process.env.WASM_COMPOSE_DEBUG = debugBefore;
      }
    }
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
      // Help and version end through commander with exit code 0; everything else it raises is
      // usage, which it has printed already (but with --json).
      if (e.exitCode === 0) return ExitCode.ok;
      if (json) stdout(`${JSON.stringify(errorJson(usageError(e)))}\n`);
      return ExitCode.usage;
    }
    if (json) stdout(`${JSON.stringify(errorJson(e))}\n`);
    else out.error(formatError(e, hasFlag(argv, "--debug")));
    return exitCodeOf(e);
  }
}

/**
 * A commander error as our UsageError: `error: unknown command 'x'\n(Did you mean y?)` becomes the
 * message `unknown command 'x'` and the hint `Did you mean y?`.
 */
function usageError(e: CommanderError): UsageError {
  // commander shows the help in place of an error when no command is given.
  if (e.code === "commander.help") return new UsageError("missing command: see wasm-compose --help");
  const [first = "", ...rest] = e.message.replace(/^error: /, "").split("\n");
  const hint = rest
    .join(" ")
    .trim()
    .replace(/^\((.*)\)$/, "$1");
  return new UsageError(first, hint || null);
}

/**
 * The abort scope of @wasm-compose/oci (its abort-scope.ts), found by its key on globalThis: a
 * command runs inside it, so every registry request it makes (manifests, tags, tokens, uploads)
 * stops on the command's signal, without loading the registry client for commands that need none.
 */
function abortScope(): AsyncLocalStorage<AbortSignal> {
  const global = globalThis as unknown as Record<symbol, AsyncLocalStorage<AbortSignal> | undefined>;
  const key = Symbol.for("wasm-compose.abort-scope");
  global[key] ??= new AsyncLocalStorage<AbortSignal>();
  return global[key];
}

/** How long an interrupted command has to clean up before the signal ends the process the default way. */
const GRACE_MS = 5000;

/**
 * Runs a command so that SIGINT (Ctrl-C) or SIGTERM stops it cleanly rather than killing the
 * process: its AbortSignal fires, transfers stop and remove their temporary files, and the command
 * fails with an InterruptedError (exit 128 + the signal's number: 130 for Ctrl-C). A command that
 * still finishes reports as usual. A second signal, or a command still running GRACE_MS after
 * the first, ends the process as the signal would have.
 */
async function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: InterruptedError["signal"] | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    clearTimeout(timer);
  };
  const kill = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (received !== undefined) {
      kill(signal);
      return;
    }
    received = signal === "SIGTERM" ? "SIGTERM" : "SIGINT";
    controller.abort(new InterruptedError(received));
    timer = setTimeout(() => kill(signal), GRACE_MS).unref();
  }
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await abortScope().run(controller.signal, () => run(controller.signal));
  } catch (e) {
    throw received === undefined ? e : new InterruptedError(received);
  } finally {
    stop();
  }
}
