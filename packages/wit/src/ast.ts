// The syntax tree of one WIT file, as the parser builds it and the resolver reads it.
import type { Span } from "./errors.js";
import type { PrimitiveType } from "./model.js";

// Identifiers, types and functions are their own spans (`source`/`start`/`end` fields), so the
// parser allocates one object per node instead of two: allocation (and the GC copying the live
// tree) is a large share of a first, unoptimized parse.

/** A name as written (without a leading `%`), and where. */
export interface Ident extends Span {
  name: string;
}

export type Attribute =
  | { tag: "since"; version: string; span: Span }
  | { tag: "unstable"; feature: string; span: Span }
  | { tag: "deprecated"; version: string; span: Span };

export interface PackageNameAst {
  namespace: Ident;
  name: Ident;
  version: string | null;
  span: Span;
}

/** `iface` (in this package) or `ns:pkg/iface@version`. */
export type UsePath = { tag: "local"; name: Ident } | { tag: "package"; pkg: PackageNameAst; name: Ident; span: Span };

export interface UseName {
  name: Ident;
  as: Ident | null;
}

/** A type expression; the node is its span. */
export type TypeAst = Span &
  (
    | { tag: "prim"; prim: PrimitiveType }
    | { tag: "name"; name: Ident }
    | { tag: "list"; elem: TypeAst; size: number | null; sizeSpan: Span | null }
    | { tag: "map"; key: TypeAst; value: TypeAst }
    | { tag: "option"; elem: TypeAst }
    | { tag: "result"; ok: TypeAst | null; err: TypeAst | null }
    | { tag: "tuple"; types: TypeAst[] }
    | { tag: "future"; elem: TypeAst | null }
    | { tag: "stream"; elem: TypeAst | null }
    | { tag: "handle"; handle: "own" | "borrow"; name: Ident }
  );

/** A function signature, from `async`/`func` to its result type; the node is its span. */
export interface FuncAst extends Span {
  async: boolean;
  params: { name: Ident; type: TypeAst }[];
  result: TypeAst | null;
}

export interface ResourceFuncAst {
  docs: string[] | null;
  attrs: Attribute[];
  kind: "method" | "static" | "constructor";
  name: Ident;
  func: FuncAst;
}

export interface NamedDocs {
  name: Ident;
  docs: string[] | null;
}

export type TypeDefBody =
  | { tag: "alias"; type: TypeAst }
  | { tag: "record"; fields: (NamedDocs & { type: TypeAst })[] }
  | { tag: "flags"; flags: NamedDocs[] }
  | { tag: "variant"; cases: (NamedDocs & { type: TypeAst | null })[]; span: Span }
  | { tag: "enum"; cases: NamedDocs[]; span: Span }
  | { tag: "resource"; funcs: ResourceFuncAst[] };

export interface TypeDefAst {
  docs: string[] | null;
  attrs: Attribute[];
  name: Ident;
  body: TypeDefBody;
}

export interface UseAst {
  attrs: Attribute[];
  path: UsePath;
  names: UseName[];
  span: Span;
}

export type InterfaceItemAst =
  | { tag: "use"; use: UseAst }
  | { tag: "type"; def: TypeDefAst }
  | { tag: "func"; docs: string[] | null; attrs: Attribute[]; name: Ident; func: FuncAst };

export interface InterfaceAst {
  docs: string[] | null;
  attrs: Attribute[];
  name: Ident;
  items: InterfaceItemAst[];
}

export type ExternKind =
  | { tag: "interface"; name: Ident; items: InterfaceItemAst[] }
  | { tag: "func"; name: Ident; func: FuncAst }
  | { tag: "path"; path: UsePath }
  /** `import x: path;`: an interface under a plain name (component-model#613). */
  | { tag: "named"; name: Ident; path: UsePath };

export type WorldItemAst =
  | { tag: "import" | "export"; docs: string[] | null; attrs: Attribute[]; kind: ExternKind; span: Span }
  | { tag: "use"; use: UseAst }
  | { tag: "type"; def: TypeDefAst }
  | { tag: "include"; attrs: Attribute[]; path: UsePath; names: { name: Ident; as: Ident }[]; span: Span };

export interface WorldAst {
  docs: string[] | null;
  attrs: Attribute[];
  name: Ident;
  items: WorldItemAst[];
}

export interface ToplevelUseAst {
  attrs: Attribute[];
  path: UsePath;
  as: Ident | null;
  span: Span;
}

export type PackageItemAst =
  | { tag: "interface"; iface: InterfaceAst }
  | { tag: "world"; world: WorldAst }
  | { tag: "use"; use: ToplevelUseAst };

/** The part of one file that belongs to one package (the file's main package or a nested `package x:y { }`). */
export interface PackageFileAst {
  name: PackageNameAst | null;
  docs: string[] | null;
  /**
   * Whether any comment, doc comment or not, comes before the file's `package` header: wit-parser
   * counts those as the header's docs when it checks that only one file of a package has any.
   */
  commented?: boolean;
  items: PackageItemAst[];
  nested: boolean;
}
