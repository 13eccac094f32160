// TypeScript declarations (with TSDoc) of a WIT interface or of a world's own types and functions.

// The same text serves an ambient `declare module "ns:pkg/iface@ver"` (guest) and a module file (host).
import {
  type Docs,
  functionItemName,
  type InterfaceId,
  isAsyncFunction,
  type Resolve,
  type TypeDef,
  type TypeId,
  type TypeOwner,
  type WitFunction,
} from "@wasm-compose/wit";
import { BindgenError } from "./errors.js";
import { camelCase, isReserved, pascalCase, propertyKey } from "./names.js";
import {
  anonymous,
  HELPER_DECLARATIONS,
  isNullable,
  type ResultStyle,
  type TypeScope,
  thrownResult,
  tsType,
  typeName,
} from "./ts-types.js";

/** How a module refers to a named type declared in another module (`null`: it is declared here). */
export type ModuleRef = (owner: TypeOwner) => string | null;

/** A type scope for the module of `owner`; `ref` gives the module expression of every other owner. */
export function moduleScope(resolve: Resolve, ref: ModuleRef, ambient = false): TypeScope {
  return {
    resolve,
    ambient,
    helpers: new Set(),
    named(_id: TypeId, def: TypeDef) {
      const where = ref(def.owner);
      return where === null ? typeName(def) : `${where}.${typeName(def)}`;
    },
  };
}

/** What a module of declarations exports: value names (functions, classes) and type-only names. */
export interface ModuleExports {
  values: string[];
  types: string[];
  /**
   * The type each declared type or class name stands for: its own, or for a `use`d name the one it
   * was brought in from (the same type, declared in another module under the same name).
   */
  typeIds?: Map<string, TypeId>;
}

/** Declarations for interface `id`; `exports` collects the names they declare. */
export function interfaceDeclarations(
  resolve: Resolve,
  id: InterfaceId,
  scope: TypeScope,
  exports: ModuleExports = { values: [], types: [] },
): string[] {
  const iface = resolve.interfaces[id];
  return declarations(scope, iface.types, iface.functions.values(), "import", exports);
}

/**
 * Type-only declarations of what a guest must export for interface `id`: its types, an interface per
 * resource (what its instances do), and `Exports`, the shape of the object the guest module exports
 * under the interface's camelCase name (functions, and resource classes with their statics).
 */
export function exportDeclarations(resolve: Resolve, id: InterfaceId, scope: TypeScope): string[] {
  const iface = resolve.interfaces[id];
  return declarations(scope, iface.types, iface.functions.values(), "export", { values: [], types: [] });
}

/** Declarations of a world's own types (`types`: its `type` items by name); `exports` collects their names. */
export function worldTypeDeclarations(scope: TypeScope, types: Map<string, TypeId>, exports: ModuleExports): string[] {
  return declarations(scope, types, [], "import", exports);
}

function declarations(
  scope: TypeScope,
  types: Map<string, TypeId>,
  functions: Iterable<WitFunction>,
  side: "import" | "export",
  exports: ModuleExports,
): string[] {
  const out: string[] = [];
  const members: string[] = [];
  const methods = new Map<TypeId, WitFunction[]>();
  // TypeScript names taken in this module, by the WIT name that took them: two WIT names may map
  // to one TypeScript name (`w` and `W`, or `shape-circle` and the case `circle` of `shape`).
  const fns = [...functions];
  const typeNames = new Map<string, string>();
  const valueNames = new Map<string, string>();
  const claim = (names: Map<string, string>, ts: string, wit: string, what: string) =>
    claimTsName(names, ts, wit, (before) => `${what} \`${before}\` and \`${wit}\``);
  const typeIds = (exports.typeIds ??= new Map());
  for (const [name, tid] of types) {
    const def = scope.resolve.types[tid];
    claim(typeNames, typeName(def), name, "types");
    typeIds.set(typeName(def), usedFrom(scope.resolve, tid));
    if (def.kind.tag === "resource") claim(valueNames, typeName(def), name, "names");
  }
  for (const f of fns) {
    distinctNames(
      f.params.map((p) => p.name),
      paramName,
      `function \`${f.name}\``,
      "parameters",
    );
    if (f.kind.tag === "freestanding" || f.kind.tag === "async-freestanding") {
      claim(valueNames, camelCase(f.name), f.name, "functions");
    }
  }
  for (const f of fns) {
    if (f.kind.tag === "freestanding" || f.kind.tag === "async-freestanding") {
      if (side === "import") out.push(...functionDeclaration(scope, f, "throw"));
      else members.push(...implementationMember(scope, f, "  "));
      exports.values.push(camelCase(f.name));
    } else {
      const list = methods.get(f.kind.resource) ?? [];
      list.push(f);
      methods.set(f.kind.resource, list);
    }
  }
  for (const [name, tid] of types) {
    const def = scope.resolve.types[tid];
    if (side === "export" && def.kind.tag === "resource") {
      const [instance, statics] = resourceImplementation(scope, typeName(def), methods.get(tid) ?? []);
      out.push(...docComment(def.docs), ...instance);
      members.push(...statics);
      continue;
    }
    const decl = typeDeclaration(scope, def, methods.get(tid) ?? [], exports, typeNames);
    if (decl.length > 0) out.push(...docComment(def.docs, enumCaseDocs(def)), ...decl);
    else out.push(`// ${name}: no declaration`);
  }
  if (side === "export")
    out.push(
      "/** The object the guest exports for this interface. */",
      `export interface ${exportsInterfaceName(scope.resolve, types.values())} {`,
      ...members,
      "}",
    );
  for (const h of scope.helpers) out.push(HELPER_DECLARATIONS[h]);
  return out;
}

/** The type a `use`d name stands for (through `use`s of `use`s); `id` itself for any other type. */
function usedFrom(resolve: Resolve, id: TypeId): TypeId {
  let t = id;
  for (;;) {
    const def = resolve.types[t];
    const k = def.kind;
    if (k.tag !== "type" || typeof k.type !== "number") return t;
    const target = resolve.types[k.type];
    // One module cannot hold two types of one name, so a same-named target lives in another.
    if (target.name === null || typeName(target) !== typeName(def)) return t;
    t = k.type;
  }
}

/**
 * The name of the generated `Exports` interface of a module with these `types` (an exported
 * interface's, or a world's own): `Exports`, or `Exports_` when one of them is already called that
 * (`record exports`).
 */
export function exportsInterfaceName(resolve: Resolve, types: Iterable<TypeId>): string {
  for (const tid of types) {
    if (typeName(resolve.types[tid]) === "Exports") return "Exports_";
  }
  return "Exports";
}

/** A member of an `Exports` interface: the function a guest implements, with its TSDoc. */
export function implementationMember(scope: TypeScope, f: WitFunction, indent: string): string[] {
  return [...docComment(f.docs, implementsTag(scope, f), indent), `${indent}${signature(scope, f, "throw", false)};`];
}

/** For exports: componentize-js turns a thrown value into the `err` case. */
function implementsTag(scope: TypeScope, f: WitFunction): string[] {
  const err = errorType(scope, f);
  return err === null ? [] : [`@throws {${err}} for the result's \`err\` case: throw the error value itself.`];
}

/** An exported resource: the interface its instances implement, and its class's members of `Exports`. */
function resourceImplementation(scope: TypeScope, name: string, fns: WitFunction[]): [string[], string[]] {
  const instance = [`export interface ${name} {`];
  const statics: string[] = [];
  for (const f of fns) {
    const line = `${signature(scope, f, "throw", f.kind.tag === "method" || f.kind.tag === "async-method")};`;
    if (f.kind.tag === "method" || f.kind.tag === "async-method") {
      instance.push(...docComment(f.docs, implementsTag(scope, f), "  "), `  ${line}`);
    } else if (f.kind.tag !== "constructor") {
      statics.push(...docComment(f.docs, implementsTag(scope, f), "    "), `    ${line}`);
    }
  }
  instance.push("}");
  const ctor = fns.find((f) => f.kind.tag === "constructor");
  const params = ctor
    ? ctor.params.map((p) => `${paramName(p.name)}: ${tsType(scope, p.type, "param")}`).join(", ")
    : "";
  const members = [
    `  /** The class implementing \`${name}\`. */`,
    `  ${name}: {`,
    ...(ctor ? [...docComment(ctor.docs, [], "    "), `    new (${params}): ${name};`] : []),
    ...statics,
    "  };",
  ];
  return [instance, members];
}

/** `export function f(..): R;` with its TSDoc; `export default function f(..): R;` with `asDefault`. */
export function functionDeclaration(
  scope: TypeScope,
  f: WitFunction,
  results: ResultStyle,
  asDefault = false,
): string[] {
  const tags = results === "throw" ? throwsTag(scope, f) : [];
  const name = camelCase(f.name);
  const sig = signature(scope, f, results, false);
  if (isReserved(name)) {
    // `export function delete()` is a syntax error; an export specifier may use any name.
    const local = `${name}$${sig.slice(name.length)}`;
    if (asDefault) return [...docComment(f.docs, tags), `export default function ${local};`];
    return [
      ...docComment(f.docs, tags),
      `${scope.ambient ? "" : "declare "}function ${local};`,
      `export { ${name}$ as ${name} };`,
    ];
  }
  return [...docComment(f.docs, tags), `export ${asDefault ? "default " : ""}function ${sig};`];
}

function signature(scope: TypeScope, f: WitFunction, results: ResultStyle, method: boolean): string {
  const params = (method ? f.params.slice(1) : f.params)
    .map((p) => `${paramName(p.name)}: ${tsType(scope, p.type, "param")}`)
    .join(", ");
  let ret = f.result === null ? "void" : tsType(scope, f.result, "return", results);
  if (isAsyncFunction(f.kind)) ret = `Promise<${ret}>`;
  const name = f.kind.tag === "freestanding" || f.kind.tag === "async-freestanding" ? f.name : functionItemName(f);
  return `${camelCase(name)}(${params}): ${ret}`;
}

/**
 * Throws when two WIT names become one TypeScript name (WIT source allows a record's fields to
 * repeat, for one; a component could not hold it).
 */
function distinctNames(names: string[], toTs: (name: string) => string, subject: string, parts: string): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    claimTsName(seen, toTs(n), n, (before) => `${subject} has ${parts} \`${before}\` and \`${n}\` that`);
  }
}

/**
 * Records that WIT name `wit` takes TypeScript name `ts` in `taken`; throws when another WIT name
 * took it first (`clash` says which two, before "both become ...").
 */
function claimTsName(taken: Map<string, string>, ts: string, wit: string, clash: (before: string) => string): void {
  const before = taken.get(ts);
  if (before !== undefined) {
    throw new BindgenError(
      "BAD_INPUT",
      `${clash(before)} both become \`${ts}\` in TypeScript; rename one of them in the WIT`,
    );
  }
  taken.set(ts, wit);
}

function paramName(name: string): string {
  const n = camelCase(name);
  return isReserved(n) ? `${n}_` : n;
}

/** `@throws` for a function whose `result` error is thrown, naming the payload type. */
function throwsTag(scope: TypeScope, f: WitFunction): string[] {
  const err = errorType(scope, f);
  return err === null
    ? []
    : [`@throws {ComponentError<${err}>} on the result's \`err\` case; \`payload\` holds the error value.`];
}

/** The TypeScript type of the `err` case of the `result` `f` returns; `null` when it throws none (see `thrownResult`). */
function errorType(scope: TypeScope, f: WitFunction): string | null {
  const r = f.result === null ? null : thrownResult(scope.resolve, f.result);
  if (r === null) return null;
  return r.err === null ? "undefined" : tsType(scope, r.err);
}

function typeDeclaration(
  scope: TypeScope,
  def: TypeDef,
  methods: WitFunction[],
  exports: ModuleExports,
  taken: Map<string, string>,
): string[] {
  const name = typeName(def);
  const kind = def.kind;
  switch (kind.tag) {
    case "record":
      distinctNames(
        kind.fields.map((f) => f.name),
        camelCase,
        `record \`${def.name}\``,
        "fields",
      );
      exports.types.push(name);
      return [
        `export interface ${name} {`,
        ...kind.fields.flatMap((f) => [
          ...docComment(f.docs, [], "  "),
          // An absent field reads as undefined, which jco lowers as `none`: option fields may be left out.
          `  ${propertyKey(camelCase(f.name))}${isNullable(scope.resolve, f.type) ? "?" : ""}: ${tsType(scope, f.type)};`,
        ]),
        "}",
      ];
    case "flags":
      distinctNames(
        kind.flags.map((f) => f.name),
        camelCase,
        `flags \`${def.name}\``,
        "flags",
      );
      exports.types.push(name);
      // jco accepts missing flags as false and always returns every flag.
      return [
        `export interface ${name} {`,
        ...kind.flags.flatMap((f) => [
          ...docComment(f.docs, [], "  "),
          `  ${propertyKey(camelCase(f.name))}?: boolean;`,
        ]),
        "}",
      ];
    case "variant": {
      exports.types.push(name);
      // One interface per case, `<Variant><Case>`; `<Variant>_<Case>` when a type of the module has that name.
      const caseNames = kind.cases.map((c) => {
        let n = `${name}${pascalCase(c.name)}`;
        if (taken.has(n)) n = `${name}_${pascalCase(c.name)}`;
        for (let i = 2; taken.has(n); i++) n = `${name}_${pascalCase(c.name)}${i}`;
        taken.set(n, `${def.name}.${c.name}`);
        return n;
      });
      exports.types.push(...caseNames);
      return [
        `export type ${name} = ${caseNames.join(" | ") || "never"};`,
        ...kind.cases.flatMap((c, i) => [
          ...docComment(c.docs),
          `export interface ${caseNames[i]} {`,
          `  tag: ${JSON.stringify(c.name)};`,
          ...(c.type === null ? [] : [`  val: ${tsType(scope, c.type)};`]),
          "}",
        ]),
      ];
    }
    case "enum":
      exports.types.push(name);
      return [`export type ${name} = ${kind.cases.map((c) => JSON.stringify(c.name)).join(" | ") || "never"};`];
    case "resource":
      exports.values.push(name);
      return resourceClass(scope, name, methods);
    default: {
      exports.types.push(name);
      // A `use`d type: the alias names the declaration in its own module.
      if (kind.tag === "type" && typeof kind.type === "number") {
        const target = scope.resolve.types[kind.type];
        if (target.name !== null && target.kind.tag !== "handle") {
          return [`export type ${name} = ${scope.named(kind.type, target)};`];
        }
      }
      return [`export type ${name} = ${anonymous(scope, def)};`];
    }
  }
}

function resourceClass(scope: TypeScope, name: string, fns: WitFunction[]): string[] {
  const out = [`export class ${name} {`];
  const ctor = fns.find((f) => f.kind.tag === "constructor");
  if (ctor) {
    const params = ctor.params.map((p) => `${paramName(p.name)}: ${tsType(scope, p.type, "param")}`).join(", ");
    out.push(...docComment(ctor.docs, throwsTag(scope, ctor), "  "), `  constructor(${params});`);
  } else {
    out.push(
      "  /** This resource has no constructor: instances come from the component. */",
      "  private constructor();",
    );
  }
  for (const f of fns) {
    if (f.kind.tag === "constructor") continue;
    const isStatic = f.kind.tag === "static" || f.kind.tag === "async-static";
    out.push(
      ...docComment(f.docs, throwsTag(scope, f), "  "),
      `  ${isStatic ? "static " : ""}${signature(scope, f, "throw", !isStatic)};`,
    );
  }
  out.push(
    "  /** Drops the handle now rather than when it is garbage collected. */",
    "  [Symbol.dispose](): void;",
    "}",
  );
  return out;
}

/** A TSDoc comment from WIT docs and extra tag lines; nothing when both are empty. */
export function docComment(docs: Docs, tags: string[] = [], indent = ""): string[] {
  const lines = [...(docs ? docs.trimEnd().split("\n") : []), ...(docs && tags.length > 0 ? [""] : []), ...tags];
  if (lines.length === 0) return [];
  return [
    `${indent}/**`,
    ...lines.map((l) => `${indent} *${l.length > 0 ? " " : ""}${l.replaceAll("*/", "*\\/")}`),
    `${indent} */`,
  ];
}

/** A string-literal union cannot carry docs per member, so an enum's case docs join the type's. */
function enumCaseDocs(def: TypeDef): string[] {
  if (def.kind.tag !== "enum" || !def.kind.cases.some((c) => c.docs)) return [];
  return def.kind.cases.map(
    (c) => `- \`${JSON.stringify(c.name)}\`${c.docs ? `: ${c.docs.trim().replaceAll("\n", " ")}` : ""}`,
  );
}
