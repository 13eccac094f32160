// printWit: canonical WIT text for a package of a Resolve, which parses back to an equal model.
import { didYouMean, WitError } from "./errors.js";
import { KEYWORDS } from "./lexer.js";
import {
  type Docs,
  type InterfaceId,
  type PackageId,
  packageNameToString,
  type Resolve,
  type Stability,
  type Type,
  type TypeDef,
  type TypeId,
  type WitFunction,
  type WorldItem,
  type WorldKey,
} from "./model.js";
import { docsOf } from "./resolve.js";

/** Options for `printWit`. */
export interface PrintOptions {
  /** Also print every other package of the resolve as a nested `package x:y { }` block. */
  nestedDeps?: boolean;
  /** Print only this world of the package (after the package header). */
  world?: string;
}

/** The WIT spelling of a type reference: `u32`, `point`, `list<option<string>>`, `borrow<file>`. */
export function witType(resolve: Resolve, t: Type): string {
  return new Printer(resolve).ty(t);
}

/** Prints package `packageId` of `resolve` as WIT source. */
export function printWit(resolve: Resolve, packageId: PackageId, opts: PrintOptions = {}): string {
  const pkg = resolve.packages[packageId];
  if (pkg === undefined) throw new WitError("WIT_UNKNOWN", `no package with id ${packageId} in this Resolve`);
  const p = new Printer(resolve);
  if (opts.world !== undefined) {
    const id = pkg.worlds.get(opts.world);
    if (id === undefined) {
      const worlds = [...pkg.worlds.keys()];
      const hint = didYouMean(opts.world, worlds);
      throw new WitError(
        "WIT_UNKNOWN",
        `no world named \`${opts.world}\` in ${packageNameToString(pkg.name)}; its worlds: ${worlds.join(", ") || "none"}`,
        null,
        hint,
      );
    }
    p.worldOnly(packageId, opts.world, id);
    return p.out.join("");
  }
  p.package(packageId, false);
  if (opts.nestedDeps) {
    for (let id = 0; id < resolve.packages.length; id++) {
      if (id === packageId) continue;
      p.out.push("\n");
      p.package(id, true);
    }
  }
  return p.out.join("");
}

/** A WIT identifier, `%`-escaped when it is a keyword. */
export function witIdent(name: string): string {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

class Printer {
  readonly out: string[] = [];
  private indent = "";
  private curPackage: PackageId = 0;

  constructor(private readonly resolve: Resolve) {}

  /** The kind of the last item printed in each open body, for blank lines between groups. */
  private readonly spacing: (string | null)[] = [null];

  /** Starts an item: a blank line separates it from a previous item of another kind, or a multi-line one. */
  private gap(kind: string): void {
    const top = this.spacing.length - 1;
    const prev = this.spacing[top];
    if (prev !== null && (prev !== kind || kind === "block")) this.out.push("\n");
    this.spacing[top] = kind;
  }

  private enter(): void {
    this.spacing.push(null);
    this.indent += "  ";
  }

  private leave(saved: string): void {
    this.spacing.pop();
    this.indent = saved;
  }

  private line(s: string): void {
    this.out.push(s === "" ? "\n" : `${this.indent}${s}\n`);
  }

  /**
   * Doc comments that read back as `d`: `/// ` lines normally; the reader strips indentation common
   * to all lines, so docs whose every line is indented need `///` without a space, or a block.
   */
  private docs(d: Docs): void {
    if (d === null) return;
    const lines = d.split("\n");
    const spaced = lines.map((l) => (l.length ? `/// ${l}` : "///"));
    const candidates = [spaced, lines.map((l) => `///${l}`)];
    if (!d.includes("*/")) candidates.push([`/**${d}*/`]);
    const chosen = candidates.find((c) => docsOf(c) === d) ?? spaced;
    for (const c of chosen) this.line(c);
  }

  private stability(s: Stability): void {
    if (s.tag === "stable") {
      this.line(`@since(version = ${s.since})`);
      if (s.deprecated !== null) this.line(`@deprecated(version = ${s.deprecated})`);
    } else if (s.tag === "unstable") {
      this.line(`@unstable(feature = ${witIdent(s.feature)})`);
      if (s.deprecated !== null) this.line(`@deprecated(version = ${s.deprecated})`);
    }
  }

  package(id: PackageId, nested: boolean): void {
    const r = this.resolve;
    const pkg = r.packages[id];
    this.curPackage = id;
    this.docs(pkg.docs);
    const n = pkg.name;
    const name = `${witIdent(n.namespace)}:${witIdent(n.name)}${n.version ? `@${n.version}` : ""}`;
    if (nested) {
      this.line(`package ${name} {`);
      this.indent = "  ";
    } else {
      this.line(`package ${name};`);
    }
    let first = !nested;
    for (const [iname, iid] of pkg.interfaces) {
      if (first) this.line("");
      first = true;
      this.interface(iname, iid);
    }
    for (const [wname, wid] of pkg.worlds) {
      if (first) this.line("");
      first = true;
      this.world(wname, wid);
    }
    if (nested) {
      this.indent = "";
      this.line("}");
    }
  }

  worldOnly(pkg: PackageId, name: string, id: number): void {
    this.curPackage = pkg;
    this.line(`package ${packageNameToString(this.resolve.packages[pkg].name)};`);
    this.line("");
    this.world(name, id);
  }

  private interface(name: string, id: InterfaceId): void {
    const iface = this.resolve.interfaces[id];
    this.docs(iface.docs);
    this.stability(iface.stability);
    if (iface.types.size === 0 && iface.functions.size === 0) {
      this.line(`interface ${witIdent(name)} {}`);
      return;
    }
    this.line(`interface ${witIdent(name)} {`);
    this.interfaceBody(id);
    this.line("}");
  }

  private interfaceBody(id: InterfaceId): void {
    const iface = this.resolve.interfaces[id];
    const saved = this.indent;
    this.enter();
    const freestanding = [...iface.functions.values()].filter((f) => !("resource" in f.kind));
    const funcs = [...iface.functions.values()];
    let next = 0; // index into `freestanding` of the next function to print
    const flushBefore = (resource: TypeId) => {
      // Keep resource methods and freestanding functions in their original relative order.
      const firstIdx = funcs.findIndex((f) => "resource" in f.kind && f.kind.resource === resource);
      if (firstIdx < 0) return;
      while (next < freestanding.length && funcs.indexOf(freestanding[next]) < firstIdx)
        this.func(freestanding[next++]);
    };
    this.types([...iface.types], flushBefore, iface.functions);
    while (next < freestanding.length) this.func(freestanding[next++]);
    this.leave(saved);
  }

  /** Prints a run of named types: `use` statements for types owned elsewhere, definitions for the rest. */
  private types(
    entries: [string, TypeId][],
    beforeResource: (id: TypeId) => void,
    funcs: Map<string, WitFunction> | null,
  ): void {
    const r = this.resolve;
    let i = 0;
    while (i < entries.length) {
      const [name, id] = entries[i];
      const def = r.types[id];
      const from = this.useSource(def);
      if (from !== null) {
        // group consecutive uses of the same interface with the same gate
        const names: string[] = [];
        let j = i;
        while (j < entries.length) {
          const [n2, id2] = entries[j];
          const d2 = r.types[id2];
          if (this.useSource(d2) !== from || !sameStability(d2.stability, def.stability)) break;
          const target = r.types[(d2.kind as { type: TypeId }).type];
          names.push(target.name === n2 ? witIdent(n2) : `${witIdent(target.name!)} as ${witIdent(n2)}`);
          j++;
        }
        this.gap("use");
        this.stability(def.stability);
        this.line(`use ${this.interfacePath(from)}.{${names.join(", ")}};`);
        i = j;
        continue;
      }
      if (def.kind.tag === "resource") beforeResource(id);
      this.typeDef(name, id, def, funcs);
      i++;
    }
  }

  /** The interface a named type is `use`d from, or `null` when it is defined here. */
  private useSource(def: TypeDef): InterfaceId | null {
    if (def.kind.tag !== "type" || typeof def.kind.type !== "number") return null;
    const target = this.resolve.types[def.kind.type];
    if (target.owner.tag !== "interface") return null;
    if (def.owner.tag === "interface" && def.owner.id === target.owner.id) return null;
    return target.owner.id;
  }

  private interfacePath(id: InterfaceId): string {
    const iface = this.resolve.interfaces[id];
    if (iface.package === this.curPackage) return witIdent(iface.name!);
    const p = this.resolve.packages[iface.package!].name;
    return `${witIdent(p.namespace)}:${witIdent(p.name)}/${witIdent(iface.name!)}${p.version ? `@${p.version}` : ""}`;
  }

  private typeDef(name: string, id: TypeId, def: TypeDef, funcs: Map<string, WitFunction> | null): void {
    const k0 = def.kind;
    const multiLine =
      def.docs !== null ||
      (k0.tag === "record" && k0.fields.length > 0) ||
      (k0.tag === "flags" && k0.flags.length > 0) ||
      k0.tag === "variant" ||
      k0.tag === "enum" ||
      (k0.tag === "resource" &&
        funcs !== null &&
        [...funcs.values()].some((f) => "resource" in f.kind && f.kind.resource === id));
    this.gap(multiLine ? "block" : "type");
    this.docs(def.docs);
    this.stability(def.stability);
    const n = witIdent(name);
    const k = def.kind;
    switch (k.tag) {
      case "record":
        this.block(`record ${n}`, k.fields, (f) => `${witIdent(f.name)}: ${this.ty(f.type)},`);
        return;
      case "flags":
        this.block(`flags ${n}`, k.flags, (f) => `${witIdent(f.name)},`);
        return;
      case "variant":
        this.block(
          `variant ${n}`,
          k.cases,
          (c) => `${witIdent(c.name)}${c.type === null ? "" : `(${this.ty(c.type)})`},`,
        );
        return;
      case "enum":
        this.block(`enum ${n}`, k.cases, (c) => `${witIdent(c.name)},`);
        return;
      case "resource": {
        const methods = funcs ? [...funcs.values()].filter((f) => "resource" in f.kind && f.kind.resource === id) : [];
        if (methods.length === 0) {
          this.line(`resource ${n};`);
          return;
        }
        this.line(`resource ${n} {`);
        const saved = this.indent;
        this.enter();
        for (const f of methods) this.func(f);
        this.leave(saved);
        this.line("}");
        return;
      }
      case "handle":
        this.line(`type ${n} = ${k.handle}<${witIdent(this.resolve.types[k.resource].name!)}>;`);
        return;
      case "type":
        this.line(`type ${n} = ${this.ty(k.type)};`);
        return;
      default:
        this.line(`type ${n} = ${this.anon(def)};`);
    }
  }

  private block<T extends { docs: Docs }>(head: string, items: T[], text: (t: T) => string): void {
    if (items.length === 0) {
      this.line(`${head} {}`);
      return;
    }
    this.line(`${head} {`);
    const saved = this.indent;
    this.indent += "  ";
    for (const it of items) {
      this.docs(it.docs);
      this.line(text(it));
    }
    this.indent = saved;
    this.line("}");
  }

  private func(f: WitFunction): void {
    this.gap(f.docs !== null ? "block" : "func");
    this.docs(f.docs);
    this.stability(f.stability);
    this.line(`${this.signature(f)};`);
  }

  private signature(f: WitFunction, as: string | null = null): string {
    const k = f.kind;
    const params = (k.tag === "method" || k.tag === "async-method" ? f.params.slice(1) : f.params)
      .map((p) => `${witIdent(p.name)}: ${this.ty(p.type)}`)
      .join(", ");
    if (k.tag === "constructor") {
      const res = f.result !== null && f.result !== k.resource ? ` -> ${this.ty(f.result)}` : "";
      return `constructor(${params})${res}`;
    }
    const name = as ?? ("resource" in k ? f.name.slice(f.name.indexOf(".") + 1) : f.name);
    const prefix = k.tag === "static" || k.tag === "async-static" ? "static " : "";
    const async = k.tag.startsWith("async") ? "async " : "";
    const res = f.result === null ? "" : ` -> ${this.ty(f.result)}`;
    return `${witIdent(name)}: ${prefix}${async}func(${params})${res}`;
  }

  /** A type reference: a primitive, a named type, or an anonymous type spelled out. */
  ty(t: Type): string {
    if (typeof t === "string") return t;
    const def = this.resolve.types[t];
    if (def.name !== null) return witIdent(def.name);
    return this.anon(def);
  }

  private anon(def: TypeDef): string {
    const k = def.kind;
    switch (k.tag) {
      case "list":
        return `list<${this.ty(k.type)}>`;
      case "fixed-size-list":
        return `list<${this.ty(k.type)}, ${k.size}>`;
      case "map":
        return `map<${this.ty(k.key)}, ${this.ty(k.value)}>`;
      case "option":
        return `option<${this.ty(k.type)}>`;
      case "result":
        if (k.ok === null && k.err === null) return "result";
        if (k.err === null) return `result<${this.ty(k.ok!)}>`;
        return `result<${k.ok === null ? "_" : this.ty(k.ok)}, ${this.ty(k.err)}>`;
      case "tuple":
        return `tuple<${k.types.map((x) => this.ty(x)).join(", ")}>`;
      case "future":
      case "stream":
        return k.type === null ? k.tag : `${k.tag}<${this.ty(k.type)}>`;
      case "handle":
        return `${k.handle}<${witIdent(this.resolve.types[k.resource].name!)}>`;
      case "type":
        return this.ty(k.type);
      default:
        throw new Error(`cannot print anonymous ${k.tag} type`);
    }
  }

  private world(name: string, id: number): void {
    const w = this.resolve.worlds[id];
    this.docs(w.docs);
    this.stability(w.stability);
    if (w.imports.size === 0 && w.exports.size === 0) {
      this.line(`world ${witIdent(name)} {}`);
      return;
    }
    this.line(`world ${witIdent(name)} {`);
    const saved = this.indent;
    this.enter();
    // Types first (they may be used by functions), then imports, then exports.
    const types: [string, TypeId][] = [];
    const worldFuncs = new Map<string, WitFunction>();
    for (const [key, item] of w.imports) {
      if (item.tag === "type") types.push([key as string, item.id]);
      else if (item.tag === "function" && "resource" in item.func.kind) worldFuncs.set(item.func.name, item.func);
    }
    for (const [key, item] of w.imports) if (item.tag === "interface") this.worldItem("import", key, item);
    this.types(types, () => {}, worldFuncs);
    for (const [key, item] of w.imports)
      if (item.tag === "function" && !("resource" in item.func.kind)) this.worldItem("import", key, item);
    for (const [key, item] of w.exports) this.worldItem("export", key, item);
    this.leave(saved);
    this.line("}");
  }

  private worldItem(desc: string, key: WorldKey, item: WorldItem): void {
    // An interface under a plain name is written inline, unless it has a name of its own.
    const named = item.tag === "interface" && this.resolve.interfaces[item.id].name !== null;
    const inline = item.tag === "interface" && typeof key === "string" && !named;
    const documented = item.tag === "function" && item.func.docs !== null;
    this.gap(inline || documented ? "block" : desc);
    if (item.tag === "interface") {
      if (named) {
        this.stability(item.stability);
        const path = this.interfacePath(item.id);
        this.line(typeof key === "string" ? `${desc} ${witIdent(key)}: ${path};` : `${desc} ${path};`);
        return;
      }
      const iface = this.resolve.interfaces[item.id];
      const name = witIdent(String(key));
      this.docs(iface.docs);
      this.stability(iface.stability);
      if (iface.types.size === 0 && iface.functions.size === 0) {
        this.line(`${desc} ${name}: interface {}`);
        return;
      }
      this.line(`${desc} ${name}: interface {`);
      this.interfaceBody(item.id);
      this.line("}");
    } else if (item.tag === "function") {
      this.docs(item.func.docs);
      this.stability(item.func.stability);
      this.line(`${desc} ${this.signature(item.func, key as string)};`);
    }
  }
}

function sameStability(a: Stability, b: Stability): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
