// The alias module (`index.js` + `index.d.ts`) presenting a dependency's interfaces and functions as one library.
import type { Resolve, WitFunction } from "@wasm-compose/wit";
import { functionDeclaration, type ModuleExports, moduleScope, resultOf } from "./declarations.js";
import { camelCase, isReserved, quote } from "./names.js";
import { HELPER_DECLARATIONS, type ResultStyle } from "./ts-types.js";
import type { WorldInterface } from "./world-items.js";

/**
 * One part of an alias module: an interface, or world-level functions. Guest and host differ only in
 * where a part's values and declarations come from.
 */
export interface AliasPart {
  /** The namespace an interface is also exported as; `null` for world-level functions (top level only). */
  namespace: string | null;
  /** What the namespace's TSDoc names (the interface's qualified name or world key). */
  label: string;
  /** The names the part's declarations export. */
  exports: ModuleExports;
  /** Its freestanding functions (those returning `result` are wrapped for `results: "union"`). */
  functions: WitFunction[];
  /** The module specifier its declarations come from (an ambient WIT module or a `.d.ts` file). */
  typesFrom: string;
  /** JS statements exporting the namespace, the values `passed` as they are, `wrapped` through `toResult`. */
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
  // A name two parts both declare stays only in the namespaces, so neither hides the other; a
  // world-level function has no namespace, so an interface's name never hides it.
  const count = new Map<string, number>();
  for (const p of parts) {
    for (const n of new Set([...p.exports.values, ...p.exports.types])) count.set(n, (count.get(n) ?? 0) + 1);
  }
  const taken = new Set(["ComponentError", "Result"]);
  for (const p of parts) if (p.namespace !== null) taken.add(p.namespace);
  const worldNames = new Set(parts.flatMap((p) => (p.namespace === null ? p.exports.values : [])));
  // Reserved words (`delete`) cannot be bound at the top level: they stay in the namespaces.
  const flat = (p: AliasPart, n: string) =>
    !isReserved(n) && (p.namespace === null || (count.get(n) === 1 && !taken.has(n) && !worldNames.has(n)));

  const js = [opts.header];
  const dts = [opts.header, ...(opts.dtsPrelude ?? [])];
  const unionHelpers = new Set<"Option" | "Result">();
  for (const p of parts) {
    const values = p.exports.values.filter((n) => flat(p, n));
    // Functions whose result becomes a union are wrapped; everything else is passed through.
    const wrapped = new Set<string>();
    if (opts.results === "union") {
      const scope = moduleScope(resolve, (owner) => (owner.tag === "none" ? null : `import(${quote(p.typesFrom)})`));
      for (const f of p.functions) {
        const name = camelCase(f.name);
        if (f.result === null || !values.includes(name) || resultOf(resolve, f.result) === null) continue;
        wrapped.add(name);
        dts.push(...functionDeclaration(scope, f, "union"));
        for (const h of scope.helpers) unionHelpers.add(h);
        unionHelpers.add("Result");
      }
    }
    const passed = values.filter((v) => !wrapped.has(v));
    js.push(...p.js(passed, [...wrapped]));
    const types = p.exports.types.filter((n) => flat(p, n));
    if (passed.length > 0)
      dts.push(...(p.dts?.(passed) ?? [`export { ${passed.join(", ")} } from ${quote(p.typesFrom)};`]));
    if (types.length > 0) dts.push(`export type { ${types.join(", ")} } from ${quote(p.typesFrom)};`);
    if (p.namespace !== null) {
      dts.push(`/** \`${p.label}\` */`, `export * as ${p.namespace} from ${quote(p.typesFrom)};`);
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

/** Names an alias module declares at its top level whatever the WIT says. */
const RESERVED_TOP_LEVEL = ["ComponentError", "Result"];

// jco and componentize-js throw their own (unexported) error class with a `payload`; this class
// matches any of them with `instanceof`, so callers need not know which runtime threw.
const COMPONENT_ERROR_JS = `/** The error a component function throws for a result's \`err\` case; \`payload\` is the error value. */
export class ComponentError extends Error {
  constructor(payload) {
    super(typeof payload === "string" ? payload : \`\${String(payload)} (see error.payload)\`);
    this.payload = payload;
  }
  static [Symbol.hasInstance](e) {
    return typeof e === "object" && e !== null && "payload" in e;
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

const TO_RESULT_JS = `function toResult(f) {
  return (...args) => {
    try {
      return { tag: "ok", val: f(...args) };
    } catch (e) {
      if (e instanceof ComponentError) return { tag: "err", val: e.payload };
      throw e;
    }
  };
}`;
