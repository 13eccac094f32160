// `wasm-compose wit <path> [--json] [--features a,b] [--all-features] [--world w]`: resolves a WIT
// file or package folder (with deps/) and prints it as canonical WIT, or wit-parser's JSON.
import { didYouMean, packageNameToString, printWit, toJson, WitError } from "@wasm-compose/wit";
import { UsageError } from "../errors.js";
import { loadWitPackage } from "../load-wit.js";
import type { Output } from "../output.js";

function features(value: unknown): string[] {
  if (value === undefined) return [];
  return String(value)
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
}

/** Runs `wit`: a bad input throws the `WitError`, which the CLI renders with its snippet (exit 1). */
export async function run(args: string[], options: Record<string, unknown>, out: Output): Promise<number> {
  const [path] = args;
  if (path === undefined) throw new UsageError("missing <path>: a .wit file or a folder of .wit files");
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
  out.result(text, world === undefined ? json : { ...json, world: worlds.get(world) });
  return 0;
}
