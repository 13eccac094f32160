// `wasm-compose bindings <component.wasm | wit path> --guest|--host [--name alias] [-o dir]`: TypeScript bindings.
import { basename, join } from "node:path";
import {
  dependencyWorld,
  type GuestBindings,
  generateGuestBindings,
  generateHostPackage,
  type ResultStyle,
  writeFiles,
} from "@wasm-compose/bindgen";
import { componentWorld, decodeWitPackage, isWitPackage, parseComponent } from "@wasm-compose/component";
import { interfaceQualifiedName, loadWitPackage, type Resolve, type WorldId } from "@wasm-compose/wit";
import { UsageError } from "../errors.js";
import { inputKind, readInputFile } from "../files.js";
import type { Output } from "../output.js";

const USAGE =
  "usage: wasm-compose bindings <component.wasm | wit path> --guest|--host [--name alias] [-o dir] [--world name] [--results throw|union]";

export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
  const [input] = args;
  const guest = options.guest === true;
  const host = options.host === true;
  if (!input || guest === host) throw new UsageError(USAGE);
  const results = (options.results ?? "throw") as ResultStyle;
  if (results !== "throw" && results !== "union")
    throw new UsageError(`--results: expected throw or union, found ${results}`);
  const name = typeof options.name === "string" ? options.name : undefined;
  const outDir = typeof options.output === "string" ? options.output : undefined;
  const isFile = (await inputKind(input)) === "file";
  const bytes = isFile && input.endsWith(".wasm") ? await readInputFile(input) : null;

  if (host) {
    if (bytes === null) throw new UsageError("--host needs a component (.wasm): it runs the component");
    const pkgName = name ?? basename(input, ".wasm");
    const dir = outDir ?? join("node_modules", pkgName);
    const pkg = await generateHostPackage(bytes, { name: pkgName, outDir: dir, results });
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
    const alias = name ?? basename(input, ".wasm");
    const exported = [...world.resolve.worlds[world.world].imports.values()];
    aliases = {
      [alias]: exported.flatMap((i) => (i.tag === "interface" ? [qualified(world.resolve, i.id)] : [])),
    };
  } else {
    const decoded = bytes !== null ? decodeWitPackage(bytes) : null;
    const { resolve, packageId } =
      decoded !== null ? { resolve: decoded.resolve, packageId: decoded.package } : await loadWitPackage(input);
    const worlds = resolve.packages[packageId].worlds;
    const wanted =
      typeof options.world === "string" ? options.world : worlds.size === 1 ? [...worlds.keys()][0] : undefined;
    const id = wanted === undefined ? undefined : worlds.get(wanted);
    if (id === undefined) {
      throw new UsageError(
        `--world: expected one of ${[...worlds.keys()].join(", ") || "(none)"}, found ${wanted ?? "nothing"}`,
      );
    }
    world = { resolve, world: id };
    if (name !== undefined) {
      const imports = [...resolve.worlds[id].imports.values()].flatMap((i) =>
        i.tag === "interface" && !qualified(resolve, i.id).startsWith("wasi:") ? [qualified(resolve, i.id)] : [],
      );
      aliases = { [name]: imports };
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

function qualified(resolve: Resolve, id: number): string {
  const q = interfaceQualifiedName(resolve, id);
  if (q === null) throw new UsageError(`interface ${id} has no name`);
  return q;
}
