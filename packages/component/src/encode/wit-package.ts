// Encodes a WIT package as a component binary (the format of `wasm-tools component wit --wasm`):
// each interface and world becomes a component type exported under its plain name; inside it,
// the interface's instance type (or the world's component type), with the interfaces it uses
// imported first and their types reached through aliases.
import {
  dealias,
  type InterfaceId,
  interfaceQualifiedName,
  type PackageId,
  packageNameToString,
  type Resolve,
  type Type,
  type TypeDefKind,
  type TypeId,
  type WitFunction,
  type WorldId,
  type WorldItem,
  worldKeyName,
} from "@wasm-compose/wit";
import { ComponentError } from "../errors.js";
import { NOT_STRONGLY_UNIQUE, StrongNames } from "../names.js";
import type { Alias, ExternDesc, ValType } from "../reader/model.js";
import { ComponentBuilder } from "../writer/builder.js";
import type { NameInput, TypeDeclInput, TypeDefInput } from "../writer/encode.js";
import { encodePackageDocs, PACKAGE_DOCS_SECTION } from "./package-docs.js";

type Owner = { tag: "interface"; id: InterfaceId } | { tag: "world"; id: WorldId } | null;

/** Where a scope's definitions go: a type body's declaration list, or a component being built. */
interface DeclSink {
  /** Defines a type; returns its index. */
  type(t: TypeDefInput): number;
  /** Adds an alias (of a type); returns its index. */
  alias(a: Alias): number;
  /** Adds an import or export declaration; returns the index it adds to its sort's space. */
  decl(kind: "import" | "export", name: NameInput, desc: ExternDesc): number;
}

/** Collects the declarations of a component or instance type, counting its index spaces. */
class DeclList implements DeclSink {
  readonly decls: TypeDeclInput[] = [];
  private types = 0;
  private instances = 0;

  type(t: TypeDefInput): number {
    this.decls.push({ kind: "type", type: t });
    return this.types++;
  }

  alias(a: Alias): number {
    this.decls.push({ kind: "alias", alias: a });
    return a.sort === "instance" ? this.instances++ : this.types++;
  }

  decl(kind: "import" | "export", name: NameInput, desc: ExternDesc): number {
    this.decls.push({ kind, name, desc });
    if (desc.kind === "type") return this.types++;
    if (desc.kind === "instance") return this.instances++;
    return -1;
  }
}

/** Writes definitions straight into a component (types, imports and aliases at its top level). */
class BuilderSink implements DeclSink {
  constructor(private readonly b: ComponentBuilder) {}
  type(t: TypeDefInput): number {
    return t.kind === "defined" || t.kind === "func" ? this.b.type(t) : this.b.defineType(t);
  }
  alias(a: Alias): number {
    return this.b.alias(a);
  }
  decl(kind: "import" | "export", name: NameInput, desc: ExternDesc): number {
    if (kind === "export") throw new ComponentError("BAD_WIT", "a component's exports need an item; use the builder");
    return this.b.import(name, desc);
  }
}

/** One component or instance type body (or a component) being written, with its own index spaces. */
class TypeScope {
  private readonly local = new Map<TypeId, number>();
  private readonly anon = new Map<string, number>();
  private readonly instances = new Map<InterfaceId, number>();
  /** Import and export names so far, by their lowercase form (a component type may not hold two that differ only in case). */
  private readonly importNames = new StrongNames();
  private readonly exportNames = new StrongNames();

  constructor(
    private readonly enc: WitEncoder,
    readonly parent: TypeScope | null,
    readonly kind: "component" | "instance",
    readonly owner: Owner,
    readonly sink: DeclSink = new DeclList(),
  ) {}

  /** The declarations written so far (for scopes that collect a type body). */
  get decls(): TypeDeclInput[] {
    if (!(this.sink instanceof DeclList)) throw new Error("this scope writes into a component");
    return this.sink.decls;
  }

  private owns(id: TypeId): boolean {
    const o = this.enc.resolve.types[id].owner;
    return this.owner !== null && o.tag === this.owner.tag && o.id === this.owner.id;
  }

  defineType(t: TypeDefInput): number {
    return this.sink.type(t);
  }

  /** A structural type, memoised by its encoding. */
  structural(t: TypeDefInput): number {
    const key = JSON.stringify(t);
    let idx = this.anon.get(key);
    if (idx === undefined) this.anon.set(key, (idx = this.defineType(t)));
    return idx;
  }

  decl(kind: "import" | "export", name: NameInput, desc: ExternDesc): number {
    const plain = typeof name === "string" ? name : name.name;
    const before = (kind === "import" ? this.importNames : this.exportNames).claim(plain);
    if (before !== undefined) {
      const where = this.owner === null ? "" : ` in ${this.ownerName()}`;
      throw new ComponentError(
        "UNENCODABLE",
        `${kind}s "${before}" and "${plain}"${where} are ${NOT_STRONGLY_UNIQUE}; a component type cannot hold both`,
      );
    }
    return this.sink.decl(kind, name, desc);
  }

  private ownerName(): string {
    const o = this.owner;
    if (o === null) return "";
    if (o.tag === "world") return `world "${this.enc.resolve.worlds[o.id].name}"`;
    return `interface "${interfaceQualifiedName(this.enc.resolve, o.id) ?? this.enc.resolve.interfaces[o.id].name ?? o.id}"`;
  }

  /** Declares a named type owned by this scope's interface or world (`kind` is import or export). */
  named(id: TypeId, kind: "import" | "export"): void {
    const def = this.enc.resolve.types[id];
    if (def.name === null) throw new ComponentError("BAD_WIT", "cannot declare an anonymous type");
    let idx: number;
    if (def.kind.tag === "resource") {
      idx = this.decl(kind, def.name, { kind: "type", bound: "sub-resource" });
    } else {
      const inner = def.kind.tag === "type" ? this.ref(def.kind.type) : null;
      const eq =
        inner === null
          ? this.defineType(this.enc.defined(this, def.kind, def.name))
          : typeof inner === "number"
            ? inner
            : this.structural({ kind: "defined", type: { kind: "prim", prim: inner.prim } });
      idx = this.decl(kind, def.name, { kind: "type", bound: { eq } });
    }
    this.local.set(id, idx);
  }

  /** The index of a type in this scope, defining or aliasing it as needed. */
  index(id: TypeId): number {
    const known = this.local.get(id);
    if (known !== undefined) return known;
    const def = this.enc.resolve.types[id];
    let idx: number;
    if (def.name === null || def.owner.tag === "none") {
      if (def.kind.tag === "type") {
        const v = this.ref(def.kind.type);
        idx = typeof v === "number" ? v : this.structural({ kind: "defined", type: { kind: "prim", prim: v.prim } });
      } else idx = this.structural(this.enc.defined(this, def.kind));
    } else if (this.owns(id)) {
      throw new ComponentError("BAD_WIT", `type "${def.name}" is used before it is declared`);
    } else if (this.kind === "instance" || def.owner.tag === "world") {
      if (this.parent === null) throw new ComponentError("BAD_WIT", `type "${def.name}" is out of scope`);
      const outer = this.parent.index(id);
      idx = this.sink.alias({ kind: "outer", sort: "type", count: 1, index: outer });
    } else {
      const inst = this.importInterface(def.owner.id);
      idx = this.sink.alias({ kind: "export", sort: "type", instance: inst, name: def.name });
    }
    this.local.set(id, idx);
    return idx;
  }

  /** The type itself: a resource is the resource type. */
  ref(t: Type): ValType {
    return typeof t === "number" ? this.index(t) : { prim: t };
  }

  /** A value of the type: a resource (or an alias of one) is an owned handle to it. */
  valType(t: Type): ValType {
    if (typeof t !== "number") return { prim: t };
    if (this.enc.isResource(t)) return this.structural({ kind: "defined", type: { kind: "own", type: this.index(t) } });
    return this.index(t);
  }

  /** Imports an interface (with everything it declares) into this component scope, once. */
  importInterface(id: InterfaceId): number {
    const known = this.instances.get(id);
    if (known !== undefined) return known;
    const type = this.enc.instanceType(this, id);
    const idx = this.decl("import", this.enc.interfaceName(id), { kind: "instance", type });
    this.instances.set(id, idx);
    return idx;
  }

  /** Exports an interface from this component scope. */
  exportInterface(id: InterfaceId, name: string): void {
    const type = this.enc.instanceType(this, id);
    this.instances.set(id, this.decl("export", name, { kind: "instance", type }));
  }

  func(f: WitFunction): number {
    caseDuplicates(
      f.params.map((p) => p.name),
      `function "${f.name}"`,
      "parameters",
    );
    return this.structural({
      kind: "func",
      async: f.kind.tag.startsWith("async"),
      params: f.params.map((p) => ({ name: p.name, type: this.valType(p.type) })),
      result: f.result === null ? null : this.valType(f.result),
    });
  }
}

/**
 * Throws when two names are the same but for case and hyphens. WIT source allows that (wit-parser
 * accepts it), but the component binary format does not.
 */
function caseDuplicates(names: readonly string[], subject: string, parts: string): void {
  if (names.length < 2) return;
  const seen = new StrongNames();
  for (const n of names) {
    const before = seen.claim(n);
    if (before !== undefined) {
      throw new ComponentError(
        "UNENCODABLE",
        before === n
          ? `${subject} has two ${parts} named "${n}"; the component binary format needs distinct names`
          : `${subject} has ${parts} "${before}" and "${n}", which differ only in case or hyphens; the component binary format needs names that differ in more than that`,
      );
    }
  }
}

/**
 * Throws unless the package's namespace and name are lowercase: WIT allows `example:HTTP`, but a
 * component's import and export names do not.
 */
function lowercasePackage(resolve: Resolve, id: PackageId): void {
  const { namespace, name } = resolve.packages[id]!.name;
  if (/[A-Z]/.test(namespace) || /[A-Z]/.test(name)) {
    throw new ComponentError(
      "UNENCODABLE",
      `package ${namespace}:${name} has uppercase letters; the names of a component's imports and exports need a lowercase namespace and package name`,
    );
  }
}

/** Writes interfaces and worlds of one `Resolve` as component types. */
export class WitEncoder {
  constructor(readonly resolve: Resolve) {}

  isResource(id: TypeId): boolean {
    const t = dealias(this.resolve, id);
    return typeof t === "number" && this.resolve.types[t].kind.tag === "resource";
  }

  /** A plain import or export name, saying which interface it implements when that one has a name. */
  plainName(name: string, id: InterfaceId): NameInput {
    return this.resolve.interfaces[id].name === null ? name : { name, implements: this.interfaceName(id) };
  }

  interfaceName(id: InterfaceId): string {
    const pkg = this.resolve.interfaces[id].package;
    if (pkg !== null) lowercasePackage(this.resolve, pkg);
    const n = interfaceQualifiedName(this.resolve, id);
    if (n === null) throw new ComponentError("BAD_WIT", "an inline interface has no qualified name");
    return n;
  }

  /** Defines the instance type of an interface in `parent`; returns its type index there. */
  instanceType(parent: TypeScope, id: InterfaceId): number {
    const iface = this.resolve.interfaces[id];
    const s = new TypeScope(this, parent, "instance", { tag: "interface", id });
    for (const tid of iface.types.values()) s.named(tid, "export");
    for (const [name, f] of iface.functions) s.decl("export", name, { kind: "func", type: s.func(f) });
    return parent.defineType({ kind: "instance", decls: s.decls });
  }

  /** The structure of a defined type (named `name`), its references resolved in `s`. */
  defined(s: TypeScope, k: TypeDefKind, name: string | null = null): TypeDefInput {
    const empty =
      k.tag === "record"
        ? k.fields.length === 0
        : k.tag === "flags"
          ? k.flags.length === 0
          : k.tag === "tuple" && k.types.length === 0;
    if (empty) {
      // WIT source allows these (wit-parser accepts them), but a component type may not hold them.
      const what = k.tag === "tuple" ? "tuple<>" : name === null ? `a ${k.tag}` : `${k.tag} "${name}"`;
      const parts = k.tag === "record" ? "fields" : k.tag === "flags" ? "flags" : "types";
      throw new ComponentError(
        "UNENCODABLE",
        `${what} has no ${parts}; the component binary format needs at least one, so it cannot be encoded`,
      );
    }
    if (k.tag === "flags" && k.flags.length > 32) {
      // WIT source allows more (wit-parser accepts them); the component model's flags hold at most 32.
      throw new ComponentError(
        "UNENCODABLE",
        `${name === null ? "flags" : `flags "${name}"`} has ${k.flags.length} flags; a component type holds at most 32, so it cannot be encoded`,
      );
    }
    if (k.tag === "record" || k.tag === "variant" || k.tag === "enum" || k.tag === "flags") {
      const names = k.tag === "record" ? k.fields : k.tag === "flags" ? k.flags : k.cases;
      const what = name === null ? `a ${k.tag}` : `${k.tag} "${name}"`;
      const parts = k.tag === "record" ? "fields" : k.tag === "flags" ? "flags" : "cases";
      caseDuplicates(
        names.map((n) => n.name),
        what,
        parts,
      );
    }
    const v = (t: Type) => s.valType(t);
    const o = (t: Type | null) => (t === null ? null : s.valType(t));
    const d = (type: import("../reader/model.js").DefinedType): TypeDefInput => ({ kind: "defined", type });
    switch (k.tag) {
      case "record":
        return d({ kind: "record", fields: k.fields.map((f) => ({ name: f.name, type: v(f.type) })) });
      case "variant":
        return d({ kind: "variant", cases: k.cases.map((c) => ({ name: c.name, type: o(c.type), refines: null })) });
      case "enum":
        return d({ kind: "enum", names: k.cases.map((c) => c.name) });
      case "flags":
        return d({ kind: "flags", names: k.flags.map((f) => f.name) });
      case "tuple":
        return d({ kind: "tuple", types: k.types.map(v) });
      case "list":
        return d({ kind: "list", element: v(k.type) });
      case "fixed-size-list":
        return d({ kind: "fixed-size-list", element: v(k.type), size: k.size });
      case "map":
        return d({ kind: "map", key: v(k.key), value: v(k.value) });
      case "option":
        return d({ kind: "option", type: v(k.type) });
      case "result":
        return d({ kind: "result", ok: o(k.ok), err: o(k.err) });
      case "handle":
        return d({ kind: k.handle, type: s.index(k.resource) });
      case "future":
      case "stream":
        return d({ kind: k.tag, type: o(k.type) });
      default:
        throw new ComponentError("BAD_WIT", `cannot encode a ${k.tag} type here`);
    }
  }

  /** The component type of a world, defined in `parent`; returns its type index there. */
  worldType(parent: TypeScope, id: WorldId): number {
    const world = this.resolve.worlds[id];
    const s = new TypeScope(this, parent, "component", { tag: "world", id });
    const items = (which: "import" | "export", m: Map<string | number, WorldItem>) => {
      for (const [key, item] of m) {
        const name = worldKeyName(this.resolve, key);
        if (item.tag === "interface") {
          if (typeof key === "number") {
            if (which === "import") s.importInterface(item.id);
            else s.exportInterface(item.id, name);
          } else {
            const type = this.instanceType(s, item.id);
            s.decl(which, this.plainName(name, item.id), { kind: "instance", type });
          }
        } else if (item.tag === "type") {
          s.named(item.id, which);
        } else {
          s.decl(which, name, { kind: "func", type: s.func(item.func) });
        }
      }
    };
    items("import", world.imports);
    items("export", world.exports);
    return parent.defineType({ kind: "component", decls: s.decls });
  }
}

/** Encodes package `packageId` of `resolve` as a binary WIT package. */
export function encodeWitPackage(resolve: Resolve, packageId: PackageId): Uint8Array {
  const pkg = resolve.packages[packageId];
  if (pkg === undefined) throw new ComponentError("BAD_WIT", `no package ${packageId}`);
  lowercasePackage(resolve, packageId);
  // Interfaces and worlds are the package component's exports, by their plain names.
  const items = [...pkg.interfaces.keys(), ...pkg.worlds.keys()];
  caseDuplicates(items, `package ${packageNameToString(pkg.name)}`, "interfaces or worlds");
  const enc = new WitEncoder(resolve);
  const b = new ComponentBuilder();
  const prefix = packageNameToString({ ...pkg.name, version: null });
  const version = pkg.name.version === null ? "" : `@${pkg.name.version}`;
  for (const [name, id] of pkg.interfaces) {
    const outer = new TypeScope(enc, null, "component", null);
    outer.exportInterface(id, `${prefix}/${name}${version}`);
    const t = b.defineType({ kind: "component", decls: outer.decls });
    b.export(name, { sort: "type", index: t });
  }
  for (const [name, id] of pkg.worlds) {
    const outer = new TypeScope(enc, null, "component", null);
    const inner = enc.worldType(outer, id);
    outer.decl("export", `${prefix}/${name}${version}`, { kind: "component", type: inner });
    const t = b.defineType({ kind: "component", decls: outer.decls });
    b.export(name, { sort: "type", index: t });
  }
  b.custom(PACKAGE_DOCS_SECTION, encodePackageDocs(resolve, packageId));
  return b.finish();
}

/** An item a {@link ComponentWitWriter} imported: its sort and index in the component. */
export interface WrittenItem {
  sort: "instance" | "func" | "type";
  index: number;
}

/**
 * Writes WIT-described items into a component being built: interface imports (with the
 * interfaces their types come from imported first, once each), world imports, and the types of
 * functions and instances for lifting and export ascriptions, with types shared by structure.
 */
export class ComponentWitWriter {
  private readonly scope: TypeScope;
  private readonly enc: WitEncoder;

  /** `world`: the world whose own types (`use` and type items) this component may declare. */
  constructor(
    readonly builder: ComponentBuilder,
    readonly resolve: Resolve,
    opts: { world?: WorldId } = {},
  ) {
    this.enc = new WitEncoder(resolve);
    const owner: Owner = opts.world === undefined ? null : { tag: "world", id: opts.world };
    this.scope = new TypeScope(this.enc, null, "component", owner, new BuilderSink(builder));
  }

  /** Imports an interface by its qualified name, once; returns the instance index. */
  importInterface(id: InterfaceId): number {
    return this.scope.importInterface(id);
  }

  /** Imports everything a world imports; returns the items by import name. */
  importWorld(id: WorldId): Map<string, WrittenItem> {
    const out = new Map<string, WrittenItem>();
    for (const [key, item] of this.resolve.worlds[id].imports) {
      const name = worldKeyName(this.resolve, key);
      if (item.tag === "interface") {
        const index =
          typeof key === "number"
            ? this.scope.importInterface(item.id)
            : this.scope.decl("import", this.enc.plainName(name, item.id), {
                kind: "instance",
                type: this.enc.instanceType(this.scope, item.id),
              });
        out.set(name, { sort: "instance", index });
      } else if (item.tag === "type") {
        this.scope.named(item.id, "import");
        out.set(name, { sort: "type", index: this.scope.index(item.id) });
      } else {
        const index = this.builder.import(name, { kind: "func", type: this.funcType(item.func) });
        out.set(name, { sort: "func", index });
      }
    }
    return out;
  }

  /** A value type in this component (types from interfaces are aliased from their imports). */
  valType(t: Type): ValType {
    return this.scope.valType(t);
  }

  /** The component function type of a WIT function. */
  funcType(f: WitFunction): number {
    return this.scope.func(f);
  }

  /** The instance type of an interface, for ascribing an exported instance. */
  instanceType(id: InterfaceId): number {
    return this.enc.instanceType(this.scope, id);
  }

  /** The component type of a world. */
  componentType(id: WorldId): number {
    return this.enc.worldType(this.scope, id);
  }
}
