// The alias module (`index.js` + `index.d.ts`) presenting a dependency's interfaces and functions as one library.
import type { Resolve, WitFunction } from "@wasm-compose/wit";
import { functionDeclaration, type ModuleExports, moduleScope } from "./declarations.js";
import { camelCase, isReserved, quote } from "./names.js";
import { HELPER_DECLARATIONS, type ResultStyle, thrownResult } from "./ts-types.js";
import type { WorldInterface } from "./world-items.js";

/**
 * One part of an alias module: an interface, or world-level functions. Guest and host differ only in
 * where a part's values and declarations come from.
 */
export interface AliasPart {
  /** The namespace an interface is also exported as; `null` for world-level functions (top level only). */
  namespace: string | null;
  /**
   * True for an interface without functions: jco (and componentize-js) make no value for it, so
   * its namespace and names are exported as types only and `js` is given nothing to export.
   */
  typesOnly?: boolean;
  /** What the namespace's TSDoc names (the interface's qualified name or world key). */
  label: string;
  /** The names the part's declarations export. */
  exports: ModuleExports;
  /** Its freestanding functions (those returning `result` are wrapped for `results: "union"`). */
  functions: WitFunction[];
  /** The module specifier its declarations come from (an ambient WIT module or a `.d.ts` file). */
  typesFrom: string;
  /**
   * JS statements exporting the namespace, the values `passed` as they are, `wrapped` through the
   * module's `$toResult` helper (generated names never start with `$`, so none can clash with it).
   */
  js(passed: string[], wrapped: string[]): string[];
  /** Declarations re-exporting the values `passed` (default: `export { … } from typesFrom`). */
  dts?(passed: string[]): string[];
}

/** The alias module's two files. */
export interface AliasModule {
  js: string;
  dts: string;
}

/** Builds the alias module over `parts`. */
export function aliasModule(
  resolve: Resolve,
  parts: AliasPart[],
  opts: { results: ResultStyle; header: string; dtsPrelude?: string[] },
): AliasModule {
  // A name two parts both declare stays only in the namespaces, so neither hides the other, unless
  // both stand for one type (a `use`d name): it is exported once, from the part declaring it as a
  // value (a class) if any. A world-level name has no namespace, so an interface's never hides it.
  const holder = new Map<string, { part: AliasPart; id: unknown } | null>();
  const isValue = (p: AliasPart, n: string) => !p.typesOnly && p.exports.values.includes(n);
  for (const p of parts) {
    for (const n of new Set([...p.exports.values, ...p.exports.types])) {
      // Functions and variant cases have no type id: two of one name are always two things.
      const id = p.exports.typeIds?.get(n) ?? {};
      const before = holder.get(n);
      if (before === undefined) holder.set(n, { part: p, id });
      else if (before === null || before.id !== id) holder.set(n, null);
      else if (isValue(p, n) && !isValue(before.part, n)) holder.set(n, { part: p, id });
    }
  }
  const taken = new Set(RESERVED_TOP_LEVEL);
  for (const p of parts) if (p.namespace !== null) taken.add(p.namespace);
  const worldNames = new Set(
    parts.flatMap((p) => (p.namespace === null ? [...p.exports.values, ...p.exports.types] : [])),
  );
  // Reserved words (`delete`) cannot be bound at the top level: they stay in the namespaces.
  const flat = (p: AliasPart, n: string) =>
    !isReserved(n) && (p.namespace === null || (holder.get(n)?.part === p && !taken.has(n) && !worldNames.has(n)));

  const js = [opts.header];
  const dts = [opts.header, ...(opts.dtsPrelude ?? [])];
  const unionHelpers = new Set<"Option" | "Result">();
  for (const p of parts) {
    const values = p.typesOnly ? [] : p.exports.values.filter((n) => flat(p, n));
    // Functions whose result becomes a union are wrapped; everything else is passed through.
    const wrapped = new Set<string>();
    if (opts.results === "union") {
      const scope = moduleScope(resolve, (owner) => (owner.tag === "none" ? null : `import(${quote(p.typesFrom)})`));
      for (const f of p.functions) {
        const name = camelCase(f.name);
        if (f.result === null || !values.includes(name) || thrownResult(resolve, f.result) === null) continue;
        wrapped.add(name);
        dts.push(...functionDeclaration(scope, f, "union"));
        for (const h of scope.helpers) unionHelpers.add(h);
        unionHelpers.add("Result");
      }
    }
    const passed = values.filter((v) => !wrapped.has(v));
    if (!p.typesOnly) js.push(...p.js(passed, [...wrapped]));
    // A types-only part's classes (resources without functions) have no value either.
    const typeNames = p.typesOnly ? [...p.exports.values, ...p.exports.types] : p.exports.types;
    const types = typeNames.filter((n) => flat(p, n));
    if (passed.length > 0)
      dts.push(...(p.dts?.(passed) ?? [`export { ${passed.join(", ")} } from ${quote(p.typesFrom)};`]));
    if (types.length > 0) dts.push(`export type { ${types.join(", ")} } from ${quote(p.typesFrom)};`);
    if (p.namespace !== null) {
      const exportKeyword = p.typesOnly ? "export type" : "export";
      const note = p.typesOnly ? " (types only: the interface has no functions)" : "";
      dts.push(`/** \`${p.label}\`${note} */`, `${exportKeyword} * as ${p.namespace} from ${quote(p.typesFrom)};`);
    }
  }
  js.push(COMPONENT_ERROR_JS);
  dts.push(COMPONENT_ERROR_DTS);
  if (unionHelpers.has("Result")) js.push(TO_RESULT_JS);
  for (const h of unionHelpers) dts.push(HELPER_DECLARATIONS[h]);
  return { js: `${js.join("\n")}\n`, dts: `${dts.join("\n")}\n` };
}

/**
 * A camelCase namespace name per world key; a named interface is prefixed with its package when two
 * clash, or when its name is `taken` (by a world-level function or type beside the namespaces).
 */
export function namespaceNames(
  resolve: Resolve,
  ifaces: WorldInterface[],
  taken: Iterable<string> = [],
): Map<string, string> {
  // A plain-named item (`import primary: store;`, or an inline interface) goes by its name, an
  // interface imported or exported as itself by the interface's name.
  const base = (i: WorldInterface) => camelCase(i.inline ? i.key : (resolve.interfaces[i.id].name ?? i.key));
  const seen = new Map<string, number>();
  for (const i of ifaces) seen.set(base(i), (seen.get(base(i)) ?? 0) + 1);
  const used = new Set([...RESERVED_TOP_LEVEL, ...taken]);
  const out = new Map<string, string>();
  for (const i of ifaces) {
    const { name, package: pkg } = resolve.interfaces[i.id];
    const qualifiable = !i.inline && name !== null && pkg !== null;
    let ns = base(i);
    if (qualifiable && (seen.get(ns)! > 1 || used.has(ns)))
      ns = camelCase(`${resolve.packages[pkg].name.name}-${name}`);
    while (used.has(ns)) ns = `${ns}_`;
    used.add(ns);
    out.set(i.key, ns);
  }
  return out;
}

/** Names an alias module declares at its top level whatever the WIT says (`Option` with `results: "union"`). */
const RESERVED_TOP_LEVEL = ["ComponentError", "Result", "Option"];

// jco and componentize-js throw their own (unexported) error class, also called `ComponentError`,
// with an own `payload`; this class matches any of them (and itself) with `instanceof`, so callers
// need not know which runtime threw, but not other objects that happen to carry a `payload`.
// Not `instanceof Error`: componentize-js's class is an `Error` of another realm, inside the guest.
const COMPONENT_ERROR_JS = `/** The error a component function throws for a result's \`err\` case; \`payload\` is the error value. */
export class ComponentError extends Error {
  constructor(payload) {
    super(typeof payload === "string" ? payload : \`\${String(payload)} (see error.payload)\`);
    this.payload = payload;
  }
  static [Symbol.hasInstance](e) {
    return (
      typeof e === "object" &&
      e !== null &&
      Object.prototype.hasOwnProperty.call(e, "payload") &&
      e.constructor?.name === "ComponentError"
    );
  }
}`;

const COMPONENT_ERROR_DTS = `/**
 * The error a component function throws for a result's \`err\` case; \`payload\` is the error value
 * (its type is in the function's \`@throws\` tag). \`instanceof\` matches the errors jco and
 * componentize-js throw.
 */
export declare class ComponentError<E = unknown> extends Error {
  constructor(payload: E);
  readonly payload: E;
}`;

const TO_RESULT_JS = `function $toResult(f) {
  return (...args) => {
    try {
      return { tag: "ok", val: f(...args) };
    } catch (e) {
      if (e instanceof ComponentError) return { tag: "err", val: e.payload };
      throw e;
    }
  };
}`;
