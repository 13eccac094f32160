// The resolved WIT model: arenas of packages, interfaces, worlds and types, shaped like wit-parser's `Resolve`.
//
// Every cross reference is an arena id (an index into one of the `Resolve` arrays), maps keep
// insertion order, and the field names follow wit-parser so `toJson` is a direct walk.

/** Index into `Resolve.packages`. */
export type PackageId = number & { readonly __arena?: "package" };
/** Index into `Resolve.interfaces`. */
export type InterfaceId = number & { readonly __arena?: "interface" };
/** Index into `Resolve.worlds`. */
export type WorldId = number & { readonly __arena?: "world" };
/** Index into `Resolve.types`. */
export type TypeId = number & { readonly __arena?: "type" };

/** The WIT primitive types, spelled as in WIT (and as in wit-parser's JSON). */
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

/** A value type: a primitive, or a reference to a `TypeDef` in `Resolve.types`. Same shape as its JSON. */
export type Type = PrimitiveType | TypeId;

/** Doc comments attached to an item, with the comment markers removed; `null` when there are none. */
export type Docs = string | null;

/**
 * A feature gate: `@since(version = ..)`, `@unstable(feature = ..)`, either optionally with
 * `@deprecated(version = ..)`, or none of them (`unknown`). Versions are semver strings.
 */
export type Stability =
  | { tag: "unknown" }
  | { tag: "stable"; since: string; deprecated: string | null }
  | { tag: "unstable"; feature: string; deprecated: string | null };

/** `namespace:name@version`; `version` is a semver string or `null`. */
export interface PackageName {
  namespace: string;
  name: string;
  version: string | null;
}

/** A WIT package: its interfaces and worlds by name, in source order. */
export interface Package {
  name: PackageName;
  docs: Docs;
  interfaces: Map<string, InterfaceId>;
  worlds: Map<string, WorldId>;
}

/** An interface; `name` is `null` for an inline interface declared inside a world. */
export interface Interface {
  name: string | null;
  /** Types declared in (or `use`d into) this interface, by name. */
  types: Map<string, TypeId>;
  /** Functions by name; resource methods are keyed `[method]r.m`, `[static]r.f`, `[constructor]r`. */
  functions: Map<string, WitFunction>;
  docs: Docs;
  stability: Stability;
  package: PackageId | null;
}

/**
 * The key of a world import or export: a kebab-name (string) for named items, or the id of the
 * interface for `import ns:pkg/iface;`-style items. (JSON spells the latter `interface-<id>`.)
 */
export type WorldKey = string | InterfaceId;

/** What a world imports or exports. */
export type WorldItem =
  | { tag: "interface"; id: InterfaceId; stability: Stability }
  | { tag: "function"; func: WitFunction }
  | { tag: "type"; id: TypeId };

/** A `with { a as b }` rename of one included item. */
export interface IncludeName {
  name: string;
  as: string;
}

/** An `include` still to be elaborated; empty in a fully resolved world. */
export interface WorldInclude {
  stability: Stability;
  world: WorldId;
  names: IncludeName[];
}

/** A world: its imports and exports after elaboration (includes merged, transitive imports added). */
export interface World {
  name: string;
  imports: Map<WorldKey, WorldItem>;
  exports: Map<WorldKey, WorldItem>;
  package: PackageId | null;
  docs: Docs;
  stability: Stability;
  /** Pending includes; the resolver empties this. */
  includes: WorldInclude[];
}

/** Where a type was declared; `none` for anonymous types such as `list<u8>`. */
export type TypeOwner = { tag: "world"; id: WorldId } | { tag: "interface"; id: InterfaceId } | { tag: "none" };

/** A record field. */
export interface Field {
  name: string;
  type: Type;
  docs: Docs;
}

/** A flags member. */
export interface Flag {
  name: string;
  docs: Docs;
}

/** A variant case; `type` is `null` for a case without payload. */
export interface Case {
  name: string;
  type: Type | null;
  docs: Docs;
}

/** An enum case. */
export interface EnumCase {
  name: string;
  docs: Docs;
}

/** The structure of a `TypeDef`. */
export type TypeDefKind =
  | { tag: "record"; fields: Field[] }
  | { tag: "resource" }
  | { tag: "handle"; handle: "own" | "borrow"; resource: TypeId }
  | { tag: "flags"; flags: Flag[] }
  | { tag: "tuple"; types: Type[] }
  | { tag: "variant"; cases: Case[] }
  | { tag: "enum"; cases: EnumCase[] }
  | { tag: "option"; type: Type }
  | { tag: "result"; ok: Type | null; err: Type | null }
  | { tag: "list"; type: Type }
  | { tag: "map"; key: Type; value: Type }
  | { tag: "fixed-size-list"; type: Type; size: number }
  | { tag: "future"; type: Type | null }
  | { tag: "stream"; type: Type | null }
  /** `type a = b;` */
  | { tag: "type"; type: Type }
  /** A type imported from a foreign interface not yet resolved; never present in a finished `Resolve`. */
  | { tag: "unknown" };

/** A type definition: named (declared in an interface or world) or anonymous (`name` is `null`). */
export interface TypeDef {
  name: string | null;
  kind: TypeDefKind;
  owner: TypeOwner;
  docs: Docs;
  stability: Stability;
}

/** How a function is declared; resource functions name their resource type. */
export type FunctionKind =
  | { tag: "freestanding" }
  | { tag: "async-freestanding" }
  | { tag: "method"; resource: TypeId }
  | { tag: "async-method"; resource: TypeId }
  | { tag: "static"; resource: TypeId }
  | { tag: "async-static"; resource: TypeId }
  | { tag: "constructor"; resource: TypeId };

/** A function parameter. Methods get an explicit first parameter `self: borrow<R>`. */
export interface Param {
  name: string;
  type: Type;
}

/** A function (WIT `func`); `name` is the full name (`[method]r.m` for resource methods). */
export interface WitFunction {
  name: string;
  kind: FunctionKind;
  params: Param[];
  result: Type | null;
  docs: Docs;
  stability: Stability;
}

/** A set of resolved WIT packages; arenas are indexed by the ids above. */
export interface Resolve {
  packages: Package[];
  interfaces: Interface[];
  worlds: World[];
  types: TypeDef[];
  /** `ns:name@version` to package id. */
  packageNames: Map<string, PackageId>;
}

/** An empty `Resolve`. */
export function createResolve(): Resolve {
  return { packages: [], interfaces: [], worlds: [], types: [], packageNames: new Map() };
}

/** The stability of items without gates. */
export const UNKNOWN_STABILITY: Stability = Object.freeze({ tag: "unknown" }) as Stability;

/** `ns:name` or `ns:name@version`. */
export function packageNameToString(name: PackageName): string {
  return name.version === null ? `${name.namespace}:${name.name}` : `${name.namespace}:${name.name}@${name.version}`;
}

/** The fully qualified name of a named interface (`ns:pkg/iface@1.0.0`), or `null` for an inline one. */
export function interfaceQualifiedName(resolve: Resolve, id: InterfaceId): string | null {
  const iface = resolve.interfaces[id];
  if (iface.name === null || iface.package === null) return null;
  const p = resolve.packages[iface.package].name;
  const base = `${p.namespace}:${p.name}/${iface.name}`;
  return p.version === null ? base : `${base}@${p.version}`;
}

/** The name a world key stands for in a component: the kebab-name, or the interface's qualified name. */
export function worldKeyName(resolve: Resolve, key: WorldKey): string {
  if (typeof key === "string") return key;
  return interfaceQualifiedName(resolve, key) ?? `interface-${key}`;
}

/** True for the function kinds declared `async`. */
export function isAsyncFunction(kind: FunctionKind): boolean {
  return kind.tag === "async-freestanding" || kind.tag === "async-method" || kind.tag === "async-static";
}

/** The resource a method, static function or constructor belongs to. */
export function functionResource(kind: FunctionKind): TypeId | null {
  return "resource" in kind ? kind.resource : null;
}

/** The name of a function as written in WIT (`m` for `[method]r.m`, `constructor` for constructors). */
export function functionItemName(f: WitFunction): string {
  switch (f.kind.tag) {
    case "freestanding":
    case "async-freestanding":
      return f.name;
    case "constructor":
      return "constructor";
    default:
      return f.name.slice(f.name.indexOf(".") + 1);
  }
}

/** Follows `type a = b` aliases to the underlying type. */
export function dealias(resolve: Resolve, ty: Type): Type {
  let t = ty;
  while (typeof t === "number") {
    const def = resolve.types[t];
    if (def.kind.tag !== "type") break;
    t = def.kind.type;
  }
  return t;
}
