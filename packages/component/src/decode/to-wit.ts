// Turns evaluated component items into the WIT model: interfaces by qualified name, named types
// per interface or world, anonymous types for the rest, functions with their resource kinds.
import {
  createResolve,
  type FunctionKind,
  type InterfaceId,
  type PackageId,
  type PackageName,
  packageNameToString,
  type Resolve,
  type Type,
  type TypeDefKind,
  type TypeId,
  type TypeOwner,
  UNKNOWN_STABILITY,
  type WitFunction,
  type WorldId,
  type WorldItem,
  type WorldKey,
} from "@wasm-compose/wit";
import { ComponentError } from "../errors.js";
import type { SDef, SFunc, SItem, SType } from "./values.js";

/** How deeply anonymous types may nest (`list<list<...>>`) before decoding gives up. */
const MAX_TYPE_DEPTH = 500;

/** `ns:pkg/iface@1.0.0` split into its package and interface names; `null` if not of that form. */
export function parseInterfaceName(name: string): { pkg: PackageName; iface: string } | null {
  const m = /^([^:/@]+):([^:/@]+)\/([^@]+)(?:@(.+))?$/.exec(name);
  if (m === null) return null;
  return { pkg: { namespace: m[1], name: m[2], version: m[4] ?? null }, iface: m[3] };
}

/** Builds a `Resolve` from semantic items, merging interfaces that appear more than once by name. */
export class WitBuilder {
  private readonly ids = new Map<SType, TypeId>();
  private depth = 0;

  /** Builds into `resolve`: packages already there are reused, their interfaces merged by name. */
  constructor(readonly resolve: Resolve = createResolve()) {}

  package(name: PackageName): PackageId {
    const key = packageNameToString(name);
    let id = this.resolve.packageNames.get(key);
    if (id === undefined) {
      id = this.resolve.packages.length;
      this.resolve.packages.push({ name, docs: null, interfaces: new Map(), worlds: new Map() });
      this.resolve.packageNames.set(key, id);
    }
    return id;
  }

  /** The interface with a qualified name, created empty the first time. */
  namedInterface(qualified: string, offset: number): InterfaceId {
    const parsed = parseInterfaceName(qualified);
    if (parsed === null) throw new ComponentError("BAD_WIT", `"${qualified}" is not an interface name`, offset);
    const pkg = this.package(parsed.pkg);
    const existing = this.resolve.packages[pkg].interfaces.get(parsed.iface);
    if (existing !== undefined) return existing;
    const id = this.newInterface(parsed.iface, pkg);
    this.resolve.packages[pkg].interfaces.set(parsed.iface, id);
    return id;
  }

  newInterface(name: string | null, pkg: PackageId | null): InterfaceId {
    const id = this.resolve.interfaces.length;
    this.resolve.interfaces.push({
      name,
      types: new Map(),
      functions: new Map(),
      docs: null,
      stability: UNKNOWN_STABILITY,
      package: pkg,
    });
    return id;
  }

  newWorld(name: string, pkg: PackageId): WorldId {
    const id = this.resolve.worlds.length;
    this.resolve.worlds.push({
      name,
      imports: new Map(),
      exports: new Map(),
      package: pkg,
      docs: null,
      stability: UNKNOWN_STABILITY,
      includes: [],
    });
    this.resolve.packages[pkg].worlds.set(name, id);
    return id;
  }

  /** Adds an instance's exports (types, then functions, in order) to an interface. */
  fillInterface(id: InterfaceId, exports: Map<string, SItem>, offset: number): void {
    const iface = this.resolve.interfaces[id];
    for (const [name, item] of exports) {
      if (item.sort === "type") {
        const existing = iface.types.get(name);
        if (existing !== undefined) this.mapTo(item.type, existing);
        else iface.types.set(name, this.defineNamed(name, item.type, { tag: "interface", id }, offset));
      } else if (item.sort === "func") {
        if (!iface.functions.has(name))
          iface.functions.set(
            name,
            this.func(name, item.func, (r) => iface.types.get(r), offset),
          );
      } else {
        // Dropping it would print an interface without it; wit-component refuses the same.
        const what = item.sort === "other" ? item.what : item.sort;
        throw new ComponentError(
          "BAD_WIT",
          `instance export "${name}" is ${/^[aeiou]/.test(what) ? "an" : "a"} ${what}, which no WIT interface can hold (only types and functions)`,
          offset,
        );
      }
    }
  }

  /** Adds imports or exports to a world. */
  fillWorld(id: WorldId, items: Map<string, SItem>, which: "imports" | "exports", offset: number): void {
    const world = this.resolve.worlds[id];
    const target = world[which];
    const worldTypes = new Map<string, TypeId>();
    for (const [k, v] of world.imports) if (typeof k === "string" && v.tag === "type") worldTypes.set(k, v.id);
    for (const [name, item] of items) {
      let key: WorldKey = name;
      let wi: WorldItem;
      if (item.sort === "instance") {
        let iface: InterfaceId;
        if (parseInterfaceName(name) !== null) {
          iface = this.namedInterface(name, offset);
          key = iface;
        } else if (item.implements !== undefined && parseInterfaceName(item.implements) !== null) {
          // `import x: ns:pkg/i;`: the plain name stays the key, the interface is the named one.
          iface = this.namedInterface(item.implements, offset);
        } else {
          iface = this.newInterface(null, world.package);
        }
        this.fillInterface(iface, item.exports, offset);
        wi = { tag: "interface", id: iface, stability: UNKNOWN_STABILITY };
      } else if (item.sort === "type") {
        const tid = this.defineNamed(name, item.type, { tag: "world", id }, offset);
        worldTypes.set(name, tid);
        wi = { tag: "type", id: tid };
      } else if (item.sort === "func") {
        wi = { tag: "function", func: this.func(name, item.func, (r) => worldTypes.get(r), offset) };
      } else {
        continue;
      }
      target.set(key, wi);
    }
  }

  private mapTo(s: SType, id: TypeId): void {
    if (!this.ids.has(s)) this.ids.set(s, id);
    // The structure behind a name is the same type: later references through it resolve here too.
    let u = s;
    while (u.t === "named" && !this.ids.has(u.target) && u.target.t !== "prim") {
      u = u.target;
      this.ids.set(u, id);
    }
  }

  /** Defines a named type; a name for a type known elsewhere becomes `type name = other`. */
  defineNamed(name: string, s: SType, owner: TypeOwner, offset: number): TypeId {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    let u = s;
    while (u.t === "named" && !this.ids.has(u)) u = u.target;
    let kind: TypeDefKind;
    const target = this.ids.get(u);
    if (target !== undefined) kind = { tag: "type", type: target };
    else if (u.t === "resource") kind = { tag: "resource" };
    else if (u.t === "prim") kind = { tag: "type", type: u.prim };
    else if (u.t === "def") kind = this.kind(u.def, offset);
    else throw new ComponentError("BAD_WIT", `type "${name}" is not a value type`, offset);
    const id = this.resolve.types.length;
    this.resolve.types.push({ name, kind, owner, docs: null, stability: UNKNOWN_STABILITY });
    this.mapTo(s, id);
    if (target === undefined && u !== s && u.t !== "prim") this.ids.set(u, id);
    return id;
  }

  /** The WIT type a reference to `s` stands for; anonymous types are created on first use. */
  type(s0: SType, offset: number): Type {
    let s = s0;
    for (;;) {
      if (s.t === "prim") return s.prim;
      const known = this.ids.get(s);
      if (known !== undefined) return known;
      if (s.t !== "named") break;
      s = s.target;
    }
    // Anonymous types nest through recursion; hostile inputs could nest them without end.
    if (++this.depth > MAX_TYPE_DEPTH) {
      throw new ComponentError("UNSUPPORTED", `types nested more than ${MAX_TYPE_DEPTH} deep`, offset);
    }
    try {
      return this.anonymous(s, offset);
    } finally {
      this.depth--;
    }
  }

  private anonymous(s: SType, offset: number): Type {
    // The model writes `own<r>` as the resource type itself (as WIT source does: `-> r`).
    if (s.t === "def" && s.def.kind === "own") {
      const r = this.type(s.def.type, offset);
      if (typeof r !== "number") throw new ComponentError("BAD_WIT", "own of a non-resource type", offset);
      this.ids.set(s, r);
      return r;
    }
    let kind: TypeDefKind;
    let name: string | null = null;
    if (s.t === "def") kind = this.kind(s.def, offset);
    else if (s.t === "resource") {
      kind = { tag: "resource" };
      name = s.name ?? "resource";
    } else throw new ComponentError("BAD_WIT", `a ${s.t} type used as a value type`, offset);
    const id = this.resolve.types.length;
    this.resolve.types.push({ name, kind, owner: { tag: "none" }, docs: null, stability: UNKNOWN_STABILITY });
    this.ids.set(s, id);
    return id;
  }

  private kind(d: SDef, offset: number): TypeDefKind {
    const t = (x: SType) => this.type(x, offset);
    const o = (x: SType | null) => (x === null ? null : this.type(x, offset));
    switch (d.kind) {
      case "record":
        return { tag: "record", fields: d.fields.map((f) => ({ name: f.name, type: t(f.type), docs: null })) };
      case "variant":
        return { tag: "variant", cases: d.cases.map((c) => ({ name: c.name, type: o(c.type), docs: null })) };
      case "enum":
        return { tag: "enum", cases: d.names.map((name) => ({ name, docs: null })) };
      case "flags":
        return { tag: "flags", flags: d.names.map((name) => ({ name, docs: null })) };
      case "list":
        return { tag: "list", type: t(d.element) };
      case "fixed-size-list":
        return { tag: "fixed-size-list", type: t(d.element), size: d.size };
      case "map":
        return { tag: "map", key: t(d.key), value: t(d.value) };
      case "tuple":
        return { tag: "tuple", types: d.types.map(t) };
      case "option":
        return { tag: "option", type: t(d.type) };
      case "result":
        return { tag: "result", ok: o(d.ok), err: o(d.err) };
      case "own":
      case "borrow": {
        const r = t(d.type);
        if (typeof r !== "number") throw new ComponentError("BAD_WIT", `${d.kind} of a non-resource type`, offset);
        return { tag: "handle", handle: d.kind, resource: r };
      }
      case "future":
      case "stream":
        return { tag: d.kind, type: o(d.type) };
    }
  }

  private func(name: string, f: SFunc, resourceNamed: (r: string) => TypeId | undefined, offset: number): WitFunction {
    const kind = functionKind(name, f.async, resourceNamed, offset);
    return {
      name,
      kind,
      params: f.params.map((p) => ({ name: p.name, type: this.type(p.type, offset) })),
      result: f.result === null ? null : this.type(f.result, offset),
      docs: null,
      stability: UNKNOWN_STABILITY,
    };
  }
}

const PREFIXES: [string, FunctionKind["tag"]][] = [
  ["[constructor]", "constructor"],
  ["[method]", "method"],
  ["[static]", "static"],
  ["[async method]", "async-method"],
  ["[async static]", "async-static"],
];

function functionKind(
  name: string,
  async: boolean,
  resourceNamed: (r: string) => TypeId | undefined,
  offset: number,
): FunctionKind {
  for (const [prefix, tag] of PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const r = tag === "constructor" ? rest : rest.slice(0, rest.indexOf("."));
    const resource = resourceNamed(r);
    if (resource === undefined)
      throw new ComponentError("BAD_WIT", `function "${name}" names no known resource`, offset);
    if (async && tag === "method") return { tag: "async-method", resource };
    if (async && tag === "static") return { tag: "async-static", resource };
    return { tag, resource } as FunctionKind;
  }
  return { tag: async || name.startsWith("[async]") ? "async-freestanding" : "freestanding" };
}
