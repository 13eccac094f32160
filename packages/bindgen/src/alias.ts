// The alias module (`index.js` + `index.d.ts`) that presents a dependency's interfaces as one library:
// each interface as a camelCase namespace, and every name no two interfaces share at the top level.
// Guest and host differ only in where the values and the declarations come from.
import { type InterfaceId, interfaceQualifiedName, type Resolve } from "@wasm-compose/wit";
import { functionDeclaration, type ModuleExports, moduleScope, resultOf } from "./declarations.js";
import { camelCase, isReserved, quote } from "./names.js";
import { HELPER_DECLARATIONS, type ResultStyle } from "./ts-types.js";

/** Where an interface's values and declarations live, for the alias module. */
export interface AliasSource {
  /**
   * JS statements exporting the interface as namespace `ns`, its values `passed` as they are, and
   * `wrapped` through `toResult` (a function the alias module defines).
   */
  jsExports(ns: string, passed: string[], wrapped: string[]): string[];
  /** The module specifier the declarations are re-exported from (an ambient WIT module or a `.d.ts` file). */
  typesFrom: string;
}

/** The alias module's two files. */
export interface AliasModule {
  js: string;
  dts: string;
  /** The top-level names it exports (namespaces included). */
  names: string[];
}

/** Builds the alias module for `ifaces`; `exportsOf` gives each interface's declared names. */
export function aliasModule(
  resolve: Resolve,
  ifaces: InterfaceId[],
  exportsOf: (id: InterfaceId) => ModuleExports,
  source: (id: InterfaceId) => AliasSource,
  opts: { results: ResultStyle; header: string; dtsPrelude?: string[] },
): AliasModule {
  const namespaces = namespaceNames(resolve, ifaces);
  // A name two interfaces both declare stays only in the namespaces, so neither hides the other.
  const count = new Map<string, number>();
  for (const id of ifaces) {
    const e = exportsOf(id);
    for (const n of new Set([...e.values, ...e.types])) count.set(n, (count.get(n) ?? 0) + 1);
  }
  const taken = new Set([...namespaces.values(), "ComponentError", "Result"]);
  // Reserved words (`delete`) cannot be bound at the top level: they stay in the namespaces.
  const flat = (n: string) => count.get(n) === 1 && !taken.has(n) && !isReserved(n);

  const js = [opts.header];
  const dts = [opts.header, ...(opts.dtsPrelude ?? [])];
  const names: string[] = [];
  let usesResult = false;
  const unionHelpers = new Set<"Option" | "Result">();
  for (const id of ifaces) {
    const src = source(id);
    const ns = namespaces.get(id)!;
    const e = exportsOf(id);
    const iface = resolve.interfaces[id];
    const values = e.values.filter(flat);
    // Functions whose result becomes a union are wrapped; everything else is passed through.
    const wrapped = new Set<string>();
    if (opts.results === "union") {
      const scope = moduleScope(resolve, (owner) => (owner.tag === "none" ? null : `import(${quote(src.typesFrom)})`));
      for (const f of iface.functions.values()) {
        const name = camelCase(f.name);
        if (f.kind.tag !== "freestanding" || f.result === null || !flat(name)) continue;
        if (resultOf(resolve, f.result) === null) continue;
        wrapped.add(name);
        usesResult = true;
        dts.push(...functionDeclaration(scope, f, "union"));
        for (const h of scope.helpers) unionHelpers.add(h);
      }
    }
    const passed = values.filter((v) => !wrapped.has(v));
    js.push(...src.jsExports(ns, passed, [...wrapped]));
    const types = e.types.filter(flat);
    if (passed.length > 0) dts.push(`export { ${passed.join(", ")} } from ${quote(src.typesFrom)};`);
    if (types.length > 0) dts.push(`export type { ${types.join(", ")} } from ${quote(src.typesFrom)};`);
    dts.push(`/** \`${interfaceQualifiedName(resolve, id)}\` */`, `export * as ${ns} from ${quote(src.typesFrom)};`);
    names.push(ns, ...values, ...types);
  }
  js.push(COMPONENT_ERROR_JS);
  dts.push(COMPONENT_ERROR_DTS);
  if (usesResult) {
    js.push(TO_RESULT_JS);
    unionHelpers.add("Result");
  }
  for (const h of unionHelpers) dts.push(HELPER_DECLARATIONS[h]);
  return { js: `${js.join("\n")}\n`, dts: `${dts.join("\n")}\n`, names };
}

/** A camelCase namespace name per interface; the package name is prefixed when two would clash. */
export function namespaceNames(resolve: Resolve, ifaces: InterfaceId[]): Map<InterfaceId, string> {
  const base = (id: InterfaceId) => camelCase(resolve.interfaces[id].name ?? `interface-${id}`);
  const seen = new Map<string, number>();
  for (const id of ifaces) seen.set(base(id), (seen.get(base(id)) ?? 0) + 1);
  const out = new Map<InterfaceId, string>();
  for (const id of ifaces) {
    const iface = resolve.interfaces[id];
    const pkg = iface.package === null ? null : resolve.packages[iface.package].name.name;
    out.set(id, seen.get(base(id))! > 1 && pkg !== null ? camelCase(`${pkg}-${iface.name}`) : base(id));
  }
  return out;
}

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
