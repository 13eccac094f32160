// `wasm-compose bindings <component.wasm | wit path> --guest|--host [--name alias] [-o dir]`: TypeScript bindings.
// The input may also be a registry package name or reference (pulled, when no such path exists).
import { basename, join } from "node:path";
import {
  dependencyWorld,
  type GuestBindings,
  generateGuestBindings,
  generateHostPackage,
  type ResultStyle,
  writeFiles,
} from "@wasm-compose/bindgen";
import { componentWorld, isWitPackage, parseComponent } from "@wasm-compose/component";
import { interfaceQualifiedName, type Resolve, type WorldId } from "@wasm-compose/wit";
import { UsageError } from "../errors.js";
import { inputKind, readInputFile } from "../files.js";
import { loadWitPackage } from "../load-wit.js";
import type { Output } from "../output.js";
import { pullable, withPulled } from "../pulled.js";

const USAGE =
  "usage: wasm-compose bindings <component.wasm | wit path> --guest|--host [--name alias] [-o dir] [--world name] [--results throw|union] [--map import=specifier...]";

/** Runs the command: `options` as commander parsed them (see the `bindings` entry in commands.ts). */
export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
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
    return withPulled(input, registry, (file) => generate(file, settings, out));
  }
  return generate(input, settings, out);
}

/** The command's options, checked. */
interface Settings {
  host: boolean;
  results: ResultStyle;
  map: Record<string, string> | undefined;
  name: string | undefined;
  outDir: string | undefined;
  world: string | undefined;
}

async function generate(input: string, settings: Settings, out: Output): Promise<number> {
  const { host, results, map, name, outDir } = settings;
  const isFile = (await inputKind(input)) === "file";
  const bytes = isFile && input.endsWith(".wasm") ? await readInputFile(input) : null;

  if (host) {
    if (bytes === null) throw new UsageError("--host needs a component (.wasm): it runs the component");
    const pkgName = name ?? basename(input, ".wasm");
    const dir = outDir ?? join("node_modules", pkgName);
    const pkg = await generateHostPackage(bytes, { name: pkgName, outDir: dir, results, map });
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
  if (bytes !== null && !isWitPackage(parseComponent(bytes))) {
    const w = componentWorld(bytes);
    world = dependencyWorld(w.resolve, w.world);
    aliases = { [name ?? basename(input, ".wasm")]: importTargets(world.resolve, world.world) };
  } else {
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
