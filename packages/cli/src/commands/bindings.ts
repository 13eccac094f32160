// `wasm-compose bindings <component.wasm | wit path> --guest|--host [--name alias] [-o dir]`: TypeScript bindings.
// The input may also be a registry package name or reference (pulled, when no such path exists); a
// file is a component, a binary WIT package or WIT text by its content, whatever its name.
import { basename, extname, join } from "node:path";
import {
  dependencyWorld,
  type GuestBindings,
  generateGuestBindings,
  generateHostPackage,
  type ResultStyle,
  writeFiles,
} from "@wasm-compose/bindgen";
import { binaryKind, componentWorld, isWitPackage, parseComponent } from "@wasm-compose/component";
import { interfaceQualifiedName, isSemver, type Resolve, type WorldId, worldKeyName } from "@wasm-compose/wit";
import type { CommandRun } from "../commands.js";
import { InputError, UsageError } from "../errors.js";
import { inputKind, readInputFile } from "../files.js";
import { loadWitPackage } from "../load-wit.js";
import type { Output } from "../output.js";
import { type PullTarget, pullable, withPulled } from "../pulled.js";

const USAGE =
  "usage: wasm-compose bindings <component.wasm | wit path> --guest|--host [--name alias] [-o dir] [--world name] [--results throw|union] [--map import=specifier]...";

/** Runs the command: `options` as commander parsed them (see the `bindings` entry in commands.ts). */
export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [input] = args;
  const guest = options.guest === true;
  const host = options.host === true;
  if (!input || guest === host) throw new UsageError(USAGE);
  const results = (options.results ?? "throw") as ResultStyle;
  if (results !== "throw" && results !== "union")
    throw new UsageError(`--results: expected throw or union, found ${results}`);
  const map = importMap(options.map);
  if (map !== undefined && !host) throw new UsageError("--map: only with --host (where jco's glue imports from)");
  const settings: Settings = {
    host,
    results,
    map,
    name: typeof options.name === "string" ? options.name : undefined,
    outDir: typeof options.output === "string" ? options.output : undefined,
    world: typeof options.world === "string" ? options.world : undefined,
  };
  if (await pullable(input)) {
    const registry = typeof options.registry === "string" ? options.registry : undefined;
    // A host package of a pulled component takes the version it was pulled as.
    const pulledAs = (file: string, target: PullTarget) =>
      generate(file, { ...settings, version: isSemver(target.manifest) ? target.manifest : undefined }, out);
    return withPulled(input, registry, pulledAs, signal, (line) => out.note(line));
  }
  return generate(input, settings, out);
};

/** The command's options, checked. */
interface Settings {
  host: boolean;
  results: ResultStyle;
  map: Record<string, string> | undefined;
  name: string | undefined;
  outDir: string | undefined;
  world: string | undefined;
  /** The host package's version (a pulled component's); default 0.0.0. */
  version?: string;
}

async function generate(input: string, settings: Settings, out: Output): Promise<number> {
  const { host, results, map, name, outDir } = settings;
  const source = await readSource(input);
  if (source.kind === "component" && settings.world !== undefined) {
    throw new UsageError("--world: a component has one world; --world picks one of a WIT package's worlds");
  }

  if (host) {
    if (source.kind !== "component") {
      throw new InputError(`--host needs a component to run, found ${describeSource(source)}: ${input}`);
    }
    const pkgName = name ?? defaultName(input);
    const dir = outDir ?? join("node_modules", pkgName);
    if (map !== undefined) checkMap(map, source.bytes);
    const version = settings.version;
    const pkg = await generateHostPackage(source.bytes, {
      name: pkgName,
      outDir: dir,
      results,
      map,
      ...(version === undefined ? {} : { version }),
    });
    out.result(`host package ${pkg.name} (${pkg.interfaces.join(", ")}) -> ${dir}`, {
      kind: "host",
      name: pkg.name,
      dir,
      interfaces: pkg.interfaces,
      imports: pkg.imports,
      files: [...pkg.files.keys()],
    });
    return 0;
  }

  // Guest: a component's exports (its user imports them), or a WIT world's imports.
  let world: { resolve: Resolve; world: WorldId };
  let aliases: Record<string, string[]> | undefined;
  if (source.kind === "component") {
    const w = componentWorld(source.bytes);
    world = dependencyWorld(w.resolve, w.world);
    aliases = { [name ?? defaultName(input)]: importTargets(world.resolve, world.world) };
  } else {
    // A folder, WIT text or a binary WIT package: loadWitPackage reads files by their content too.
    const { resolve, packageId } = await loadWitPackage(input);
    const worlds = resolve.packages[packageId].worlds;
    const wanted = settings.world ?? (worlds.size === 1 ? [...worlds.keys()][0] : undefined);
    const id = wanted === undefined ? undefined : worlds.get(wanted);
    if (id === undefined) {
      throw new UsageError(
        `--world: expected one of ${[...worlds.keys()].join(", ") || "(none)"}, found ${wanted ?? "nothing"}`,
      );
    }
    world = { resolve, world: id };
    if (name !== undefined) {
      aliases = { [name]: importTargets(resolve, id).filter((t) => !t.startsWith("wasi:")) };
    }
  }
  const bindings: GuestBindings = generateGuestBindings(world.resolve, world.world, { aliases, results });
  const dir = outDir ?? "node_modules";
  await writeFiles(dir, bindings.files);
  out.result(
    bindings.aliases.map((a) => `alias ${a.name} (${a.interfaces.join(", ")}) -> ${join(dir, a.name)}`).join("\n") ||
      `declarations -> ${dir}`,
    {
      kind: "guest",
      dir,
      aliases: bindings.aliases.map((a) => ({ name: a.name, interfaces: a.interfaces })),
      files: [...bindings.files.keys()],
    },
  );
  return 0;
}

/**
 * Refuses a `--map` entry that names none of the component's imports, which would otherwise go
 * unnoticed until the package runs. An entry matches an import by its name, with or without the
 * version, and `*` stands for any text (`example:text/*`), as in jco's import map.
 */
function checkMap(map: Record<string, string>, bytes: Uint8Array): void {
  const w = componentWorld(bytes);
  const imports = [...w.resolve.worlds[w.world].imports.keys()].map((k) => worldKeyName(w.resolve, k));
  for (const key of Object.keys(map)) {
    const pattern = new RegExp(
      `^${key
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    if (!imports.some((i) => pattern.test(i) || pattern.test(i.replace(/@[^/]*$/, "")))) {
      throw new UsageError(
        `--map ${key}=${map[key]}: the component imports nothing by that name (its imports: ${imports.join(", ") || "none"})`,
      );
    }
  }
}

/** What the input is, decided by its content (the `\0asm` magic), never by its file name. */
type Source =
  | { kind: "folder" }
  | { kind: "component"; bytes: Uint8Array }
  | { kind: "wit-package"; bytes: Uint8Array }
  | { kind: "wit-text" };

async function readSource(input: string): Promise<Source> {
  if ((await inputKind(input)) === "dir") return { kind: "folder" };
  const bytes = await readInputFile(input);
  const kind = binaryKind(bytes);
  if (kind === "component") {
    return isWitPackage(parseComponent(bytes)) ? { kind: "wit-package", bytes } : { kind: "component", bytes };
  }
  const expected = "expected a component, a binary WIT package or WIT text";
  if (kind === "module") throw new InputError(`${input}: ${expected}, found a core module`);
  if (bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) {
    throw new InputError(`${input}: ${expected}, found a WebAssembly binary of an unknown layer or version`);
  }
  // Not WebAssembly: WIT text, if it is text at all (a parse error would quote raw bytes back).
  if (!isText(bytes)) throw new InputError(`${input}: ${expected}, found a binary file (no \\0asm magic)`);
  return { kind: "wit-text" };
}

/** Whether the bytes are text: valid UTF-8 without a NUL. */
function isText(bytes: Uint8Array): boolean {
  try {
    return !new TextDecoder("utf-8", { fatal: true }).decode(bytes).includes("\0");
  } catch {
    return false;
  }
}

function describeSource(source: Source): string {
  if (source.kind === "folder") return "a folder";
  if (source.kind === "wit-package") return "a binary WIT package (types only)";
  return source.kind === "wit-text" ? "WIT text" : "a component";
}

/** The package or alias name a file gives when `--name` is not: its name without its extension (`c-case.wasm` → `c-case`). */
function defaultName(input: string): string {
  return basename(input, extname(input));
}

/** What an alias may re-export of a world's imports: interfaces (qualified, or an inline one's name) and functions. */
function importTargets(resolve: Resolve, world: WorldId): string[] {
  return [...resolve.worlds[world].imports].flatMap(([key, item]) => {
    if (item.tag === "type") return [];
    return [typeof key === "string" ? key : (interfaceQualifiedName(resolve, key) ?? `interface-${key}`)];
  });
}

/** `--map ns:pkg/iface=specifier` entries (repeatable) as jco's import map; `undefined` when none. */
function importMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const entries = Array.isArray(value) ? value.map(String) : [String(value)];
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0 || eq === entry.length - 1) {
      throw new UsageError(`--map: expected <import>=<specifier> (e.g. example:math/arith=./arith.js), found ${entry}`);
    }
    map[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return map;
}
