// The syntax tree of one WAC document. Type declarations mirror the shapes of @wasm-compose/wit's AST.

/** A place in the source: UTF-16 offset and length, 1-based line and column of the start. */
export interface Span {
  offset: number;
  line: number;
  column: number;
  length: number;
}

/** An identifier, without the `%` that escapes a keyword. */
export interface Ident {
  name: string;
  span: Span;
}

/** A string literal, without its quotes (WAC strings have no escapes). */
export interface StringLit {
  value: string;
  span: Span;
}

/** The name of an import or export given after `as`/`with`: an identifier or a string. */
export interface ExternName {
  kind: "ident" | "string";
  value: string;
  span: Span;
}

/** A semantic version after `@`. */
export interface VersionAst {
  text: string;
  span: Span;
}

/** `ns:pkg` or `ns:sub:pkg`, with an optional `@version`. */
export interface PackageNameAst {
  /** The name without the version, e.g. `ns:pkg`. */
  name: string;
  /** The `:`-separated parts. */
  parts: Ident[];
  version: VersionAst | null;
  span: Span;
}

/** `ns:pkg/item`, `ns:pkg/a/b`, `ns:pkg/item@1.2.3`: an item of a package; the version is the package's. */
export interface PackagePathAst {
  /** The package, its `version` taken from the trailing `@version`. */
  package: PackageNameAst;
  /** The `/`-separated item names after the package name. */
  segments: Ident[];
  /** The whole path as written, e.g. `ns:pkg/a/b@1.2.3`. */
  text: string;
  span: Span;
}

// ---- types (as in WIT) -------------------------------------------------------------------------

export type PrimitiveType =
  | "bool"
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  | "s8"
  | "s16"
  | "s32"
  | "s64"
  | "f32"
  | "f64"
  | "char"
  | "string"
  | "error-context";

export type TypeAst =
  | { tag: "prim"; prim: PrimitiveType; span: Span }
  | { tag: "name"; name: Ident; span: Span }
  | { tag: "list"; elem: TypeAst; size: number | null; span: Span }
  | { tag: "option"; elem: TypeAst; span: Span }
  | { tag: "result"; ok: TypeAst | null; err: TypeAst | null; span: Span }
  | { tag: "tuple"; types: TypeAst[]; span: Span }
  | { tag: "future"; elem: TypeAst | null; span: Span }
  | { tag: "stream"; elem: TypeAst | null; span: Span }
  | { tag: "handle"; handle: "own" | "borrow"; name: Ident; span: Span };

export interface ParamAst {
  name: Ident;
  type: TypeAst;
  span: Span;
}

/** `func(a: u32) -> string`, optionally `async`. */
export interface FuncAst {
  async: boolean;
  params: ParamAst[];
  result: TypeAst | null;
  span: Span;
}

/** Where WAC allows a function type or the name of a `type f = func(...)` alias. */
export type FuncRefAst = { tag: "func"; func: FuncAst; span: Span } | { tag: "name"; name: Ident; span: Span };

export interface ResourceFuncAst {
  docs: string[] | null;
  kind: "method" | "static" | "constructor";
  name: Ident;
  func: FuncAst;
  span: Span;
}

/** A record field, variant case, enum case or flag. */
export interface NamedDocs {
  name: Ident;
  docs: string[] | null;
  span: Span;
}

/** What a type definition defines; its span runs from after the name to the end of the definition. */
export type TypeDefBody = TypeDefBodyKind & { span: Span };

export type TypeDefBodyKind =
  | { tag: "alias"; type: TypeAst }
  | { tag: "func"; func: FuncAst }
  | { tag: "record"; fields: (NamedDocs & { type: TypeAst })[] }
  | { tag: "flags"; flags: NamedDocs[] }
  | { tag: "variant"; cases: (NamedDocs & { type: TypeAst | null })[] }
  | { tag: "enum"; cases: NamedDocs[] }
  | { tag: "resource"; funcs: ResourceFuncAst[] };

/** `type`, `record`, `flags`, `variant`, `enum` or `resource`. */
export interface TypeDefAst {
  docs: string[] | null;
  name: Ident;
  body: TypeDefBody;
  span: Span;
}

/** `iface` (declared in this document) or a package path. */
export type UsePath = { tag: "local"; name: Ident; span: Span } | { tag: "package"; path: PackagePathAst; span: Span };

export interface UseName {
  name: Ident;
  as: Ident | null;
  span: Span;
}

/** `use path.{a, b as c};` */
export interface UseAst {
  docs: string[] | null;
  path: UsePath;
  names: UseName[];
  span: Span;
}

export type InterfaceItemAst =
  | { tag: "use"; use: UseAst; span: Span }
  | { tag: "type"; def: TypeDefAst; span: Span }
  | { tag: "func"; docs: string[] | null; name: Ident; func: FuncRefAst; span: Span };

export type ExternKind =
  /** `name: interface { ... }` */
  | { tag: "interface"; name: Ident; items: InterfaceItemAst[]; span: Span }
  /** `name: func(...)` */
  | { tag: "func"; name: Ident; func: FuncAst; span: Span }
  /** `name: t`: a name bound to a declared type (an interface or a function type alias). */
  | { tag: "ref"; name: Ident; ref: Ident; span: Span }
  /** `iface` or `ns:pkg/iface` */
  | { tag: "path"; path: UsePath; span: Span };

export type WorldItemAst =
  | { tag: "import" | "export"; docs: string[] | null; kind: ExternKind; span: Span }
  | { tag: "use"; use: UseAst; span: Span }
  | { tag: "type"; def: TypeDefAst; span: Span }
  | { tag: "include"; docs: string[] | null; path: UsePath; names: IncludeName[]; span: Span };

/** `name as other` in `include w with { ... }`. */
export interface IncludeName {
  name: Ident;
  as: Ident;
  span: Span;
}

// ---- composition -------------------------------------------------------------------------------

/** What `new` instantiates: a package, or a local name bound to a component. */
export type ComponentRef =
  | { tag: "package"; package: PackageNameAst; span: Span }
  | { tag: "local"; name: Ident; span: Span };

export type InstantiationArg =
  /** `name: expr` or `"name": expr` */
  | { tag: "named"; name: ExternName; expr: Expr; span: Span }
  /** `name`: the argument is the local `name`, its argument name inferred. */
  | { tag: "inferred"; name: Ident; span: Span }
  /** `...inst`: the exports of an instance fill the arguments not yet given. */
  | { tag: "spread"; name: Ident; span: Span }
  /** A final `...`: the arguments not given become imports of the composition. */
  | { tag: "fill"; span: Span };

export interface NewExpr {
  component: ComponentRef;
  args: InstantiationArg[];
  span: Span;
}

export type PrimaryExpr =
  | { tag: "new"; new: NewExpr; span: Span }
  | { tag: "nested"; expr: Expr; span: Span }
  | { tag: "name"; name: Ident; span: Span };

export type PostfixExpr =
  /** `.name` */
  | { tag: "access"; name: Ident; span: Span }
  /** `["name"]` */
  | { tag: "named-access"; name: StringLit; span: Span };

export interface Expr {
  primary: PrimaryExpr;
  postfix: PostfixExpr[];
  span: Span;
}

/** What `import` brings in: a package item, a function, an inline interface or a declared type. */
export type ImportType =
  | { tag: "package"; path: PackagePathAst; span: Span }
  | { tag: "func"; func: FuncAst; span: Span }
  | { tag: "interface"; items: InterfaceItemAst[]; span: Span }
  | { tag: "name"; name: Ident; span: Span };

export interface ImportStatement {
  kind: "import";
  docs: string[] | null;
  /** The local name. */
  id: Ident;
  /** The import name from `as`, when given. */
  name: ExternName | null;
  type: ImportType;
  span: Span;
}

export interface LetStatement {
  kind: "let";
  docs: string[] | null;
  id: Ident;
  expr: Expr;
  span: Span;
}

export interface ExportStatement {
  kind: "export";
  docs: string[] | null;
  expr: Expr;
  /** `as name` / `with "name"`: the export name. */
  rename: { keyword: "as" | "with"; name: ExternName; span: Span } | null;
  /** The span of a trailing `...` (export every export of the instance). */
  spread: Span | null;
  span: Span;
}

export interface UseStatement {
  kind: "use";
  use: UseAst;
  span: Span;
}

export interface InterfaceStatement {
  kind: "interface";
  docs: string[] | null;
  name: Ident;
  items: InterfaceItemAst[];
  span: Span;
}

export interface WorldStatement {
  kind: "world";
  docs: string[] | null;
  name: Ident;
  items: WorldItemAst[];
  span: Span;
}

export interface TypeStatement {
  kind: "type";
  def: TypeDefAst;
  span: Span;
}

export type Statement =
  | ImportStatement
  | LetStatement
  | ExportStatement
  | UseStatement
  | InterfaceStatement
  | WorldStatement
  | TypeStatement;

/** `package ns:name@version targets ns:pkg/world;` */
export interface PackageDecl {
  docs: string[] | null;
  name: PackageNameAst;
  targets: PackagePathAst | null;
  span: Span;
}

/** A parsed WAC document. */
export interface WacDocument {
  /** The name errors report for the source. */
  filename: string;
  package: PackageDecl;
  statements: Statement[];
  span: Span;
}
