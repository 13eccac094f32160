// Evaluates a parsed component's types and items into semantic values: types become shared
// objects (identity = type identity), instances become maps of named items. Nested components
// are evaluated when instantiated, with their imports bound to the instantiation arguments, which
// is how the types of exported instances are found.
import { ComponentError } from "../errors.js";
import type {
  Alias,
  ComponentBinary,
  DefinedType,
  ExternDesc,
  ExternName,
  PrimName,
  SortIndex,
  TypeDecl,
  TypeDef,
  ValType,
} from "../reader/model.js";

/** A semantic component type. Object identity is type identity. */
export type SType =
  | { t: "prim"; prim: PrimName }
  | { t: "def"; def: SDef }
  /** A type given a name by an export (or import) of a type. */
  | { t: "named"; name: string; target: SType }
  | { t: "resource"; name: string | null }
  | { t: "func"; func: SFunc }
  | { t: "instance"; exports: Map<string, SItem>; reuse: Reuse }
  | { t: "component"; imports: Map<string, SItem>; exports: Map<string, SItem>; reuse: Reuse }
  | { t: "other" };

/**
 * Each import or export described by an instance or component type gets its own copies of the
 * type's exported types (two imports of one instance type have distinct resources): the first
 * use takes the evaluated declarations, later uses evaluate them again.
 */
export interface Reuse {
  used: boolean;
  again: () => { imports: Map<string, SItem>; exports: Map<string, SItem> };
}

/** A defined value type over semantic types. */
export type SDef =
  | { kind: "record"; fields: { name: string; type: SType }[] }
  | { kind: "variant"; cases: { name: string; type: SType | null }[] }
  | { kind: "list"; element: SType }
  | { kind: "fixed-size-list"; element: SType; size: number }
  | { kind: "map"; key: SType; value: SType }
  | { kind: "tuple"; types: SType[] }
  | { kind: "flags"; names: string[] }
  | { kind: "enum"; names: string[] }
  | { kind: "option"; type: SType }
  | { kind: "result"; ok: SType | null; err: SType | null }
  | { kind: "own" | "borrow"; type: SType }
  | { kind: "future" | "stream"; type: SType | null };

/** A semantic function type. */
export interface SFunc {
  async: boolean;
  params: { name: string; type: SType }[];
  result: SType | null;
}

/** An item of a component-level sort. */
export type SItem =
  | { sort: "func"; func: SFunc }
  | { sort: "type"; type: SType }
  /** `implements`: the interface a plain-named instance import or export has the type of. */
  | { sort: "instance"; exports: Map<string, SItem>; implements?: string }
  | { sort: "component"; component: ComponentValue }
  /** `what`: the sort WIT has no words for (a core module, a value). */
  | { sort: "other"; what: string };

/** A component: either a type (imports and exports known) or a definition evaluated on instantiation. */
export type ComponentValue =
  | { kind: "type"; imports: Map<string, SItem>; exports: Map<string, SItem> }
  | { kind: "binary"; binary: ComponentBinary; scope: Scope };

const PRIM_CACHE = new Map<PrimName, SType>();
function prim(p: PrimName): SType {
  let s = PRIM_CACHE.get(p);
  if (s === undefined) PRIM_CACHE.set(p, (s = { t: "prim", prim: p }));
  return s;
}

/** Work left and current instantiation depth, shared by all scopes of one evaluation. */
export interface Budget {
  left: number;
  depth: number;
}

const MAX_INSTANTIATION_DEPTH = 100;

const OTHER_TYPE: SType = { t: "other" };

function fresh(t: { imports?: Map<string, SItem>; exports: Map<string, SItem>; reuse: Reuse }): {
  imports: Map<string, SItem>;
  exports: Map<string, SItem>;
} {
  if (!t.reuse.used) {
    t.reuse.used = true;
    return { imports: t.imports ?? new Map(), exports: t.exports };
  }
  return t.reuse.again();
}

/** The component-level index spaces of one component or component/instance type. */
export class Scope {
  readonly types: SType[] = [];
  readonly funcs: SFunc[] = [];
  readonly instances: Map<string, SItem>[] = [];
  readonly components: ComponentValue[] = [];
  constructor(
    readonly parent: Scope | null,
    readonly budget: Budget,
  ) {}

  spend(offset: number): void {
    if (--this.budget.left < 0) throw new ComponentError("UNSUPPORTED", "component too complex to evaluate", offset);
  }

  outer(count: number, offset: number): Scope {
    let s: Scope = this;
    for (let i = 0; i < count; i++) {
      if (s.parent === null) throw new ComponentError("BAD_INDEX", `outer alias count ${count} too large`, offset);
      s = s.parent;
    }
    return s;
  }

  type(i: number, offset: number): SType {
    const t = this.types[i];
    if (t === undefined) throw new ComponentError("BAD_INDEX", `unknown type ${i}`, offset);
    return t;
  }

  func(i: number, offset: number): SFunc {
    const f = this.funcs[i];
    if (f === undefined) throw new ComponentError("BAD_INDEX", `unknown function ${i}`, offset);
    return f;
  }

  instance(i: number, offset: number): Map<string, SItem> {
    const x = this.instances[i];
    if (x === undefined) throw new ComponentError("BAD_INDEX", `unknown instance ${i}`, offset);
    return x;
  }

  component(i: number, offset: number): ComponentValue {
    const c = this.components[i];
    if (c === undefined) throw new ComponentError("BAD_INDEX", `unknown component ${i}`, offset);
    return c;
  }

  val(v: ValType, offset: number): SType {
    return typeof v === "number" ? this.type(v, offset) : prim(v.prim);
  }

  /** The item at a sort index. */
  item(si: SortIndex, offset: number): SItem {
    switch (si.sort) {
      case "func":
        return { sort: "func", func: this.func(si.index, offset) };
      case "type":
        return { sort: "type", type: this.type(si.index, offset) };
      case "instance":
        return { sort: "instance", exports: this.instance(si.index, offset) };
      case "component":
        return { sort: "component", component: this.component(si.index, offset) };
      default:
        return { sort: "other", what: typeof si.sort === "string" ? si.sort : "core item" };
    }
  }

  /** Appends an item to its index space. */
  push(item: SItem): void {
    switch (item.sort) {
      case "func":
        this.funcs.push(item.func);
        break;
      case "type":
        this.types.push(item.type);
        break;
      case "instance":
        this.instances.push(item.exports);
        break;
      case "component":
        this.components.push(item.component);
        break;
    }
  }

  /** The item an import or export with description `desc` stands for; `name` names type imports. */
  described(name: string, desc: ExternDesc, offset: number): SItem {
    switch (desc.kind) {
      case "func": {
        const t = this.type(desc.type, offset);
        if (t.t !== "func") throw new ComponentError("BAD_INDEX", `type ${desc.type} is not a function type`, offset);
        return { sort: "func", func: t.func };
      }
      case "type":
        return {
          sort: "type",
          type:
            desc.bound === "sub-resource"
              ? { t: "resource", name }
              : { t: "named", name, target: this.type(desc.bound.eq, offset) },
        };
      case "instance": {
        const t = this.type(desc.type, offset);
        if (t.t !== "instance")
          throw new ComponentError("BAD_INDEX", `type ${desc.type} is not an instance type`, offset);
        return { sort: "instance", exports: fresh(t).exports };
      }
      case "component": {
        const t = this.type(desc.type, offset);
        if (t.t !== "component") {
          throw new ComponentError("BAD_INDEX", `type ${desc.type} is not a component type`, offset);
        }
        const { imports, exports } = fresh(t);
        return { sort: "component", component: { kind: "type", imports, exports } };
      }
      default:
        return { sort: "other", what: desc.kind };
    }
  }

  alias(a: Alias, offset: number): void {
    if (a.kind === "core-export" || typeof a.sort === "object") return;
    if (a.kind === "outer") {
      const s = this.outer(a.count, offset);
      if (a.sort === "type") this.types.push(s.type(a.index, offset));
      else if (a.sort === "component") this.components.push(s.component(a.index, offset));
      return;
    }
    const item = this.instance(a.instance, offset).get(a.name);
    if (item === undefined)
      throw new ComponentError("BAD_INDEX", `instance ${a.instance} has no export "${a.name}"`, offset);
    if (item.sort !== a.sort && !(item.sort === "other" && (a.sort === "value" || a.sort === "type"))) {
      throw new ComponentError("BAD_INDEX", `export "${a.name}" is a ${item.sort}, not a ${a.sort}`, offset);
    }
    this.push(item.sort === "other" && a.sort === "type" ? { sort: "type", type: OTHER_TYPE } : item);
  }

  typeDef(d: TypeDef): SType {
    this.spend(d.offset);
    switch (d.kind) {
      case "defined":
        return this.defined(d.type, d.offset);
      case "func":
        return {
          t: "func",
          func: {
            async: d.async,
            params: d.params.map((p) => ({ name: p.name, type: this.val(p.type, d.offset) })),
            result: d.result === null ? null : this.val(d.result, d.offset),
          },
        };
      case "resource":
        return { t: "resource", name: null };
      case "instance":
      case "component": {
        const again = () => new Scope(this, this.budget).decls(d.decls, d.offset);
        const { imports, exports } = again();
        const reuse = { used: false, again };
        return d.kind === "instance" ? { t: "instance", exports, reuse } : { t: "component", imports, exports, reuse };
      }
    }
  }

  private defined(d: DefinedType, offset: number): SType {
    const v = (x: ValType) => this.val(x, offset);
    const o = (x: ValType | null) => (x === null ? null : this.val(x, offset));
    let def: SDef;
    switch (d.kind) {
      case "prim":
        return prim(d.prim);
      case "record":
        def = { kind: "record", fields: d.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
        break;
      case "variant":
        def = { kind: "variant", cases: d.cases.map((c) => ({ name: c.name, type: o(c.type) })) };
        break;
      case "list":
        def = { kind: "list", element: v(d.element) };
        break;
      case "fixed-size-list":
        def = { kind: "fixed-size-list", element: v(d.element), size: d.size };
        break;
      case "map":
        def = { kind: "map", key: v(d.key), value: v(d.value) };
        break;
      case "tuple":
        def = { kind: "tuple", types: d.types.map(v) };
        break;
      case "flags":
      case "enum":
        def = { kind: d.kind, names: d.names };
        break;
      case "option":
        def = { kind: "option", type: v(d.type) };
        break;
      case "result":
        def = { kind: "result", ok: o(d.ok), err: o(d.err) };
        break;
      case "own":
      case "borrow":
        def = { kind: d.kind, type: this.type(d.type, offset) };
        break;
      case "future":
      case "stream":
        def = { kind: d.kind, type: o(d.type) };
        break;
    }
    return { t: "def", def };
  }

  /** Evaluates the declarations of a component or instance type in this (fresh) scope. */
  decls(decls: TypeDecl[], offset: number): { imports: Map<string, SItem>; exports: Map<string, SItem> } {
    const imports = new Map<string, SItem>();
    const exports = new Map<string, SItem>();
    for (const d of decls) {
      this.spend(offset);
      switch (d.kind) {
        case "core-type":
          break;
        case "type":
          this.types.push(this.typeDef(d.type));
          break;
        case "alias":
          this.alias(d.alias, offset);
          break;
        case "import":
        case "export": {
          const item = withImplements(this.described(d.name.name, d.desc, d.name.offset), d.name);
          (d.kind === "import" ? imports : exports).set(d.name.name, item);
          this.push(item);
          break;
        }
      }
    }
    return { imports, exports };
  }

  /** Evaluates a component definition; `bindings` are instantiation arguments by import name. */
  component_(
    binary: ComponentBinary,
    bindings: Map<string, SItem> | null,
  ): { imports: Map<string, SItem>; exports: Map<string, SItem> } {
    const imports = new Map<string, SItem>();
    const exports = new Map<string, SItem>();
    for (const sec of binary.sections) {
      const at = sec.offset;
      switch (sec.kind) {
        case "component":
          this.components.push({ kind: "binary", binary: sec.component, scope: this });
          break;
        case "type":
          for (const d of sec.items) this.types.push(this.typeDef(d));
          break;
        case "alias":
          for (const a of sec.items) {
            this.spend(at);
            this.alias(a, at);
          }
          break;
        case "canon":
          for (const c of sec.items) {
            this.spend(at);
            if (c.kind === "lift") {
              const t = this.type(c.type, at);
              if (t.t !== "func") throw new ComponentError("BAD_INDEX", `type ${c.type} is not a function type`, at);
              this.funcs.push(t.func);
            }
          }
          break;
        case "import":
          for (const imp of sec.items) {
            this.spend(at);
            const bound = bindings?.get(imp.name.name);
            const item = bound ?? this.described(imp.name.name, imp.desc, imp.name.offset);
            imports.set(imp.name.name, withImplements(item, imp.name));
            this.push(item);
          }
          break;
        case "instance":
          for (const inst of sec.items) {
            this.spend(at);
            if (inst.kind === "exports") {
              const m = new Map<string, SItem>();
              for (const e of inst.exports) m.set(e.name.name, this.item(e.item, at));
              this.instances.push(m);
            } else {
              const args = new Map<string, SItem>();
              for (const a of inst.args) args.set(a.name, this.item(a.item, at));
              const c = this.component(inst.component, at);
              if (c.kind === "type") this.instances.push(c.exports);
              else {
                // Instantiations can chain through outer aliases without nesting in the binary.
                if (++this.budget.depth > MAX_INSTANTIATION_DEPTH) {
                  throw new ComponentError("UNSUPPORTED", "instantiations nested too deeply", at);
                }
                try {
                  this.instances.push(new Scope(c.scope, this.budget).component_(c.binary, args).exports);
                } finally {
                  this.budget.depth--;
                }
              }
            }
          }
          break;
        case "export":
          for (const e of sec.items) {
            this.spend(at);
            let item = this.item(e.item, at);
            if (item.sort === "type") {
              const bound = e.desc?.kind === "type" ? e.desc.bound : null;
              item = {
                sort: "type",
                type:
                  bound === "sub-resource"
                    ? { t: "resource", name: e.name.name }
                    : { t: "named", name: e.name.name, target: bound ? this.type(bound.eq, at) : item.type },
              };
            } else if (item.sort === "func" && e.desc?.kind === "func") {
              item = this.described(e.name.name, e.desc, at);
            }
            exports.set(e.name.name, withImplements(item, e.name));
            this.push(item);
          }
          break;
        default:
          break;
      }
    }
    return { imports, exports };
  }
}

/** An instance under a name that says which interface it implements, marked so. */
function withImplements(item: SItem, name: ExternName): SItem {
  return name.implements !== undefined && item.sort === "instance" ? { ...item, implements: name.implements } : item;
}

/** Evaluates a top-level component: its imports and exports as semantic items. */
export function evaluateComponent(binary: ComponentBinary): {
  imports: Map<string, SItem>;
  exports: Map<string, SItem>;
} {
  return new Scope(null, { left: 5_000_000, depth: 0 }).component_(binary, null);
}
