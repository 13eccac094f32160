// Host packages: a component as an npm package for Node (jco's transpiled glue, our declarations, an index).
import { type ComponentWorld, componentWorld } from "@wasm-compose/component";
import type { InterfaceId, TypeOwner } from "@wasm-compose/wit";
import { isSemver } from "@wasm-compose/wit";
import { type AliasPart, aliasModule, namespaceNames } from "./alias.js";
import {
  functionDeclaration,
  interfaceDeclarations,
  type ModuleExports,
  moduleScope,
  worldTypeDeclarations,
} from "./declarations.js";
import { BindgenError } from "./errors.js";
import { camelCase, quote, uniqueStem } from "./names.js";
import { checkPackageName, DTS_PRELUDE, HEADER, packageJson } from "./package-json.js";
import { reachableInterfaces } from "./reach.js";
import type { ResultStyle } from "./ts-types.js";
import { freestandingFunctions, interfaceKey, worldItems } from "./world-items.js";

/** Options of {@link generateHostPackage}. */
export interface HostOptions {
  /** The package name (what the program imports), e.g. `rust-lib`. */
  name: string;
  /**
   * When set, the package is also written there (e.g. `node_modules/rust-lib`); without it nothing
   * is written. A package generated there before is replaced; a file there that we did not generate
   * is not: a {@link BindgenError} `OUTPUT_EXISTS` names it and nothing is written.
   */
  outDir?: string;
  /** How functions returning `result` are presented: throw `ComponentError` (default) or return a `Result` union. */
  results?: ResultStyle;
  /**
   * jco's import map, for components importing more than WASI: import (`ns:pkg/iface`, with or
   * without its version, or the name of a world-level function or inline interface) → the module the
   * glue imports it from (a relative one is relative to `component/component.js`).
   */
  map?: Record<string, string>;
  /** The world, when the caller has already decoded it. */
  world?: ComponentWorld;
  /** The `@bytecodealliance/preview2-shim` version range to depend on (default {@link PREVIEW2_SHIM_VERSION}). */
  shimVersion?: string;
  /** The package's version (e.g. the component's, as pulled); default `0.0.0`. Must be semver. */
  version?: string;
}

/** A generated host package. */
export interface HostPackage {
  name: string;
  /** File contents by path relative to the package folder. */
  files: Map<string, string | Uint8Array>;
  /** The qualified names of the interfaces the package exports. */
  interfaces: string[];
  /** The modules jco's glue imports (e.g. `@bytecodealliance/preview2-shim/cli`). */
  imports: string[];
}

/**
 * The preview2-shim that works with the jco and componentize-js this repository uses (0.26 has no
 * default preopens, see FACTS.md); overridable with `shimVersion`.
 */
export const PREVIEW2_SHIM_VERSION = "0.25.0";

const GLUE_NAME = "component";
const GLUE = `./${GLUE_NAME}/${GLUE_NAME}.js`;
/** The declarations of the world's own exported functions and types. */
const WORLD = "world";

/**
 * Makes the package for a component: `import { add } from "<name>"` then works in Node and
 * type-checks. It exports each exported interface (named or inline) as a camelCase namespace and
 * its names at the top level, and the world's own exported functions. What the component imports
 * beyond WASI comes from the modules `map` names (jco's import map).
 */
export async function generateHostPackage(componentBytes: Uint8Array, opts: HostOptions): Promise<HostPackage> {
  checkPackageName(opts.name, "host package");
  if (opts.version !== undefined && !isSemver(opts.version)) {
    throw new BindgenError("BAD_INPUT", `package version ${JSON.stringify(opts.version)} is not a semver version`);
  }
  const { resolve, world } = opts.world ?? componentWorld(componentBytes);
  const w = resolve.worlds[world];
  const exported = worldItems(resolve, w.exports);
  const worldFunctions = exported.functions.map((f) => f.func);

  const files = new Map<string, string | Uint8Array>();
  // Declarations: one module file per interface the exports need, one for the world's functions and types.
  const all = reachableInterfaces(
    resolve,
    exported.interfaces.map((i) => i.id),
    worldFunctions,
  );
  const stems = new Map<string, number>();
  const fileOf = new Map<InterfaceId, string>();
  for (const id of all) {
    fileOf.set(id, `interfaces/${uniqueStem(stems, interfaceKey(resolve, exported.interfaces, id))}`);
  }
  const ref = (from: string) => (owner: TypeOwner) => {
    const to = owner.tag === "interface" ? fileOf.get(owner.id) : owner.tag === "world" ? WORLD : undefined;
    return to === undefined || to === from ? null : `import(${quote(relative(from, to))})`;
  };
  const exportsById = new Map<InterfaceId, ModuleExports>();
  for (const id of all) {
    const file = fileOf.get(id)!;
    const names: ModuleExports = { values: [], types: [] };
    const body = interfaceDeclarations(resolve, id, moduleScope(resolve, ref(file)), names);
    exportsById.set(id, names);
    const label = interfaceKey(resolve, exported.interfaces, id);
    files.set(`${file}.d.ts`, [...DTS_PRELUDE, `// ${label}`, ...body, ""].join("\n"));
  }
  // The world's own types are among its imports.
  const worldTypes = worldItems(resolve, w.imports).types;
  const worldNames: ModuleExports = { values: worldFunctions.map((f) => camelCase(f.name)), types: [] };
  if (worldFunctions.length > 0 || worldTypes.size > 0) {
    const scope = moduleScope(resolve, ref(WORLD));
    const functions = worldFunctions.flatMap((f) => functionDeclaration(scope, f, "throw"));
    // Declared last, so that it also declares the helper types the functions used.
    const body = [...functions, ...worldTypeDeclarations(scope, worldTypes, worldNames)];
    files.set(`${WORLD}.d.ts`, [...DTS_PRELUDE, "// The world's own functions and types.", ...body, ""].join("\n"));
  }

  // The JS glue.
  const { transpile } = await import("@bytecodealliance/jco");
  let glue: Awaited<ReturnType<typeof transpile>>;
  try {
    glue = await transpile(componentBytes, {
      name: GLUE_NAME,
      quiet: true,
      noTypescript: true,
      ...(opts.map ? { map: opts.map } : {}),
    });
  } catch (e) {
    // jco's own limits (it panics on some types, e.g. an exported alias of a handle) and invalid components.
    const message = e instanceof Error ? e.message : String(e);
    throw new BindgenError(
      "UNSUPPORTED",
      `jco could not make the JS glue for this component: ${message.split("\n")[0]}`,
      {
        cause: e,
      },
    );
  }
  for (const [file, bytes] of Object.entries(glue.files)) files.set(`${GLUE_NAME}/${file}`, bytes);

  // The index: every exported interface, and the world's own exported functions.
  // The world's own functions and types sit beside the namespaces: a namespace never takes their names.
  const namespaces = namespaceNames(resolve, exported.interfaces, [...worldNames.values, ...worldNames.types]);
  const parts: AliasPart[] = exported.interfaces.map((i) => {
    const ns = namespaces.get(i.key)!;
    const b = `${ns}$`;
    // jco exports a named interface by its qualified name (and a camelCase alias), an inline one by its camelCase key.
    const glueName = i.inline ? camelCase(i.key) : quote(i.key);
    return {
      namespace: ns,
      // jco's glue exports no interface without functions (`index.js` must not import one).
      typesOnly: resolve.interfaces[i.id].functions.size === 0,
      label: i.key,
      exports: exportsById.get(i.id)!,
      functions: freestandingFunctions(resolve, i.id),
      typesFrom: `./${fileOf.get(i.id)}.js`,
      js: (passed, wrapped) => [
        `import { ${glueName} as ${b} } from ${quote(GLUE)};`,
        `export { ${b} as ${ns} };`,
        ...(passed.length > 0 ? [`export const { ${passed.join(", ")} } = ${b};`] : []),
        ...wrapped.map((f) => `export const ${f} = $toResult(${b}.${f});`),
      ],
    };
  });
  if (worldFunctions.length > 0 || worldTypes.size > 0) {
    parts.push({
      namespace: null,
      label: "world",
      exports: worldNames,
      functions: worldFunctions,
      typesFrom: `./${WORLD}.js`,
      js: (passed, wrapped) => [
        ...(passed.length > 0 ? [`export { ${passed.join(", ")} } from ${quote(GLUE)};`] : []),
        ...(wrapped.length > 0
          ? [`import { ${wrapped.map((f) => `${f} as ${f}$`).join(", ")} } from ${quote(GLUE)};`]
          : []),
        ...wrapped.map((f) => `export const ${f} = $toResult(${f}$);`),
      ],
    });
  }
  const mod = aliasModule(resolve, parts, {
    results: opts.results ?? "throw",
    header: `${HEADER}\n// The "${opts.name}" package.`,
  });
  files.set("index.js", mod.js);
  files.set("index.d.ts", mod.dts);

  const shim = glue.imports.some((i) => i.startsWith("@bytecodealliance/preview2-shim"));
  files.set(
    "package.json",
    packageJson(
      opts.name,
      " from a component",
      shim ? { "@bytecodealliance/preview2-shim": opts.shimVersion ?? PREVIEW2_SHIM_VERSION } : undefined,
      opts.version,
    ),
  );

  const pkg: HostPackage = {
    name: opts.name,
    files,
    interfaces: exported.interfaces.map((i) => i.key),
    imports: glue.imports,
  };
  if (opts.outDir !== undefined) {
    const { writePackage } = await import("./write.js");
    await writePackage(opts.outDir, files);
  }
  return pkg;
}

/** `./b` from file `interfaces/a` to `interfaces/b` (all our files are one level deep or at the root). */
function relative(from: string, to: string): string {
  const fromDir = from.includes("/") ? from.slice(0, from.lastIndexOf("/")) : "";
  const toDir = to.includes("/") ? to.slice(0, to.lastIndexOf("/")) : "";
  const base = to.slice(to.lastIndexOf("/") + 1);
  if (fromDir === toDir) return `./${base}.js`;
  if (fromDir === "") return `./${to}.js`;
  return `../${to}.js`;
}
