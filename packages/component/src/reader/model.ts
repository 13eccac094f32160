// The binary-level model of a component: sections and their items as the binary has them.
//
// Indices are raw index-space indices; nothing is resolved here. Core module bodies and custom
// section payloads are byte ranges into the input, never copies.

/** A range `[offset, offset + length)` of the input bytes. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Core sorts (`core:sort`). */
export type CoreSort = "func" | "table" | "memory" | "global" | "tag" | "type" | "module" | "instance";
/** Component-level sorts; core sorts are `core func` etc. */
export type Sort = { core: CoreSort } | "func" | "value" | "type" | "component" | "instance";

/** A `sortidx`. */
export interface SortIndex {
  sort: Sort;
  index: number;
}

/** A component value type: a primitive by name or a type index. */
export type ValType = { prim: PrimName } | number;

/** Primitive value types as spelled in WIT. */
export type PrimName =
  | "bool"
  | "s8"
  | "u8"
  | "s16"
  | "u16"
  | "s32"
  | "u32"
  | "s64"
  | "u64"
  | "f32"
  | "f64"
  | "char"
  | "string"
  | "error-context";

/** A defined value type (`defvaltype`). */
export type DefinedType =
  | { kind: "prim"; prim: PrimName }
  | { kind: "record"; fields: { name: string; type: ValType }[] }
  | { kind: "variant"; cases: { name: string; type: ValType | null; refines: number | null }[] }
  | { kind: "list"; element: ValType }
  | { kind: "fixed-size-list"; element: ValType; size: number }
  | { kind: "map"; key: ValType; value: ValType }
  | { kind: "tuple"; types: ValType[] }
  | { kind: "flags"; names: string[] }
  | { kind: "enum"; names: string[] }
  | { kind: "option"; type: ValType }
  | { kind: "result"; ok: ValType | null; err: ValType | null }
  | { kind: "own"; type: number }
  | { kind: "borrow"; type: number }
  | { kind: "future"; type: ValType | null }
  | { kind: "stream"; type: ValType | null };

/** A component function type. `result` is `null` for no result. */
export interface FuncType {
  kind: "func";
  async: boolean;
  params: { name: string; type: ValType }[];
  result: ValType | null;
}

/** `externdesc`: what an import or export is. */
export type ExternDesc =
  | { kind: "module"; type: number }
  | { kind: "func"; type: number }
  | { kind: "value"; type: ValType }
  | { kind: "type"; bound: { eq: number } | "sub-resource" }
  | { kind: "instance"; type: number }
  | { kind: "component"; type: number };

/** An import or export name, with the name forms the explainer allows classified. */
export interface ExternName {
  /** The whole name string. */
  name: string;
  /**
   * `kebab` (`foo-bar`, `[method]r.m`, ...), `interface` (`ns:pkg/iface@1.0.0`), `url`
   * (`url=<...>`), `integrity` (`integrity=<...>`), `dep` (`unlocked-dep=<...>` / `locked-dep=<...>`).
   */
  form: "kebab" | "interface" | "url" | "integrity" | "dep";
  /** Byte offset of the name in the input. */
  offset: number;
  /**
   * The interface a plain-named instance has the type of (`(import "x" (implements "ns:pkg/i"))`,
   * component-model#613): WIT's `import x: ns:pkg/i;`.
   */
  implements?: string;
}

/** A declaration inside a component or instance type. */
export type TypeDecl =
  | { kind: "core-type"; type: CoreType }
  | { kind: "type"; type: TypeDef }
  | { kind: "alias"; alias: Alias }
  | { kind: "export"; name: ExternName; desc: ExternDesc }
  | { kind: "import"; name: ExternName; desc: ExternDesc };

/** A `type` definition (`deftype`). */
export type TypeDef =
  | { kind: "defined"; type: DefinedType; offset: number }
  | (FuncType & { offset: number })
  | { kind: "component"; decls: TypeDecl[]; offset: number }
  | { kind: "instance"; decls: TypeDecl[]; offset: number }
  | { kind: "resource"; rep: number; dtor: number | null; callback: number | null; offset: number };

/** A core type: a module type (with its declarations) or a core rec group (kept as bytes). */
export type CoreType =
  | { kind: "module"; decls: CoreModuleDecl[]; offset: number }
  /** A rec group defining `count` types; `range` is the group's bytes. */
  | { kind: "rec"; count: number; range: ByteRange };

/** A declaration in a core module type. */
export type CoreModuleDecl =
  | { kind: "import"; module: string; name: string; desc: CoreExternDesc }
  | { kind: "type"; type: CoreType }
  | { kind: "alias-outer"; count: number; index: number }
  | { kind: "export"; name: string; desc: CoreExternDesc };

/** A core import/export description; types other than functions are kept as bytes. */
export type CoreExternDesc =
  | { kind: "func"; type: number }
  | { kind: "table" | "memory" | "global" | "tag"; range: ByteRange };

/** An `alias`. */
export type Alias =
  | { kind: "export"; sort: Sort; instance: number; name: string }
  | { kind: "core-export"; sort: Sort; instance: number; name: string }
  | { kind: "outer"; sort: Sort; count: number; index: number };

/** A core instance: instantiation of a core module, or a bag of core exports. */
export type CoreInstance =
  | { kind: "instantiate"; module: number; args: { name: string; instance: number }[] }
  | { kind: "exports"; exports: { name: string; sort: CoreSort; index: number }[] };

/** A component instance: instantiation of a component, or a bag of exports. */
export type Instance =
  | { kind: "instantiate"; component: number; args: { name: string; item: SortIndex }[] }
  | { kind: "exports"; exports: { name: ExternName; item: SortIndex }[] };

/** A canonical option. */
export type CanonOption =
  | { kind: "utf8" | "utf16" | "latin1+utf16" | "async" | "gc" }
  | { kind: "memory" | "realloc" | "post-return" | "callback" | "core-type"; index: number };

/** A `canon` definition. `lift` defines a component function; everything else a core function. */
export type Canon =
  | { kind: "lift"; coreFunc: number; options: CanonOption[]; type: number }
  | { kind: "lower"; func: number; options: CanonOption[] }
  /** The other built-ins (`resource.new`, `task.return`, ...), with their immediates. */
  | { kind: "builtin"; name: string; opcode: number; immediates: number[]; options: CanonOption[] };

/** An import. */
export interface Import {
  name: ExternName;
  desc: ExternDesc;
}

/** An export, with its optional type ascription. */
export interface Export {
  name: ExternName;
  item: SortIndex;
  desc: ExternDesc | null;
}

/** The start function. */
export interface Start {
  func: number;
  args: number[];
  results: number;
}

/** A section of a component, in binary order. `offset` is where the section's id byte is. */
export type Section =
  | { kind: "custom"; offset: number; name: string; data: ByteRange }
  | { kind: "core-module"; offset: number; range: ByteRange }
  | { kind: "core-instance"; offset: number; items: CoreInstance[] }
  | { kind: "core-type"; offset: number; items: CoreType[] }
  | { kind: "component"; offset: number; component: ComponentBinary }
  | { kind: "instance"; offset: number; items: Instance[] }
  | { kind: "alias"; offset: number; items: Alias[] }
  | { kind: "type"; offset: number; items: TypeDef[] }
  | { kind: "canon"; offset: number; items: Canon[] }
  | { kind: "start"; offset: number; start: Start }
  | { kind: "import"; offset: number; items: Import[] }
  | { kind: "export"; offset: number; items: Export[] };

/** A parsed component: its sections over the input bytes (`bytes[range]` is the whole component). */
export interface ComponentBinary {
  bytes: Uint8Array;
  range: ByteRange;
  sections: Section[];
}
