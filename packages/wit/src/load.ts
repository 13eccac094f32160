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
    throw new WitError("E_WIT_IO", `failed to read \`${path}\`: ${(e as Error).message}`);
  }
}

async function readSource(path: string): Promise<WitSource> {
  try {
    return { name: path, text: await readFile(path, "utf8") };
  } catch (e) {
    throw new WitError("E_WIT_IO", `failed to read file \`${path}\`: ${(e as Error).message}`);
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
export async function loadWitPackage(path: string, opts: FeatureOptions = {}): Promise<ResolvedPackage> {
  if (!(await isDir(path))) return resolveWitSources([await readSource(path)], [], opts);
  const main = await readPackageDir(path);
  const deps: WitSource[][] = [];
  const depsDir = join(path, "deps");
  if (await exists(depsDir)) {
    for (const n of (await readdir(depsDir)).sort()) {
      const p = join(depsDir, n);
      if (await isDir(p)) deps.push(await readPackageDir(p));
      else if (n.endsWith(".wit")) deps.push([await readSource(p)]);
      else if (n.endsWith(".wasm"))
        throw new WitError("E_WIT_IO", `binary WIT package \`${p}\` in deps/ is not supported; use its .wit text form`);
    }
  }
  return resolveWitSources(main, deps, opts);
}
