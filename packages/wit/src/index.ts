// Public API of @wasm-compose/wit: the WIT model, parsing and resolving, printing and JSON.
import type { ResolvedPackage } from "./api.js";
import type { LoadOptions } from "./load.js";
import type { Resolve } from "./model.js";

export const packageName = "@wasm-compose/wit";
export {
  type ParseOptions,
  parseWit,
  parseWitPackage,
  type ResolvedPackage,
  resolveWitSources,
  type WitSource,
} from "./api.js";
export { elaborateWorld, interfaceDirectDeps, typeInterfaceDep } from "./elaborate.js";
export {
  type DiagnosticAt,
  didYouMean,
  renderDiagnostic,
  SourceFile,
  WitError,
  type WitErrorCode,
} from "./errors.js";
export { toJson } from "./json.js";
export type { LoadOptions } from "./load.js";
export * from "./model.js";
export { type PrintOptions, printWit, witIdent, witType } from "./print.js";
export type { FeatureOptions } from "./resolve.js";
// The lexer pieces the WAC lexer in @wasm-compose/compose builds on.
export {
  blockCommentEnd,
  type ForbiddenChar,
  forbiddenChar,
  keywordNames,
  lineCommentEnd,
  type Refuse,
  TokenCursor,
  type Tokens,
  tokenDescriber,
} from "./scan.js";
export { compareVersions, isSemver } from "./semver.js";

/**
 * Loads a `.wit` file, or a package folder of `.wit` files with an optional `deps/` folder
 * (sub-folders and single files; symlinks followed). Node only: the file system code is loaded on
 * first call, so the rest of this package stays usable in a browser.
 */
export async function loadWit(path: string, opts: LoadOptions = {}): Promise<Resolve> {
  return (await loadWitPackage(path, opts)).resolve;
}

/** `loadWit`, also returning the id of the main package. */
export async function loadWitPackage(path: string, opts: LoadOptions = {}): Promise<ResolvedPackage> {
  const load = await import("./load.js");
  return load.loadWitPackage(path, opts);
}
