// Guest bindings: ambient module declarations for what componentize-js provides, and alias packages over them.
import {
  type InterfaceId,
  packageNameToString,
  type Resolve,
  type TypeId,
  type TypeOwner,
  type WorldId,
} from "@wasm-compose/wit";
import { type AliasPart, aliasModule, namespaceNames } from "./alias.js";
import {
  docComment,
  exportDeclarations,
  exportsInterfaceName,
  functionDeclaration,
  implementationMember,
  interfaceDeclarations,
  type ModuleExports,
  type ModuleRef,
  moduleScope,
  worldTypeDeclarations,
} from "./declarations.js";
import { BindgenError } from "./errors.js";
import { camelCase, quote, uniqueStem } from "./names.js";
import { checkPackageName, DTS_PRELUDE, HEADER, packageJson } from "./package-json.js";
import { reachableInterfaces } from "./reach.js";
import { HELPER_DECLARATIONS, type ResultStyle } from "./ts-types.js";
import {
  freestandingFunctions,
  interfaceKey,
  type WorldFunction,
  type WorldInterface,
  type WorldItems,
  worldItems,
} from "./world-items.js";

/** Options of {@link generateGuestBindings}. */
export interface GuestOptions {
  /**
   * Alias packages to generate: alias name → what it re-exports, as package names (`example:text`),
   * interface names (`example:text/pattern`), qualified interface names with a version, or the
   * names of inline interfaces and world-level functions the world imports. Default: one alias per
   * imported package other than `wasi:*`, named after the package (`example:math` → `math`).
   * Each name must be an npm package name (it is also the alias's folder).
   */
  aliases?: Record<string, string | string[]>;
  /** How alias packages present functions returning `result`: throw `ComponentError` (default) or return a `Result` union. */
  results?: ResultStyle;
}

/** One generated alias package. */
export interface GuestAlias {
  name: string;
  /** The specifiers it re-exports: qualified interface names, inline interface and world-level function names. */
  interfaces: string[];
  /** The alias module's source (also in `files` as `<name>/index.js`); the esbuild plugin loads it. */
  js: string;
}

/** Generated guest bindings: file contents by path relative to the output folder. */
export interface GuestBindings {
  files: Map<string, string>;
  aliases: GuestAlias[];
  /** Every module specifier componentize-js provides for the world's imports (the bundler keeps them external). */
  imports: string[];
}

/** The folder (under the output folder) holding the ambient WIT module declarations. */
export const WIT_TYPES_DIR = ".wit-types";

/**
 * Declarations for every interface and world-level function the world imports (and the interfaces
 * whose types they use), as componentize-js names them (`ns:pkg/iface@ver`; an inline interface or
 * a world-level function by its name, the function as the default export), the types of what the
 * guest exports, and an alias package per dependency. Write `files` into a folder (e.g.
 * `node_modules`), so that `import { add } from "<alias>"` type-checks; bundle with {@link esbuildPlugin}.
 */
export function generateGuestBindings(resolve: Resolve, world: WorldId, opts: GuestOptions = {}): GuestBindings {
  const w = resolve.worlds[world];
  if (!w) throw new BindgenError("NO_WORLD", `no world with id ${world}`);
  for (const name of Object.keys(opts.aliases ?? {})) checkPackageName(name, "alias");
  const imports = worldItems(resolve, w.imports);
  const exports = worldItems(resolve, w.exports);
  const imported = imports.interfaces.map((i) => i.id);
  // Exported interfaces are not importable: they get type-only declarations in the world's module.
  const exportedOnly = new Set(exports.interfaces.filter((i) => !imported.includes(i.id)).map((i) => i.id));
  const worldFunctions = [...imports.functions, ...exports.functions].map((f) => f.func);
  const all = reachableInterfaces(
    resolve,
    [...imported, ...exports.interfaces.map((i) => i.id)],
    worldFunctions,
  ).filter((id) => !exportedOnly.has(id));
  const worldSpec = worldSpecifier(resolve, world);
  const worldTypes = imports.types;

  const files = new Map<string, string>();
  // One module per interface, under the name it is imported as itself when it is (others refer to
  // its types there); each other name it is imported under (`import primary: store;`) is a module
  // that re-exports it.
  const specifiers = new Map<InterfaceId, string>();
  for (const id of all) {
    const own = imports.interfaces.find((i) => i.id === id && !i.inline);
    specifiers.set(id, own?.key ?? interfaceKey(resolve, imports.interfaces, id));
  }
  const ref = (owner: TypeOwner) => {
    if (owner.tag === "interface" && specifiers.has(owner.id)) return `import(${quote(specifiers.get(owner.id)!)})`;
    if (owner.tag === "world" && worldSpec !== null) return `import(${quote(worldSpec)})`;
    return null;
  };
  const stems = new Map<string, number>();
  const refs: string[] = [];
  const addModule = (spec: string, suffix: string, docs: string[], body: string[]) => {
    const file = `${uniqueStem(stems, spec, true)}${suffix}.d.ts`;
    files.set(
      `${WIT_TYPES_DIR}/${file}`,
      [...DTS_PRELUDE, ...docs, `declare module ${quote(spec)} {`, ...indent(body), "}", ""].join("\n"),
    );
    refs.push(`/// <reference path="./${file}" />`);
  };

  const exportsById = new Map<InterfaceId, ModuleExports>();
  for (const id of all) {
    const scope = moduleScope(
      resolve,
      (owner) => (owner.tag === "interface" && owner.id === id ? null : ref(owner)),
      true,
    );
    const names: ModuleExports = { values: [], types: [] };
    const body = interfaceDeclarations(resolve, id, scope, names);
    exportsById.set(id, names);
    addModule(specifiers.get(id)!, "", docComment(resolve.interfaces[id].docs), body);
  }
  for (const { id, key } of imports.interfaces) {
    const spec = specifiers.get(id)!;
    if (key === spec) continue;
    addModule(
      key,
      "",
      [`// \`${key}\`: the interface \`${spec}\` imported under this name.`],
      [`export * from ${quote(spec)};`],
    );
  }
  for (const { key, func } of imports.functions) {
    const scope = moduleScope(resolve, ref, true);
    const body = functionDeclaration(scope, func, "throw", true);
    for (const h of scope.helpers) body.push(HELPER_DECLARATIONS[h]);
    addModule(
      key,
      "",
      [`// The world-level function \`${key}\`: componentize-js provides it as the default export.`],
      body,
    );
  }
  if (worldSpec !== null && (exports.interfaces.length > 0 || exports.functions.length > 0 || worldTypes.size > 0)) {
    addModule(
      worldSpec,
      ".world",
      [
        `// World ${worldSpec}: its own types, and what a component of it exports (types only, for \`import type\`).`,
        ...docComment(w.docs),
      ],
      worldModule(resolve, exports, worldTypes, exportedOnly, ref, worldSpec),
    );
  }
  files.set(`${WIT_TYPES_DIR}/index.d.ts`, `${refs.join("\n")}\n${HEADER}\n`);

  const aliases: GuestAlias[] = [];
  // An alias may hold world-level functions beside the namespaces: a namespace never takes their names.
  const namespaces = namespaceNames(
    resolve,
    imports.interfaces,
    imports.functions.map(({ func }) => camelCase(func.name)),
  );
  for (const [name, targets] of Object.entries(opts.aliases ?? defaultAliases(resolve, imports.interfaces))) {
    const selected = selectImports(imports, Array.isArray(targets) ? targets : [targets], name);
    const parts = [
      ...selected.interfaces.map((i) => interfacePart(resolve, i, namespaces.get(i.key)!, exportsById.get(i.id)!)),
      ...selected.functions.map((f) => functionPart(f, worldSpec)),
    ];
    const specs = [...selected.interfaces, ...selected.functions].map((i) => i.key);
    const mod = aliasModule(resolve, parts, {
      results: opts.results ?? "throw",
      header: `${HEADER}\n// The "${name}" alias: ${specs.join(", ")}.`,
      dtsPrelude: [`/// <reference path="../${WIT_TYPES_DIR}/index.d.ts" />`],
    });
    files.set(`${name}/package.json`, packageJson(name, ""));
    files.set(`${name}/index.js`, mod.js);
    files.set(`${name}/index.d.ts`, mod.dts);
    aliases.push({ name, interfaces: specs, js: mod.js });
  }
  const importSpecs = [...imports.interfaces, ...imports.functions].map((i) => i.key);
  return { files, aliases, imports: importSpecs };
}

/**
 * The world's module: its own types, a type-only namespace per exported interface (named as
 * componentize-js expects the export: `export api` → `api`, `export tools: interface {…}` → `tools`),
 * and `Exports`, everything the guest module must export.
 */
function worldModule(
  resolve: Resolve,
  exports: WorldItems,
  worldTypes: Map<string, TypeId>,
  exportedOnly: Set<InterfaceId>,
  ref: ModuleRef,
  worldSpec: string,
): string[] {
  const namespaces = namespaceNames(resolve, exports.interfaces);
  // jco and componentize-js expect an exported interface under its name and a world-level
  // function under its own: when the two are one name, no JS module can export both.
  for (const { func } of exports.functions) {
    const clash = exports.interfaces.find((i) => namespaces.get(i.key) === camelCase(func.name));
    if (clash !== undefined) {
      throw new BindgenError(
        "BAD_INPUT",
        `world ${worldSpec} exports the function \`${func.name}\` and the interface \`${clash.key}\`, which a JS guest would both export as \`${camelCase(func.name)}\`; rename one of them in the WIT`,
      );
    }
  }
  // The namespace other declarations find an exported interface's types in: its export as itself
  // when it has one, else its first.
  const namespaceOf = (id: InterfaceId) =>
    namespaces.get(
      (exports.interfaces.find((i) => i.id === id && !i.inline) ?? exports.interfaces.find((i) => i.id === id))!.key,
    );
  // Each exported interface's `Exports` (or `Exports_`) interface name.
  const exportsName = new Map(
    exports.interfaces.map(({ id }) => [id, exportsInterfaceName(resolve, resolve.interfaces[id].types.values())]),
  );
  const scope = moduleScope(resolve, (owner) => (owner.tag === "world" ? null : ref(owner)), true);
  const members = [
    ...exports.functions.flatMap(({ func }) => implementationMember(scope, func, "  ")),
    ...exports.interfaces.map(
      ({ id, key }) => `  ${namespaces.get(key)}: ${namespaces.get(key)}.${exportsName.get(id)};`,
    ),
  ];
  // Declared after the members, so that it also declares the helper types they used.
  const body = worldTypeDeclarations(scope, worldTypes, { values: [], types: [] });
  for (const { id, key } of exports.interfaces) {
    const nsScope = moduleScope(
      resolve,
      (owner) => {
        if (owner.tag === "interface" && owner.id === id) return null;
        return owner.tag === "interface" && exportedOnly.has(owner.id)
          ? `import(${quote(worldSpec)}).${namespaceOf(owner.id)}`
          : ref(owner);
      },
      true,
    );
    const ns = namespaces.get(key)!;
    body.push(
      `/** \`${key}\`: the guest module exports it as \`${ns}\` (type \`${ns}.${exportsName.get(id)}\`). */`,
      `export namespace ${ns} {`,
      ...indent(exportDeclarations(resolve, id, nsScope)),
      "}",
    );
  }
  body.push(
    `/** Everything a component of world \`${worldSpec}\` exports, by the names its module exports them under. */`,
    `export interface ${exportsInterfaceName(resolve, worldTypes.values())} {`,
    ...members,
    "}",
  );
  return body;
}

/** An imported interface as an alias part: its WIT module re-exported, and as a namespace. */
function interfacePart(resolve: Resolve, i: WorldInterface, ns: string, names: ModuleExports): AliasPart {
  const spec = quote(i.key);
  return {
    namespace: ns,
    // Nothing of an interface without functions exists at run time.
    typesOnly: resolve.interfaces[i.id].functions.size === 0,
    label: i.key,
    exports: names,
    functions: freestandingFunctions(resolve, i.id),
    typesFrom: i.key,
    js: (passed, wrapped) => [
      `export * as ${ns} from ${spec};`,
      ...(passed.length > 0 ? [`export { ${passed.join(", ")} } from ${spec};`] : []),
      ...(wrapped.length > 0
        ? [`import { ${wrapped.map((f) => `${f} as ${ns}$${f}`).join(", ")} } from ${spec};`]
        : []),
      ...wrapped.map((f) => `export const ${f} = $toResult(${ns}$${f});`),
    ],
  };
}

/**
 * An imported world-level function as an alias part: the default export of its module, by its
 * camelCase name; the types it uses are the world's (`worldSpec`).
 */
function functionPart({ key, func }: WorldFunction, worldSpec: string | null): AliasPart {
  const name = camelCase(func.name);
  const spec = quote(key);
  return {
    namespace: null,
    label: key,
    exports: { values: [name], types: [] },
    functions: [func],
    typesFrom: worldSpec ?? key,
    js: (passed, wrapped) => [
      ...passed.map((f) => `export { default as ${f} } from ${spec};`),
      ...wrapped.flatMap((f) => [`import ${f}$ from ${spec};`, `export const ${f} = $toResult(${f}$);`]),
    ],
    dts: (passed) => passed.map((f) => `export { default as ${f} } from ${spec};`),
  };
}

/** `ns:pkg/world@ver`, the name of the module declaring the world's exports; `null` for a world without a package. */
function worldSpecifier(resolve: Resolve, world: WorldId): string | null {
  const w = resolve.worlds[world];
  if (w.package === null) return null;
  const p = resolve.packages[w.package].name;
  return `${p.namespace}:${p.name}/${w.name}${p.version === null ? "" : `@${p.version}`}`;
}

/** One alias per imported package other than `wasi:*` (inline interfaces and world-level functions have none). */
function defaultAliases(resolve: Resolve, imported: WorldInterface[]): Record<string, string[]> {
  const byPackage = new Map<string, string>();
  for (const { id, inline } of imported) {
    const p = resolve.interfaces[id].package;
    if (inline || p === null) continue;
    const name = resolve.packages[p].name;
    if (name.namespace === "wasi") continue;
    byPackage.set(packageNameToString(name), name.name);
  }
  const counts = new Map<string, number>();
  for (const n of byPackage.values()) counts.set(n, (counts.get(n) ?? 0) + 1);
  const out: Record<string, string[]> = {};
  for (const [full, short] of byPackage) {
    const alias = counts.get(short)! > 1 ? full.replace(/@.*$/, "").replace(":", "-") : short;
    (out[alias] ??= []).push(full.replace(/@.*$/, ""));
  }
  return out;
}

/** The imports `targets` name: packages or interfaces (with or without version), inline interfaces or world-level functions. */
function selectImports(
  imports: WorldItems,
  targets: string[],
  alias: string,
): Pick<WorldItems, "interfaces" | "functions"> {
  const interfaces = new Set<WorldInterface>();
  const functions = new Set<WorldFunction>();
  for (const t of targets) {
    const ifaces = imports.interfaces.filter((i) => matchesTarget(i, t));
    const fns = imports.functions.filter((f) => f.key === t);
    if (ifaces.length + fns.length === 0) {
      const known = [...imports.interfaces, ...imports.functions].map((i) => i.key).join(", ");
      throw new BindgenError("UNKNOWN_TARGET", `alias "${alias}": expected an import matching "${t}", found ${known}`);
    }
    for (const i of ifaces) interfaces.add(i);
    for (const f of fns) functions.add(f);
  }
  return { interfaces: [...interfaces], functions: [...functions] };
}

function matchesTarget({ key, inline }: WorldInterface, target: string): boolean {
  if (inline) return key === target;
  const unversioned = key.replace(/@.*$/, "");
  const pkg = unversioned.slice(0, unversioned.indexOf("/"));
  const [tname, tver] = target.split("@");
  const version = key.includes("@") ? key.slice(key.indexOf("@") + 1) : null;
  if (tver !== undefined && tver !== version) return false;
  return tname === unversioned || tname === pkg;
}

function indent(lines: string[]): string[] {
  return lines.map((l) => (l.length > 0 ? `  ${l}` : l));
}

/**
 * A world importing what `world` exports: the guest's view of a dependency component. Returns a
 * new `Resolve` sharing everything with `resolve` but one added world (the input is not changed).
 */
export function dependencyWorld(resolve: Resolve, world: WorldId): { resolve: Resolve; world: WorldId } {
  const w = resolve.worlds[world];
  if (!w) throw new BindgenError("NO_WORLD", `no world with id ${world}`);
  // What it exports, and the world's own types those may use.
  const imports = new Map([...[...w.imports].filter(([, item]) => item.tag === "type"), ...w.exports]);
  const worlds = [...resolve.worlds, { ...w, name: `${w.name}-dependency`, imports, exports: new Map(), includes: [] }];
  return { resolve: { ...resolve, worlds }, world: worlds.length - 1 };
}
