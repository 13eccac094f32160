// The table of CLI commands. Each command's code is imported only when that command runs,
// so `wasm-compose --help` stays fast and never loads jco's wasm.
import type { Command } from "commander";
import { UsageError } from "./errors.js";
import type { Output } from "./output.js";

/** What a command runs with besides its arguments (the CLI always gives it; direct callers may not). */
export interface CommandContext {
  /** Fires on SIGINT or SIGTERM: a command passes it on to transfers, which stop and remove their temporary files. */
  signal?: AbortSignal;
}

/** A command's entry point: commander's parsed arguments and options, where output goes, and its context. */
export type CommandRun = (
  args: string[],
  options: Record<string, unknown>,
  out: Output,
  context?: CommandContext,
) => Promise<number>;

/** A command module, loaded when its command runs. */
export interface CommandModule {
  run: CommandRun;
}

/** One option of a command. */
export interface OptionSpec {
  /** e.g. `--plug <file>`; a repeatable option takes one value per use. */
  flags: string;
  description: string;
  defaultValue?: string | boolean;
  /**
   * Each use adds one value, and the command receives an array (`--plug a --plug b`). Not
   * commander's variadic `<x...>`, which would also take the positional arguments after it.
   */
  repeatable?: boolean;
}

/** How a command is declared: its syntax and help here, its code behind `load`. */
export interface CommandSpec {
  /** e.g. `wit <path>` */
  syntax: string;
  summary: string;
  options?: OptionSpec[];
  load: () => Promise<CommandModule>;
}

/** Every command the CLI knows. Issues add theirs here. */
export const commands: CommandSpec[] = [
  {
    syntax: "wit <path>",
    summary:
      "resolve a WIT file or package folder (with deps/) and print it as canonical WIT or JSON; a component prints its world; a package name or reference is pulled and printed",
    options: [
      { flags: "--features <list>", description: "enable @unstable features (comma-separated)" },
      { flags: "--all-features", description: "enable every @unstable feature" },
      { flags: "--world <name>", description: "print only this world of the package" },
      { flags: "--registry <host>", description: "registry for a package name (a path that does not exist)" },
    ],
    load: () => import("./commands/wit.js"),
  },
  {
    syntax: "inspect <file>",
    summary:
      "show a .wasm file: kind, size, imports and exports with types, metadata; a package name or reference is pulled and shown",
    options: [
      { flags: "--wit", description: "print its WIT (component world or WIT package)" },
      { flags: "--registry <host>", description: "registry for a package name (a path that does not exist)" },
    ],
    load: () => import("./commands/inspect.js"),
  },
  {
    syntax: "plug <socket>",
    summary:
      "plug components into a socket component's imports (plugs may satisfy each other's) and write one component; each may be a package name to pull",
    options: [
      {
        flags: "--plug <file>",
        description: "a component whose exports satisfy imports, or a package name to pull",
        repeatable: true,
      },
      { flags: "-o, --output <file>", description: "where to write the composed component" },
      { flags: "--name <name>", description: "the component-name of the result (default: the socket's file name)" },
      { flags: "--registry <host>", description: "registry for package names (inputs that are not paths)" },
    ],
    load: () => import("./commands/plug.js"),
  },
  {
    syntax: "compose <file>",
    summary: "compose components as a WAC document says and write one component",
    options: [
      {
        flags: "--dep <ns:pkg=path>",
        description: "a package's file: a component, a binary WIT package, a .wit file or a WIT folder",
        repeatable: true,
      },
      {
        flags: "--deps-dir <dir>",
        description: "where other packages are: <dir>/<ns>/<pkg>[@<version>].wasm, or WIT",
        defaultValue: "deps",
      },
      { flags: "--registry <host>", description: "pull packages without a file from this registry" },
      { flags: "--no-registries", description: "never pull packages from registries" },
      { flags: "--import-dependencies", description: "import the components instead of embedding them" },
      { flags: "-o, --output <file>", description: "where to write the composed component" },
      { flags: "--graph <file>", description: "also write the composition graph (.dot or .svg)" },
    ],
    load: () => import("./commands/compose.js"),
  },
  {
    syntax: "targets <file>",
    summary:
      "check that a component (a file, or a package name to pull) fits a world: only allowed imports, every required export",
    options: [
      { flags: "--wit <path>", description: "the WIT file or folder with the world" },
      { flags: "--world <name>", description: "the world (needed when the package has several)" },
      { flags: "--registry <host>", description: "registry for a package name (a path that does not exist)" },
    ],
    load: () => import("./commands/targets.js"),
  },
  {
    syntax: "publish <input> [target]",
    summary:
      "publish a component or WIT package (ns:name@version or a tagged reference); WIT (a .wit file or a folder) is encoded and published as its own ns:name@version",
    options: [
      { flags: "--registry <host>", description: "registry for a package name" },
      { flags: "--annotation <key=value>", description: "a manifest annotation", repeatable: true },
    ],
    load: () => import("./commands/publish.js"),
  },
  {
    syntax: "pull <target>",
    summary: "pull a component or WIT package (ns:name[@requirement] or a reference)",
    options: [
      {
        flags: "-o, --output <path>",
        description:
          "where to write (default ./<name>.wasm); a folder (one that exists, or a path ending in /) gets <name>.wasm inside",
      },
      { flags: "--registry <host>", description: "registry for a package name" },
      { flags: "--offline", description: "use only the local cache" },
    ],
    load: () => import("./commands/pull.js"),
  },
  {
    syntax: "login <registry>",
    summary:
      "check and store registry credentials (<registry> is a host[:port]; https:// and a trailing / are dropped)",
    options: [
      { flags: "-u, --username <user>", description: "user name (without it, the password is an identity token)" },
      {
        flags: "-p, --password <password>",
        description: "password or token (seen by other users in the process list: prefer --password-stdin)",
      },
      { flags: "--password-stdin", description: "read the password (or identity token) from stdin" },
    ],
    load: () => import("./commands/login.js"),
  },
  {
    syntax: "bindings <input>",
    summary:
      "TypeScript bindings: alias packages for a JS/TS guest (--guest) or a runnable Node package (--host); <input> may be a package name to pull",
    options: [
      { flags: "--registry <host>", description: "registry for a package name (an input that is not a path)" },
      { flags: "--guest", description: "declarations and alias packages for a component that imports <input>" },
      { flags: "--host", description: "an npm package running the component <input> in Node (jco transpile)" },
      {
        flags: "--name <alias>",
        description: "the alias/package name (default: the file name; for WIT, one per package)",
      },
      {
        flags: "-o, --output <dir>",
        description: "where to write (default: node_modules, or node_modules/<name> for --host)",
      },
      { flags: "--world <name>", description: "the world, when the WIT package has several" },
      { flags: "--results <style>", description: "throw (default) or union: how functions returning result look" },
      {
        flags: "--map <import=specifier>",
        description: "with --host: the module an import of the component comes from",
        repeatable: true,
      },
    ],
    load: () => import("./commands/bindings.js"),
  },
  {
    syntax: "logout <registry>",
    summary: "forget the credentials stored for a registry (a host[:port], as for login)",
    load: () => import("./commands/logout.js"),
  },
  { syntax: "cache <action>", summary: "ls | clean the registry cache", load: () => import("./commands/cache.js") },
];

/**
 * A registry named on the command line (`login`, `logout`, `--registry`), as the host[:port] the
 * client uses: `https://ghcr.io/`, `GHCR.io` and `ghcr.io` are one registry. The scheme is only
 * dropped: plain HTTP is used for loopback hosts and those in WASM_COMPOSE_INSECURE_REGISTRIES.
 * Anything that is not a host (a path, a space) is a UsageError naming `what`; user info
 * (`user:password@`) is refused without repeating it.
 */
export async function registryHost(text: string, what: string): Promise<string> {
  // `user:password@host` (any scheme): the text is not repeated, as it holds a secret.
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i.test(text)) {
    throw new UsageError(
      `${what}: credentials in the URL (user:password@) are not accepted; give the host alone and log in with \`wasm-compose login <host>\``,
    );
  }
  const host = text.replace(/^https?:\/\//i, "").replace(/\/+$/, "");
  const { parseReference } = await import("@wasm-compose/oci");
  try {
    // The reference parser checks a default registry as a host (and maps docker.io's other names).
    return parseReference("x", { defaultRegistry: host }).registry;
  } catch {
    // Reported below, in the command line's terms.
  }
  // An `@` further on may still be user info, only mistyped (`https:/user:pass@host`): not repeated either.
  const shown = text.includes("@") ? "" : ` ${JSON.stringify(text)}`;
  throw new UsageError(`${what}${shown} is not a host: expected host[:port], such as ghcr.io or localhost:5000`);
}

/** Adds the commands to a commander program; `invoke` runs one with its lazily loaded module. */
export function registerCommands(
  program: Command,
  invoke: (spec: CommandSpec, args: string[], options: Record<string, unknown>) => Promise<void>,
): void {
  for (const spec of commands) {
    const cmd = program.command(spec.syntax).description(spec.summary);
    for (const o of spec.options ?? []) {
      if (o.repeatable) cmd.option(o.flags, `${o.description} (repeatable)`, collect);
      else cmd.option(o.flags, o.description, o.defaultValue);
    }
    cmd.action(async (...received: unknown[]) => {
      // commander passes: ...positional args, options object, the Command itself.
      const command = received[received.length - 1] as Command;
      const options = { ...command.opts() };
      if (typeof options.registry === "string") options.registry = await registryHost(options.registry, "--registry");
      const args = received.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a : a === undefined ? [] : [String(a)]));
      await invoke(spec, args, options);
    });
  }
}

/** A repeatable option's values: each use adds one. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
