// Core API (browser-safe): resolving WIT source texts into a Resolve.
import { SourceFile, WitError } from "./errors.js";
import { createResolve, type PackageId, type Resolve } from "./model.js";
import { parseFile } from "./parser.js";
import { buildGroup, type FeatureOptions, pushGroups } from "./resolve.js";

/** Options of `parseWit`. */
export interface ParseOptions extends FeatureOptions {
  /** The name errors report for the source (default `<input>.wit`). */
  filename?: string;
}

/** A source text with the name errors report for it. */
export interface WitSource {
  name: string;
  text: string;
}

/** A resolved set of packages and the id of the main one. */
export interface ResolvedPackage {
  resolve: Resolve;
  packageId: PackageId;
}

/**
 * Resolves WIT sources without touching a file system: `main` holds the files of the main package
 * (one folder), each entry of `deps` the files of one dependency (a `deps/` folder or file).
 */
export function resolveWitSources(
  main: WitSource[],
  deps: WitSource[][] = [],
  opts: FeatureOptions = {},
): ResolvedPackage {
  try {
    const groups = [main, ...deps].map((files) =>
      buildGroup(files.map((f) => parseFile(new SourceFile(f.name, f.text)))),
    );
    const resolve = createResolve();
    const packageId = pushGroups(resolve, groups, opts);
    return { resolve, packageId };
  } catch (e) {
    // Pathological inputs (chains of thousands of interfaces) can exhaust the stack; wit-parser
    // crashes on them. Report them as input errors rather than crashing.
    if (e instanceof RangeError) throw new WitError("WIT_INVALID", `input nests too deeply to resolve: ${e.message}`);
    throw e;
  }
}

/** Parses and resolves one WIT source (which may hold nested packages) into a main package id and its Resolve. */
export function parseWitPackage(source: string, opts: ParseOptions = {}): ResolvedPackage {
  return resolveWitSources([{ name: opts.filename ?? "<input>.wit", text: source }], [], opts);
}

/** Parses and resolves one WIT source text. Throws `WitError` on invalid input. */
export function parseWit(source: string, opts: ParseOptions = {}): Resolve {
  return parseWitPackage(source, opts).resolve;
}
