// Types of strict-tsc.mjs.
import type ts from "typescript";
export const STRICT_TSC_OPTIONS: ts.CompilerOptions;
