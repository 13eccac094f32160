// `wasm-compose compose <file.wac> [--dep ns:pkg=path ...] [--deps-dir d] [--registry host]
// [--no-registries] [--import-dependencies] -o out.wasm [--graph out.svg|out.dot]`: finds a WAC
// document's packages in files, then registries, composes it, writes the component and, on
// request, a picture of the graph.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { componentWorld, decodeWitPackage, isWitPackage, parseComponent } from "@wasm-compose/component";
import { composeWac, dotToSvg, graphToDot, parseWac, referencedPackages, type WacPackage } from "@wasm-compose/compose";
import { type Environment, formatReference, OciError, openEnvironment, resolvePullTarget } from "@wasm-compose/oci";
import { worldKeyName } from "@wasm-compose/wit";
import type { CommandRun } from "../commands.js";
import { UsageError } from "../errors.js";
import {
  distinctOutputs,
  inFile,
  readInputFile,
  readInputText,
  sha256Hex as sha256,
  writeOutputFiles,
} from "../files.js";
import { loadWitPackage } from "../load-wit.js";
import { type PullTarget, withPulledTarget } from "../pulled.js";

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

async function kindOf(path: string): Promise<"file" | "dir" | null> {
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

/** Loads a package from a `.wasm` (component or binary WIT package), a `.wit` file or a WIT folder. */
async function loadPackage(path: string, source: string = path): Promise<WacPackage> {
  if ((await kindOf(path)) === "dir" || path.endsWith(".wit")) {
    const { resolve, packageId } = await loadWitPackage(path);
    return { kind: "wit", resolve, package: packageId, source };
  }
  const bytes = await readInputFile(path);
  const binary = inFile(path, () => parseComponent(bytes));
  if (isWitPackage(binary)) {
    const { resolve, package: pkg } = decodeWitPackage(binary);
    return { kind: "wit", resolve, package: pkg, source };
  }
  return { kind: "component", bytes, source };
}

/**
 * Registry answers that mean "no such package here"; any other failure (the network, credentials,
 * a corrupt artifact) is reported as it is, not as a package that was not found.
 */
const NOT_THERE = new Set(["NO_MATCHING_VERSION", "NAME_UNKNOWN", "MANIFEST_UNKNOWN", "NOT_FOUND"]);

/** How `--graph` writes the graph, by the file's extension. */
function graphFormat(path: string): "svg" | "dot" {
  if (/\.svg$/i.test(path)) return "svg";
  if (/\.(dot|gv)$/i.test(path)) return "dot";
  throw new UsageError(`--graph ${path}: expected a .dot, .gv or .svg file`);
}

/**
 * Pulls a package through the configured registries (as `pull` does; `registry` overrides the
 * mapping). `null` when no registry has it.
 */
async function fromRegistry(
  env: Environment,
  name: string,
  version: string | null,
  registry: string | undefined,
  signal: AbortSignal | undefined,
  note: (line: string) => void,
): Promise<WacPackage | null> {
  let target: PullTarget;
  try {
    target = await resolvePullTarget(env, version === null ? name : `${name}@${version}`, registry);
  } catch (e) {
    if (e instanceof OciError && NOT_THERE.has(e.code)) return null;
    throw e;
  }
  try {
    const load = (file: string) => loadPackage(file, formatReference(target.reference));
    return await withPulledTarget(target, load, signal, (source) => note(`${name}: ${source}`));
  } catch (e) {
    if (e instanceof OciError && NOT_THERE.has(e.code)) return null;
    throw e;
  }
}

/** `deps/<ns>/<pkg>@<version>.wasm`, `deps/<ns>/<pkg>.wasm`, then WIT: `deps/<ns>/<pkg>/` or `<pkg>.wit`. */
async function fromDepsDir(dir: string, name: string, version: string | null): Promise<string | null> {
  const parts = name.split(":");
  const base = join(dir, ...parts);
  const candidates = [
    ...(version === null ? [] : [`${base}@${version}.wasm`]),
    `${base}.wasm`,
    ...(version === null ? [] : [`${base}@${version}`]),
    base,
    `${base}.wit`,
  ];
  for (const c of candidates) if ((await kindOf(c)) !== null) return c;
  return null;
}

/** Runs `compose`; WAC and composition errors are thrown and printed by the CLI (exit 1). */
export const run: CommandRun = async (args, options, out, { signal } = {}) => {
  const [file] = args;
  if (file === undefined) throw new UsageError("missing <file.wac>: the composition to build");
  if (typeof options.output !== "string")
    throw new UsageError("missing -o, --output <file>: where to write the result");
  if (options.registries === false && typeof options.registry === "string") {
    throw new UsageError("--registry and --no-registries cannot go together");
  }
  const deps = new Map<string, string>();
  for (const d of list(options.dep)) {
    const eq = d.indexOf("=");
    if (eq <= 0) throw new UsageError(`--dep ${d}: expected ns:pkg=path`);
    deps.set(d.slice(0, eq), d.slice(eq + 1));
  }
  const graphPath = typeof options.graph === "string" ? options.graph : undefined;
  const format = graphPath === undefined ? undefined : graphFormat(graphPath);
  const outputFlags = [
    { flag: "-o", path: options.output },
    ...(graphPath === undefined ? [] : [{ flag: "--graph", path: graphPath }]),
  ];
  await distinctOutputs(outputFlags, [file, ...deps.values()]);
  const text = await readInputText(file);
  const depsDir = typeof options.depsDir === "string" ? options.depsDir : "deps";
  // Load every referenced package first; resolution itself is synchronous.
  const doc = parseWac(text, { filename: file });
  const loaded = new Map<string, WacPackage>();
  const read = [file];
  const registry = typeof options.registry === "string" ? options.registry : undefined;
  let env: Environment | undefined;
  for (const ref of referencedPackages(doc)) {
    const version = ref.version ?? null;
    const key = version === null ? ref.name : `${ref.name}@${version}`;
    const path = deps.get(key) ?? deps.get(ref.name) ?? (await fromDepsDir(depsDir, ref.name, version));
    if (path !== null) {
      loaded.set(key, await loadPackage(path));
      read.push(path);
    } else if (options.registries !== false) {
      env ??= await openEnvironment({ onCacheFallback: (message) => out.note(message) });
      const pulled = await fromRegistry(env, ref.name, version, registry, signal, (line) => out.note(line));
      if (pulled !== null) loaded.set(key, pulled);
    }
  }
  // Files found in the deps folder are inputs too.
  await distinctOutputs(outputFlags, read);
  const result = composeWac(text, {
    filename: file,
    document: doc,
    sha256,
    importDependencies: options.importDependencies === true,
    missingPackageHint: `give it with --dep ns:pkg=path or put it in the deps folder (${depsDir})${options.registries === false ? "" : ", or publish it to the registry"}`,
    packages: (name, version) => loaded.get(version === null ? name : `${name}@${version}`) ?? null,
  });
  // Everything is made before anything is written, and both files land together or not at all.
  const outputs: { path: string; data: Uint8Array | string }[] = [{ path: options.output, data: result.bytes }];
  if (graphPath !== undefined) {
    const dot = graphToDot(result.graph, doc.package.name.name);
    outputs.push({ path: graphPath, data: format === "svg" ? await dotToSvg(dot) : dot });
  }
  await writeOutputFiles(outputs);
  // What the component imports, as written: with --import-dependencies, the components too.
  const world = componentWorld(result.bytes);
  const imports = [
    ...[...world.resolve.worlds[world.world].imports.keys()].map((k) => worldKeyName(world.resolve, k)),
    ...world.others.filter((o) => o.direction === "import").map((o) => o.name),
  ];
  out.result(`wrote ${options.output} (${result.bytes.length} bytes, ${imports.length} imports left open)`, {
    output: options.output,
    size: result.bytes.length,
    imports,
    exports: [...result.graph.exports.keys()],
  });
  return 0;
};
