// Reads the WIT a component binary carries: the world of a component, or the package of a
// binary WIT package (the format `wasm-tools component wit --wasm` writes).
import { type PackageId, packageNameToString, printWit, type Resolve, type WorldId } from "@wasm-compose/wit";
import { applyPackageDocs, PACKAGE_DOCS_SECTION } from "../encode/package-docs.js";
import { ComponentError } from "../errors.js";
import type { ComponentBinary } from "../reader/model.js";
import { parseComponent } from "../reader/read.js";
import { parseInterfaceName, WitBuilder } from "./to-wit.js";
import { evaluateComponent, type SItem } from "./values.js";

/** A component's world: `resolve` holds the root package `root:component` and every package it uses. */
export interface ComponentWorld {
  resolve: Resolve;
  package: PackageId;
  world: WorldId;
  /**
   * Imports and exports a WIT world has no words for, in order: components (a composition that
   * imports its dependencies, `unlocked-dep=<ns:pkg>`), core modules and values.
   */
  others: { direction: "import" | "export"; name: string; sort: string }[];
}

/** A decoded binary WIT package. */
export interface WitPackage {
  resolve: Resolve;
  package: PackageId;
}

/**
 * True when a parsed component is a WIT package: only types, exports and custom sections, and
 * every export a component type.
 */
export function isWitPackage(c: ComponentBinary): boolean {
  let exports = 0;
  for (const s of c.sections) {
    if (s.kind === "export") {
      exports += s.items.length;
      if (s.items.some((e) => e.item.sort !== "type")) return false;
    } else if (s.kind !== "type" && s.kind !== "custom") return false;
  }
  return exports > 0;
}

/** The world a component imports and exports, with full definitions of the interfaces it uses. */
export function componentWorld(bytes: Uint8Array | ComponentBinary): ComponentWorld {
  const binary = bytes instanceof Uint8Array ? parseComponent(bytes) : bytes;
  const { imports, exports } = evaluateComponent(binary);
  const b = new WitBuilder();
  const pkg = b.package({ namespace: "root", name: "component", version: null });
  const world = b.newWorld("root", pkg);
  b.fillWorld(world, imports, "imports", binary.range.offset);
  b.fillWorld(world, exports, "exports", binary.range.offset);
  const others: ComponentWorld["others"] = [];
  for (const [direction, items] of [
    ["import", imports],
    ["export", exports],
  ] as const) {
    for (const [name, item] of items) {
      if (item.sort === "component") others.push({ direction, name, sort: "component" });
      else if (item.sort === "other") others.push({ direction, name, sort: item.what });
    }
  }
  return { resolve: b.resolve, package: pkg, world, others };
}

/** Options of {@link decodeWitPackage}. */
export interface DecodeWitPackageOptions {
  /**
   * Decode into this `Resolve` (e.g. one `loadWit` is building from a `deps/` folder): packages it
   * already has are reused and the interfaces merged by name. The package itself must be new.
   */
  into?: Resolve;
}

/** Decodes a binary WIT package into a `Resolve` holding it and the packages it refers to. */
export function decodeWitPackage(bytes: Uint8Array | ComponentBinary, opts: DecodeWitPackageOptions = {}): WitPackage {
  const binary = bytes instanceof Uint8Array ? parseComponent(bytes) : bytes;
  const at = binary.range.offset;
  if (!isWitPackage(binary)) throw new ComponentError("BAD_WIT", "not a WIT package", at);
  const { exports } = evaluateComponent(binary);
  const b = new WitBuilder(opts.into);
  const existing = new Set(b.resolve.packageNames.values());
  let root: PackageId | null = null;
  for (const [, item] of exports) {
    const ct = item.sort === "type" ? unwrap(item.type) : null;
    if (ct === null || ct.t !== "component" || ct.exports.size !== 1) {
      throw new ComponentError("BAD_WIT", "a WIT package export must be a component type with one export", at);
    }
    const [qname, inner] = [...ct.exports][0];
    const parsed = parseInterfaceName(qname);
    if (parsed === null) throw new ComponentError("BAD_WIT", `"${qname}" is not a qualified name`, at);
    const pkg = b.package(parsed.pkg);
    if (root !== null && root !== pkg) throw new ComponentError("BAD_WIT", "a WIT package holds one package", at);
    if (existing.has(pkg)) {
      throw new ComponentError("BAD_WIT", `package ${packageNameToString(parsed.pkg)} is already present`, at);
    }
    root = pkg;
    importInterfaces(b, ct.imports, at);
    if (inner.sort === "instance") {
      b.fillInterface(b.namedInterface(qname, at), inner.exports, at);
    } else if (inner.sort === "component" && inner.component.kind === "type") {
      const world = b.newWorld(parsed.iface, pkg);
      b.fillWorld(world, inner.component.imports, "imports", at);
      b.fillWorld(world, inner.component.exports, "exports", at);
    } else {
      throw new ComponentError("BAD_WIT", `"${qname}" is neither an interface nor a world`, at);
    }
  }
  if (root === null) throw new ComponentError("BAD_WIT", "empty WIT package", at);
  for (const s of binary.sections) {
    if (s.kind === "custom" && s.name === PACKAGE_DOCS_SECTION) {
      const data = binary.bytes.subarray(s.data.offset, s.data.offset + s.data.length);
      applyPackageDocs(b.resolve, root, data, s.data.offset);
    }
  }
  return { resolve: b.resolve, package: root };
}

function importInterfaces(b: WitBuilder, imports: Map<string, SItem>, at: number): void {
  for (const [name, item] of imports) {
    if (item.sort === "instance" && parseInterfaceName(name) !== null) {
      b.fillInterface(b.namedInterface(name, at), item.exports, at);
    }
  }
}

function unwrap(t: import("./values.js").SType) {
  let u = t;
  while (u.t === "named") u = u.target;
  return u;
}

/**
 * A binary WIT package as WIT text, for `loadWit`'s `binaryPackage` option: `main` is the package's
 * own text, `foreign` the texts of the packages it uses (their definitions travel in the binary).
 */
export function witPackageSources(bytes: Uint8Array): { main: string; foreign: string[] } {
  const { resolve, package: id } = decodeWitPackage(bytes);
  const foreign: string[] = [];
  for (let other = 0; other < resolve.packages.length; other++) {
    if (other !== id) foreign.push(printWit(resolve, other));
  }
  return { main: printWit(resolve, id), foreign };
}
