// loadWit: reads a .wit file or a package folder (with its deps/) from disk. The only Node-specific module.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ResolvedPackage, resolveWitSources, type WitSource } from "./api.js";
import { WitError } from "./errors.js";
import type { FeatureOptions } from "./resolve.js";

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory(); // stat follows symlinks
  } catch (e) {
    throw new WitError("WIT_IO", `failed to read \`${path}\`: ${(e as Error).message}`);
  }
}

/** Options of {@link loadWitPackage}. */
export interface LoadOptions extends FeatureOptions {
  /**
   * Turns a binary WIT package (`.wasm`, as registries store them) into WIT text: its own package
   * (`main`) and the packages it uses (`foreign`, used when the `.wasm` is the path loaded; in deps/
   * the other deps provide them). The decoder lives in @wasm-compose/component
   * (`witPackageSources`), which depends on this package, so it is passed in; without it a `.wasm`
   * package is refused.
   */
  binaryPackage?: (bytes: Uint8Array, path: string) => { main: string; foreign: string[] };
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new WitError("WIT_IO", `failed to read file \`${path}\`: ${(e as Error).message}`);
  }
}

/** Whether bytes start with WebAssembly's `\0asm` magic (a binary WIT package is a component). */
function isWasm(bytes: Uint8Array): boolean {
  return bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

function decodeBinaryPackage(
  bytes: Uint8Array,
  path: string,
  opts: LoadOptions,
): { main: WitSource; foreign: WitSource[] } {
  if (!opts.binaryPackage) {
    throw new WitError(
      "WIT_IO",
      `binary WIT package \`${path}\` needs a decoder: pass \`binaryPackage\` (witPackageSources from @wasm-compose/component)`,
    );
  }
  try {
    const { main, foreign } = opts.binaryPackage(bytes, path);
    return {
      main: { name: `${path} (decoded)`, text: main },
      foreign: foreign.map((text, i) => ({ name: `${path} (decoded, package ${i + 1})`, text })),
    };
  } catch (e) {
    throw new WitError("WIT_IO", `\`${path}\` is not a binary WIT package: ${(e as Error).message}`);
  }
}

async function readSource(path: string): Promise<WitSource> {
  try {
    return { name: path, text: await readFile(path, "utf8") };
  } catch (e) {
    throw new WitError("WIT_IO", `failed to read file \`${path}\`: ${(e as Error).message}`);
  }
}

/** The `*.wit` files directly inside a folder, sorted by name (sub-folders are skipped). */
async function readPackageDir(dir: string): Promise<WitSource[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".wit")).sort();
  const out: WitSource[] = [];
  for (const n of names) {
    const p = join(dir, n);
    if (await isDir(p)) continue;
    out.push(await readSource(p));
  }
  if (out.length === 0) {
    throw new WitError(
      "WIT_PACKAGE",
      `no .wit files in \`${dir}\``,
      null,
      "a WIT package folder holds the package's .wit files, and its dependencies in `deps/`",
    );
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Loads a WIT file or folder and returns the Resolve with the id of the main package. */
export async function loadWitPackage(path: string, opts: LoadOptions = {}): Promise<ResolvedPackage> {
  if (!(await isDir(path))) {
    // A file is WIT text or a binary WIT package by its content, whatever its name.
    const bytes = await readBytes(path);
    if (!isWasm(bytes))
      return resolveWitSources(
        [{ name: path, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) }],
        [],
        opts,
      );
    const { main, foreign } = decodeBinaryPackage(bytes, path, opts);
    return resolveWitSources(
      [main],
      foreign.map((f) => [f]),
      opts,
    );
  }
  const main = await readPackageDir(path);
  const deps: WitSource[][] = [];
  const depsDir = join(path, "deps");
  if (await exists(depsDir)) {
    for (const n of (await readdir(depsDir)).sort()) {
      const p = join(depsDir, n);
      if (await isDir(p)) deps.push(await readPackageDir(p));
      else if (n.endsWith(".wit")) deps.push([await readSource(p)]);
      else if (n.endsWith(".wasm")) deps.push([decodeBinaryPackage(await readBytes(p), p, opts).main]);
    }
  }
  return resolveWitSources(main, deps, opts);
}
