// `wasm-compose wit <path> [--json] [--features a,b] [--all-features] [--world w]`: resolves a WIT
// file or package folder (with deps/) and prints it as canonical WIT, or wit-parser's JSON. A
// component prints its world and the packages it uses, as `wasm-tools component wit` does. A
// package name or reference that is not a path is pulled (verified, through the cache) and printed.
import { open, stat } from "node:fs/promises";
import { binaryKind, componentWorld, isWitPackage, parseComponent } from "@wasm-compose/component";
import { didYouMean, packageNameToString, printWit, toJson, WitError } from "@wasm-compose/wit";
import type { CommandRun } from "../commands.js";
import { UsageError } from "../errors.js";
import { inFile, readInputFile } from "../files.js";
import { loadWitPackage } from "../load-wit.js";
import type { Output } from "../output.js";
import { registryTarget, withPulled } from "../pulled.js";

function features(value: unknown): string[] {
  if (value === undefined) return [];
  return String(value)
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
}

/** Runs `wit`: a bad input throws the `WitError`, which the CLI renders with its snippet (exit 1). */
export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [path] = args;
  if (path === undefined) throw new UsageError("missing <path>: a .wit file or a folder of .wit files");
  const info = await stat(path).catch(() => null);
  if (info === null && (await registryTarget(path))) {
    const registry = typeof options.registry === "string" ? options.registry : undefined;
    return withPulled(
      path,
      registry,
      (file) => print(file, true, options, out),
      signal,
      (line) => out.note(line),
    );
  }
  return print(path, info?.isFile() ?? false, options, out);
};

async function print(path: string, isFile: boolean, options: Record<string, unknown>, out: Output): Promise<number> {
  if (isFile && (await printedAsComponent(path, options, out))) return 0;
  const { resolve, packageId } = await loadWitPackage(path, {
    features: features(options.features),
    allFeatures: options.allFeatures === true,
  });
  const world = options.world === undefined ? undefined : String(options.world);
  const worlds = resolve.packages[packageId].worlds;
  if (world !== undefined && !worlds.has(world)) {
    const pkg = packageNameToString(resolve.packages[packageId].name);
    throw new WitError(
      "WIT_UNKNOWN",
      `world \`${world}\` not found in package \`${pkg}\``,
      null,
      didYouMean(world, worlds.keys()) ?? `its worlds: ${[...worlds.keys()].join(", ") || "none"}`,
    );
  }
  const text = printWit(resolve, packageId, { nestedDeps: world === undefined, world });
  const json = toJson(resolve) as Record<string, unknown>;
  out.data(text, world === undefined ? json : { ...json, world: worlds.get(world) });
  return 0;
}

/** Prints the component in file `path`'s world (not a binary WIT package: those load as WIT); false for anything else. */
async function printedAsComponent(path: string, options: Record<string, unknown>, out: Output): Promise<boolean> {
  if (binaryKind(await head(path, 8)) !== "component") return false;
  const bytes = await readInputFile(path);
  const binary = inFile(path, () => parseComponent(bytes));
  if (isWitPackage(binary)) return false;
  if (options.world !== undefined || options.features !== undefined || options.allFeatures === true) {
    throw new UsageError("--world, --features and --all-features apply to WIT, not to a component's world");
  }
  // The world and, nested after it, the packages it names, so their types are there to read.
  const { resolve, package: pkg, world } = inFile(path, () => componentWorld(binary));
  out.data(printWit(resolve, pkg, { nestedDeps: true }), { ...(toJson(resolve) as Record<string, unknown>), world });
  return true;
}

/** The first `n` bytes of a file (fewer when it is shorter). */
async function head(path: string, n: number): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const { buffer, bytesRead } = await file.read(new Uint8Array(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
