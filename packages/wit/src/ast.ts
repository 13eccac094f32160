// The syntax tree of one WIT file, as the parser builds it and the resolver reads it.
import type { Span } from "./errors.js";
import type { PrimitiveType } from "./model.js";

export interface Ident {
  name: string;
  span: Span;
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

export type TypeAst =
  | { tag: "prim"; prim: PrimitiveType; span: Span }
  | { tag: "name"; name: Ident; span: Span }
  | { tag: "list"; elem: TypeAst; size: number | null; sizeSpan: Span | null; span: Span }
  | { tag: "map"; key: TypeAst; value: TypeAst; span: Span }
  | { tag: "option"; elem: TypeAst; span: Span }
  | { tag: "result"; ok: TypeAst | null; err: TypeAst | null; span: Span }
  | { tag: "tuple"; types: TypeAst[]; span: Span }
  | { tag: "future"; elem: TypeAst | null; span: Span }
  | { tag: "stream"; elem: TypeAst | null; span: Span }
  | { tag: "handle"; handle: "own" | "borrow"; name: Ident; span: Span };

export interface FuncAst {
  async: boolean;
  params: { name: Ident; type: TypeAst }[];
  result: TypeAst | null;
  span: Span;
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
  | { tag: "path"; path: UsePath };

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
  items: PackageItemAst[];
  nested: boolean;
}
