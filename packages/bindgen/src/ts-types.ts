// The WIT → TypeScript type mapping, as jco and componentize-js pass values at run time (see docs/bindings.md).
import { dealias, type PrimitiveType, type Resolve, type Type, type TypeDef, type TypeId } from "@wasm-compose/wit";
import { camelCase, pascalCase } from "./names.js";

/** Where a type expression appears: a function's own return value is special for `result`. */
export type Position = "param" | "return" | "nested";

/** How a function's `result<T, E>` return is presented: jco throws on `err` (default), or a tagged union. */
export type ResultStyle = "throw" | "union";

/** The named types a module can refer to and the helper types it had to use. */
export interface TypeScope {
  resolve: Resolve;
  /** A type expression for a named type: its bare name in its own module, an `import()` type elsewhere. */
  named(id: TypeId, def: TypeDef): string;
  /** Helper types the printed expressions used (`Option`, `Result`), to be declared in the module. */
  helpers: Set<"Option" | "Result">;
  /** True inside `declare module "…" {}`, where a local declaration takes no `declare` keyword. */
  ambient: boolean;
}

const PRIMITIVES: Record<PrimitiveType, string> = {
  bool: "boolean",
  u8: "number",
  u16: "number",
  u32: "number",
  s8: "number",
  s16: "number",
  s32: "number",
  f32: "number",
  f64: "number",
  u64: "bigint",
  s64: "bigint",
  char: "string",
  string: "string",
  // jco passes an error-context as an opaque handle; nothing to do with it from JS yet.
  "error-context": "unknown",
};

/** `list<T>` of these arrives as (and must be given as) a typed array, in jco and componentize-js alike. */
const TYPED_ARRAYS: Partial<Record<PrimitiveType, string>> = {
  u8: "Uint8Array",
  s8: "Int8Array",
  u16: "Uint16Array",
  s16: "Int16Array",
  u32: "Uint32Array",
  s32: "Int32Array",
  u64: "BigUint64Array",
  s64: "BigInt64Array",
  f32: "Float32Array",
  f64: "Float64Array",
};

/** The TypeScript type of a WIT type in position `pos`. */
export function tsType(scope: TypeScope, ty: Type, pos: Position = "nested", style: ResultStyle = "throw"): string {
  if (typeof ty === "string") return PRIMITIVES[ty];
  const def = scope.resolve.types[ty];
  const kind = def.kind;
  // A function's own `result` return is unwrapped when jco throws its `err` (see `thrownResult`).
  if (pos === "return" && style === "throw") {
    const r = thrownResult(scope.resolve, ty);
    if (r !== null) return r.ok === null ? "void" : tsType(scope, r.ok);
  }
  if (def.name !== null && kind.tag !== "handle") return scope.named(ty, def);
  return anonymous(scope, def, pos);
}

/** The structural expansion of a type definition (the right-hand side of its declaration). */
export function anonymous(scope: TypeScope, def: TypeDef, pos: Position = "nested"): string {
  const kind = def.kind;
  switch (kind.tag) {
    case "type":
      return tsType(scope, kind.type, pos);
    case "handle": {
      // own and borrow are the same class instance on the JS side.
      const r = scope.resolve.types[kind.resource];
      return r.name !== null ? scope.named(kind.resource, r) : "unknown";
    }
    case "list": {
      const el = dealias(scope.resolve, kind.type);
      const typed = typeof el === "string" ? TYPED_ARRAYS[el] : undefined;
      return typed ?? `Array<${tsType(scope, kind.type)}>`;
    }
    case "option": {
      const inner = tsType(scope, kind.type);
      // `T | undefined` cannot nest, so jco tags the outer option when the payload can itself be `undefined`.
      if (isNullable(scope.resolve, kind.type)) {
        scope.helpers.add("Option");
        return `Option<${inner}>`;
      }
      return `${inner} | undefined`;
    }
    case "result":
      scope.helpers.add("Result");
      return `Result<${kind.ok === null ? "undefined" : tsType(scope, kind.ok)}, ${kind.err === null ? "undefined" : tsType(scope, kind.err)}>`;
    case "tuple":
      return `[${kind.types.map((t) => tsType(scope, t)).join(", ")}]`;
    case "future":
      return `PromiseLike<${kind.type === null ? "void" : tsType(scope, kind.type)}>`;
    case "stream":
      return `AsyncIterable<${kind.type === null ? "void" : tsType(scope, kind.type)}>`;
    case "record":
      return `{ ${kind.fields.map((f) => `${camelCase(f.name)}: ${tsType(scope, f.type)}`).join("; ")} }`;
    case "flags":
      return `{ ${kind.flags.map((f) => `${camelCase(f.name)}?: boolean`).join("; ")} }`;
    case "enum":
      return kind.cases.map((c) => JSON.stringify(c.name)).join(" | ") || "never";
    case "variant":
      return (
        kind.cases
          .map((c) =>
            c.type === null
              ? `{ tag: ${JSON.stringify(c.name)} }`
              : `{ tag: ${JSON.stringify(c.name)}; val: ${tsType(scope, c.type)} }`,
          )
          .join(" | ") || "never"
      );
    // Not verified against a runtime here: typed as unknown rather than guessed.
    case "map":
    case "fixed-size-list":
    case "resource":
    case "unknown":
      return "unknown";
  }
}

/**
 * True when the type's JS form may be `undefined`: an `option` (through aliases) whose payload
 * cannot be. Such an option is `T | undefined`; an option around it must be tagged, and a record
 * field of it may be left out. `option<option<T>>` is tagged, so `option<option<option<T>>>` is
 * `Option<T | undefined> | undefined` again (jco's `maybe_null`).
 */
export function isNullable(resolve: Resolve, ty: Type): boolean {
  const t = dealias(resolve, ty);
  if (typeof t !== "number") return false;
  const k = resolve.types[t].kind;
  return k.tag === "option" && !isNullable(resolve, k.type);
}

/**
 * The `result` whose `err` jco (and componentize-js) throw when a function returns it: a `result`
 * written in the signature or named by a `type r = result<…>` of its own, but not one reached
 * through a further alias (`type r3 = r2`, or a `use`d name), which is returned tagged
 * (js-component-bindgen's `get_thrown_type` does not follow aliases). `null` otherwise.
 */
export function thrownResult(resolve: Resolve, ty: Type): { ok: Type | null; err: Type | null } | null {
  if (typeof ty !== "number") return null;
  const k = resolve.types[ty].kind;
  return k.tag === "result" ? k : null;
}

/** The declared TypeScript name of a named WIT type (`output-stream` → `OutputStream`). */
export function typeName(def: TypeDef): string {
  return pascalCase(def.name ?? "anonymous");
}

/** Declarations of the helper types the mapping uses. */
export const HELPER_DECLARATIONS: Record<"Option" | "Result", string> = {
  Option: 'export type Option<T> = { tag: "none" } | { tag: "some"; val: T };',
  Result: 'export type Result<T, E> = { tag: "ok"; val: T } | { tag: "err"; val: E };',
};
