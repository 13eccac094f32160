// The compiler options generated declarations are checked with (tests and fuzz/dts-oracle): strict
// NodeNext with only the ES2022 library, so declarations must bring everything else they need.
import ts from "typescript";

export const STRICT_TSC_OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
  skipLibCheck: false,
};
