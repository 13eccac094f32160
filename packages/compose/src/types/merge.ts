// Copies interfaces and their types from several components' worlds into one Resolve, so the
// composition's open imports can be written once: interfaces of one name (after semver merging)
// become one interface holding the union of their items, and a type keeps one identity however
// many components `use` it.
import {
  createResolve,
  type InterfaceId,
  interfaceQualifiedName,
  type PackageId,
  type PackageName,
  type Resolve,
  type Type,
  type TypeDefKind,
  type TypeId,
  UNKNOWN_STABILITY,
  type WitFunction,
  type WorldId,
} from "@wasm-compose/wit";
import type { TypeMismatch } from "../errors.js";
import { parseInterfaceName } from "../names.js";
import { equalFunctions, equalTypes, type TypeSide } from "./subtype.js";

/** Raised when two sources declare one item of a merged interface differently. */
export class MergeConflict extends Error {
  constructor(
    readonly iface: string,
    readonly item: string,
    readonly mismatch: TypeMismatch,
  ) {
    super(`${[iface, item, ...mismatch.path].join(" > ")}: expected ${mismatch.expected}, found ${mismatch.found}`);
    this.name = "MergeConflict";
  }
}

/** Merges interfaces from source resolves into {@link target}. */
export class ResolveMerger {
  readonly target: Resolve = createResolve();
  private readonly types = new Map<Resolve, Map<TypeId, TypeId>>();
  private readonly ifaces = new Map<Resolve, Map<InterfaceId, InterfaceId>>();
  private readonly byName = new Map<string, InterfaceId>();

  /** `rename` maps a qualified interface name to the name it merges under (e.g. the highest compatible version). */
  constructor(private readonly rename: (qualified: string) => string = (n) => n) {}

  private typeMap(src: Resolve): Map<TypeId, TypeId> {
    let m = this.types.get(src);
    if (m === undefined) this.types.set(src, (m = new Map()));
    return m;
  }

  private ifaceMap(src: Resolve): Map<InterfaceId, InterfaceId> {
    let m = this.ifaces.get(src);
    if (m === undefined) this.ifaces.set(src, (m = new Map()));
    return m;
  }

  private packageFor(name: PackageName): PackageId {
    const key =
      name.version === null ? `${name.namespace}:${name.name}` : `${name.namespace}:${name.name}@${name.version}`;
    const known = this.target.packageNames.get(key);
    if (known !== undefined) return known;
    const id = this.target.packages.length as PackageId;
    this.target.packages.push({ name, docs: null, interfaces: new Map(), worlds: new Map() });
    this.target.packageNames.set(key, id);
    return id;
  }

  /** The target interface for a named source interface (created empty when new). */
  private namedInterface(qualified: string): InterfaceId {
    const merged = this.rename(qualified);
    const known = this.byName.get(merged);
    if (known !== undefined) return known;
    const n = parseInterfaceName(merged);
    if (n === null) throw new Error(`not an interface name: ${merged}`);
    const [namespace, ...rest] = n.package.split(":");
    const pkg = this.packageFor({ namespace, name: rest.join(":"), version: n.version });
    const id = this.newInterface(n.iface, pkg);
    this.target.packages[pkg].interfaces.set(n.iface, id);
    this.byName.set(merged, id);
    return id;
  }

  /** An inline interface, merged with others imported under the same kebab name. */
  private inlineInterface(kebabName: string | undefined): InterfaceId {
    if (kebabName === undefined) return this.newInterface(null, null);
    const key = `kebab:${kebabName}`;
    const known = this.byName.get(key);
    if (known !== undefined) return known;
    const id = this.newInterface(null, null);
    this.byName.set(key, id);
    return id;
  }

  private newInterface(name: string | null, pkg: PackageId | null): InterfaceId {
    const id = this.target.interfaces.length as InterfaceId;
    this.target.interfaces.push({
      name,
      types: new Map(),
      functions: new Map(),
      docs: null,
      stability: UNKNOWN_STABILITY,
      package: pkg,
    });
    return id;
  }

  /**
   * Copies a source interface (and, through its types, the interfaces it uses) into the target,
   * adding what the target's interface of that name lacks. Throws {@link MergeConflict} when an
   * item exists on both sides with different types.
   */
  interface(src: Resolve, id: InterfaceId, kebabName?: string): InterfaceId {
    const map = this.ifaceMap(src);
    const known = map.get(id);
    if (known !== undefined) return known;
    const from = src.interfaces[id];
    const qualified = interfaceQualifiedName(src, id);
    const tid = qualified === null ? this.inlineInterface(kebabName) : this.namedInterface(qualified);
    map.set(id, tid);
    const to = this.target.interfaces[tid];
    if (from.docs !== null && to.docs === null) to.docs = from.docs;
    const label = qualified ?? kebabName ?? "interface";
    // Names first (so types may refer to each other in any order), then their definitions.
    const fresh: [TypeId, TypeId][] = [];
    const existing: [TypeId, TypeId][] = [];
    const tmap = this.typeMap(src);
    for (const [name, stid] of from.types) {
      const have = to.types.get(name);
      if (have !== undefined) {
        tmap.set(stid, have);
        existing.push([stid, have]);
        continue;
      }
      const def = src.types[stid];
      const nid = this.target.types.length as TypeId;
      this.target.types.push({
        name,
        kind: { tag: "unknown" },
        owner: { tag: "interface", id: tid },
        docs: def.docs,
        stability: def.stability,
      });
      to.types.set(name, nid);
      tmap.set(stid, nid);
      fresh.push([stid, nid]);
    }
    for (const [stid, nid] of fresh) this.target.types[nid].kind = this.kind(src, src.types[stid].kind);
    const srcSide: TypeSide = { resolve: src, resourceKey: (r) => this.resourceKey(src, r) };
    const dstSide: TypeSide = { resolve: this.target, resourceKey: (r) => `${r}` };
    for (const [stid, nid] of existing) {
      const problem = equalTypes(dstSide, nid, srcSide, stid, true);
      if (problem !== null) throw new MergeConflict(label, `type ${src.types[stid].name}`, problem);
    }
    for (const [name, f] of from.functions) {
      const have = to.functions.get(name);
      if (have === undefined) to.functions.set(name, this.func(src, f));
      else {
        const problem = equalFunctions(dstSide, have, srcSide, f);
        if (problem !== null) throw new MergeConflict(label, `func ${name}`, problem);
      }
    }
    return tid;
  }

  /** The identity of a source resource in the target (the target type id it maps to). */
  private resourceKey(src: Resolve, r: TypeId): string {
    return `${this.type(src, r)}`;
  }

  /** Copies a type reference. */
  type(src: Resolve, t: Type): Type {
    if (typeof t === "string") return t;
    const tmap = this.typeMap(src);
    const known = tmap.get(t);
    if (known !== undefined) return known;
    const def = src.types[t];
    if (def.owner.tag === "interface" && def.name !== null) {
      this.interface(src, def.owner.id);
      const mapped = tmap.get(t);
      if (mapped !== undefined) return mapped;
    }
    // Anonymous (or world-owned) types are copied by structure.
    const nid = this.target.types.length as TypeId;
    this.target.types.push({
      name: def.name,
      kind: { tag: "unknown" },
      owner: { tag: "none" },
      docs: null,
      stability: def.stability,
    });
    tmap.set(t, nid);
    this.target.types[nid].kind = this.kind(src, def.kind);
    return nid;
  }

  private opt(src: Resolve, t: Type | null): Type | null {
    return t === null ? null : this.type(src, t);
  }

  private kind(src: Resolve, k: TypeDefKind): TypeDefKind {
    switch (k.tag) {
      case "record":
        return { tag: "record", fields: k.fields.map((f) => ({ ...f, type: this.type(src, f.type) })) };
      case "resource":
      case "flags":
      case "enum":
      case "unknown":
        return k;
      case "handle":
        return { tag: "handle", handle: k.handle, resource: this.type(src, k.resource) as TypeId };
      case "tuple":
        return { tag: "tuple", types: k.types.map((t) => this.type(src, t)) };
      case "variant":
        return { tag: "variant", cases: k.cases.map((c) => ({ ...c, type: this.opt(src, c.type) })) };
      case "option":
      case "list":
      case "type":
        return { tag: k.tag, type: this.type(src, k.type) } as TypeDefKind;
      case "fixed-size-list":
        return { tag: "fixed-size-list", type: this.type(src, k.type), size: k.size };
      case "result":
        return { tag: "result", ok: this.opt(src, k.ok), err: this.opt(src, k.err) };
      case "map":
        return { tag: "map", key: this.type(src, k.key), value: this.type(src, k.value) };
      case "future":
      case "stream":
        return { tag: k.tag, type: this.opt(src, k.type) };
    }
  }

  /** Copies a function. */
  func(src: Resolve, f: WitFunction): WitFunction {
    const kind = "resource" in f.kind ? { ...f.kind, resource: this.type(src, f.kind.resource) as TypeId } : f.kind;
    return {
      ...f,
      kind,
      params: f.params.map((p) => ({ name: p.name, type: this.type(src, p.type) })),
      result: this.opt(src, f.result),
    };
  }

  /** A new world in the target (in package `root:composed`), empty. */
  world(name: string): WorldId {
    const pkg = this.packageFor({ namespace: "root", name: "composed", version: null });
    const id = this.target.worlds.length as WorldId;
    this.target.worlds.push({
      name,
      imports: new Map(),
      exports: new Map(),
      package: pkg,
      docs: null,
      stability: UNKNOWN_STABILITY,
      includes: [],
    });
    this.target.packages[pkg].worlds.set(name, id);
    return id;
  }
}
