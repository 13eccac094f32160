// Public API of @wasm-compose/compose.
export const packageName = "@wasm-compose/compose";

export {
  type ComposeWacOptions,
  composeWac,
  resolveWac,
  type WacComposition,
  type WacPackage,
} from "./compose-wac.js";
export { dotToSvg, graphToDot } from "./dot.js";
export { type EncodeOptions, encodeGraph, PROVENANCE_SECTION, type ProvenancePart, TOOL_VERSION } from "./encode.js";
export { CompositionError, type CompositionErrorCode, type CompositionErrorDetails, TypeMismatch } from "./errors.js";
export {
  type ComponentId,
  type ComponentNode,
  type ComponentOptions,
  CompositionGraph,
  type ExportRef,
  type InstanceId,
  type InstanceNode,
  type InstanceRef,
  type InstantiateOptions,
  type ItemRef,
  type ItemType,
  type OpenImport,
  type ResolvedGraph,
  type SourceRef,
} from "./graph.js";
export { compareVersions, mergedNames, mergeKey, parseInterfaceName, semverCompatible, semverTrack } from "./names.js";
export { type PlugInput, type PlugPlan, type PlugResult, type PlugWire, plug, plugGraph } from "./plug.js";
export { sha256Hex } from "./sha256.js";
export { targetProblems, targets } from "./targets.js";
export {
  type ComponentTypeProblem,
  checkComponentType,
  checkInterface,
  checkItem,
  equalFunctions,
  equalTypes,
  type TypeSide,
  typeText,
} from "./types/subtype.js";
// WAC language front end: parsing, name checks, referenced packages. The syntax tree's node types are
// under `WacAst` (e.g. `WacAst.Statement`), so their short names stay free for the composition model.
export type * as WacAst from "./wac/ast.js";
export type { WacDocument } from "./wac/ast.js";
export { WacError, type WacErrorCode, type WacSource } from "./wac/errors.js";
export { checkWac } from "./wac/names.js";
export { type PackageRef, referencedPackages } from "./wac/packages.js";
export { isSemver, type ParseWacOptions, parseWac } from "./wac/parser.js";
