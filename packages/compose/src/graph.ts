// The composition graph: components registered as bytes, instances of them, arguments wired from
// instance exports (or composition imports) to imports, and the composition's exports. `resolve`
// checks it (cycles, missing arguments, types) and works out the composition's open imports,
// merging same-name and semver-compatible ones into one shared import.
import {
  type ComponentBinary,
  type ComponentWorld,
  componentWorld,
  externNameProblem,
  isWitPackage,
  NOT_STRONGLY_UNIQUE,
  parseComponent,
  StrongNames,
} from "@wasm-compose/component";
import {
  dealias,
  type InterfaceId,
  interfaceQualifiedName,
  type Resolve,
  type TypeId,
  type WorldId,
  type WorldItem,
  worldKeyName,
} from "@wasm-compose/wit";
import { type EncodeOptions, encodeGraph } from "./encode.js";
import { CompositionError } from "./errors.js";
import { mergedNames } from "./names.js";
import { MergeConflict, ResolveMerger } from "./types/merge.js";
import { checkItem, equalFunctions, equalTypes, type TypeSide } from "./types/subtype.js";

/** A registered component, by its position in the graph. */
export type ComponentId = number & { readonly __graph?: "component" };
/** An instance in the graph. */
export type InstanceId = number & { readonly __graph?: "instance" };

/**
 * Where an argument or export comes from: an instance's export (with `member`, a function or type
 * of that export's interface instance, as WAC's `i.iface.f`), or an import of the composition.
 */
export type ItemRef =
  | { kind: "export"; instance: InstanceId; name: string; member?: string }
  | { kind: "import"; name: string };

/** A whole instance, as an argument for an interface import or as an export. */
export type InstanceRef = { kind: "instance"; instance: InstanceId };

/** What an argument or an export of the composition is: an item, or a whole instance. */
export type SourceRef = ItemRef | InstanceRef;

/** What the composition exports: an item, or a whole instance. */
export type ExportRef = SourceRef;

/** The type of an item, as a world item of some resolve (e.g. an interface of a WIT package). */
export interface ItemType {
  resolve: Resolve;
  item: WorldItem;
}

/** How a component is registered. */
export interface ComponentOptions {
  /** Its name in the graph, errors and the provenance section (e.g. `example:arith` or a file name). */
  name: string;
  /** Its version, if known (provenance). */
  version?: string | null;
  /** Where it came from: a path, a URL, a registry reference (provenance). */
  source?: string | null;
  /** Its sha256 digest as hex, if the caller already has it; otherwise the encoder computes it. */
  sha256?: string | null;
  /** Encode it as an import of the composition (a component-typed import) rather than embedding its bytes. */
  importDependency?: boolean;
}

/** A component in the graph. */
export interface ComponentNode {
  id: ComponentId;
  name: string;
  version: string | null;
  source: string | null;
  sha256: string | null;
  importDependency: boolean;
  /** The component's bytes (exactly the component, preamble to end); embedded as is. */
  bytes: Uint8Array;
  /** Its world, decoded once. */
  world: ComponentWorld;
  /** Its imports and exports by name, in binary order. */
  imports: Map<string, WorldItem>;
  exports: Map<string, WorldItem>;
  /** For each interface of its world: its import name and its export name (one or both). */
  interfaces: Map<InterfaceId, { import?: string; export?: string }>;
}

/** An instance in the graph. */
export interface InstanceNode {
  id: InstanceId;
  name: string;
  component: ComponentId;
  args: Map<string, SourceRef>;
  /** Imports without an argument become imports of the composition (else: a `MISSING_ARGUMENT` error). */
  openImports: boolean;
}

/** How to instantiate. */
export interface InstantiateOptions {
  /** The instance's name in errors (default: the component's name, numbered if taken). */
  name?: string;
  /** Let imports without an argument become imports of the composition (default `true`). */
  openImports?: boolean;
}

/** One import of the composition: its name (merged), and who uses it. */
export interface OpenImport {
  name: string;
  users: { instance: InstanceId; import: string }[];
}

/** A checked graph, ready to encode. */
export interface ResolvedGraph {
  /** Instances in dependency order (providers first). */
  order: InstanceId[];
  /** The composition's imports, in the order they are first needed. */
  imports: OpenImport[];
  /** Every argument of every instance, with open imports named by their merged name. */
  args: Map<InstanceId, Map<string, SourceRef>>;
  /** The imports' types, merged into one resolve, and the world listing them. */
  resolve: Resolve;
  world: WorldId;
}

/** Builds a composition; see the package README for an example. */
export class CompositionGraph {
  readonly components: ComponentNode[] = [];
  readonly instances: InstanceNode[] = [];
  /** The composition's exports, by name, in order. */
  readonly exports = new Map<string, ExportRef>();
  /** The export names so far, by strong uniqueness. */
  private readonly exportNames = new StrongNames();
  /** Imports declared with a type, by name, in order (see {@link CompositionGraph.import}). */
  readonly declaredImports = new Map<string, ItemType>();
  private readonly instanceNames = new Set<string>();
  /** The last `resolve()` result; every change to the graph drops it. */
  private resolved: ResolvedGraph | undefined;

  /** Registers a component from its bytes (decoding its world once). */
  addComponent(bytes: Uint8Array, opts: ComponentOptions): ComponentId {
    this.resolved = undefined;
    // Named by where it came from when that is known: a path says more than its base name.
    const fail = (why: string) =>
      new CompositionError("INVALID_INPUT", `${opts.source ?? opts.name}: ${why}`, { node: opts.name });
    let binary: ComponentBinary;
    let world: ComponentWorld;
    try {
      binary = parseComponent(bytes);
      if (isWitPackage(binary)) throw fail("a WIT package (types only), not a component that can be instantiated");
      world = componentWorld(binary);
    } catch (e) {
      throw e instanceof CompositionError ? e : fail(`not a component: ${(e as Error).message}`);
    }
    const exact = binary.bytes.subarray(binary.range.offset, binary.range.offset + binary.range.length);
    const { resolve } = world;
    const w = resolve.worlds[world.world];
    const interfaces = new Map<InterfaceId, { import?: string; export?: string }>();
    const named = (dir: "import" | "export", m: Map<string | InterfaceId, WorldItem>) => {
      const out = new Map<string, WorldItem>();
      for (const [key, item] of m) {
        const name = worldKeyName(resolve, key);
        out.set(name, item);
        if (item.tag === "interface") interfaces.set(item.id, { ...interfaces.get(item.id), [dir]: name });
      }
      return out;
    };
    const exports = named("export", w.exports);
    const imports = named("import", w.imports);
    const id = this.components.length as ComponentId;
    this.components.push({
      id,
      name: opts.name,
      version: opts.version ?? null,
      source: opts.source ?? null,
      sha256: opts.sha256 ?? null,
      importDependency: opts.importDependency ?? false,
      bytes: exact,
      world,
      imports,
      exports,
      interfaces,
    });
    return id;
  }

  private component(id: ComponentId): ComponentNode {
    const c = this.components[id];
    if (c === undefined) throw new CompositionError("INVALID_INPUT", `no component ${id} in this graph`);
    return c;
  }

  private instance(id: InstanceId): InstanceNode {
    const i = this.instances[id];
    if (i === undefined) throw new CompositionError("INVALID_INPUT", `no instance ${id} in this graph`);
    return i;
  }

  /** Adds an instance of a component. */
  instantiate(component: ComponentId, opts: InstantiateOptions = {}): InstanceId {
    this.resolved = undefined;
    const c = this.component(component);
    let name = opts.name ?? c.name;
    if (this.instanceNames.has(name)) {
      if (opts.name !== undefined) {
        throw new CompositionError("INVALID_INPUT", `an instance named "${name}" already exists`, { node: name });
      }
      let n = 2;
      while (this.instanceNames.has(`${c.name}-${n}`)) n++;
      name = `${c.name}-${n}`;
    }
    this.instanceNames.add(name);
    const id = this.instances.length as InstanceId;
    this.instances.push({ id, name, component, args: new Map(), openImports: opts.openImports ?? true });
    return id;
  }

  /** The instance's name. */
  instanceName(id: InstanceId): string {
    return this.instance(id).name;
  }

  /** The component an instance instantiates. */
  componentOf(id: InstanceId): ComponentNode {
    return this.component(this.instance(id).component);
  }

  /** A reference to an instance's export (checked to exist). */
  alias(instance: InstanceId, exportName: string): ItemRef {
    const inst = this.instance(instance);
    if (!this.component(inst.component).exports.has(exportName)) {
      throw new CompositionError("UNKNOWN_EXPORT", `instance "${inst.name}" has no export "${exportName}"`, {
        node: inst.name,
        export: exportName,
      });
    }
    return { kind: "export", instance, name: exportName };
  }

  /**
   * A function or named type of an interface an instance exports (`ref` names that export), as an
   * item of its own: it can be given as an argument or exported (checked to exist).
   */
  member(ref: ItemRef & { kind: "export" }, member: string): ItemRef {
    const inst = this.instance(ref.instance);
    const c = this.component(inst.component);
    const item = c.exports.get(ref.name);
    const iface = item?.tag === "interface" ? c.world.resolve.interfaces[item.id] : undefined;
    if (iface === undefined || ref.member !== undefined) {
      throw new CompositionError(
        "UNKNOWN_EXPORT",
        `export "${ref.name}" of instance "${inst.name}" is not an interface`,
        {
          node: inst.name,
          export: ref.name,
        },
      );
    }
    if (!iface.functions.has(member) && !iface.types.has(member)) {
      const known = [...iface.functions.keys(), ...iface.types.keys()].filter((n) => !n.startsWith("["));
      throw new CompositionError(
        "UNKNOWN_EXPORT",
        `interface "${ref.name}" of instance "${inst.name}" has no function or type "${member}" (it has ${known.join(", ") || "nothing"})`,
        { node: inst.name, export: ref.name },
      );
    }
    return { kind: "export", instance: ref.instance, name: ref.name, member };
  }

  /** The world item an export reference provides: the instance's export, or a member of its interface. */
  providedItem(ref: ItemRef & { kind: "export" }): WorldItem {
    const c = this.componentOf(ref.instance);
    const item = c.exports.get(ref.name)!;
    if (ref.member === undefined) return item;
    const iface = c.world.resolve.interfaces[(item as WorldItem & { tag: "interface" }).id];
    const func = iface.functions.get(ref.member);
    if (func !== undefined) return { tag: "function", func };
    return { tag: "type", id: iface.types.get(ref.member)! };
  }

  /**
   * A reference to an import of the composition. Its type comes from the imports it is given to
   * and, when `type` is given, from that too: a typed import is written even if nothing uses it.
   */
  import(name: string, type?: ItemType): ItemRef {
    this.resolved = undefined;
    const problem = externNameProblem(name, "import", { annotated: false });
    if (problem !== null) throw new CompositionError("INVALID_NAME", `import name ${problem}`, { import: name });
    if (type !== undefined) {
      if (this.declaredImports.has(name)) {
        throw new CompositionError("DUPLICATE_IMPORT", `the composition already declares an import "${name}"`, {
          import: name,
        });
      }
      this.declaredImports.set(name, type);
    }
    return { kind: "import", name };
  }

  /**
   * Gives `source` as the argument for `importName` of `instance`: an item, or (for an interface
   * import) a whole instance whose exports provide the interface's functions and types.
   */
  setArgument(instance: InstanceId, importName: string, source: SourceRef): void {
    this.resolved = undefined;
    const inst = this.instance(instance);
    const c = this.component(inst.component);
    if (!c.imports.has(importName)) {
      throw new CompositionError(
        "UNKNOWN_IMPORT",
        `instance "${inst.name}" (${c.name}) has no import "${importName}"`,
        {
          node: inst.name,
          import: importName,
        },
      );
    }
    if (inst.args.has(importName)) {
      throw new CompositionError(
        "DUPLICATE_ARGUMENT",
        `instance "${inst.name}": import "${importName}" already has an argument`,
        {
          node: inst.name,
          import: importName,
        },
      );
    }
    if (source.kind === "export") this.alias(source.instance, source.name);
    else if (source.kind === "instance") this.instance(source.instance);
    inst.args.set(importName, source);
  }

  /**
   * Exports an item (or, given `{ kind: "instance" }`, a whole instance) from the composition under
   * `name` (default: the export's own name; an instance has none).
   */
  export(source: ExportRef, name?: string): void {
    this.resolved = undefined;
    if (source.kind === "instance" && name === undefined) {
      throw new CompositionError(
        "INVALID_INPUT",
        `exporting instance "${this.instance(source.instance).name}" needs a name`,
      );
    }
    const as =
      name ?? (source.kind === "export" && source.member !== undefined ? source.member : (source as ItemRef).name);
    if (this.exports.has(as)) {
      throw new CompositionError("DUPLICATE_EXPORT", `the composition already exports "${as}"`, { export: as });
    }
    const problem = externNameProblem(as, "export", { annotated: false });
    if (problem !== null) throw new CompositionError("INVALID_NAME", `export name ${problem}`, { export: as });
    if (source.kind !== "instance" && as.includes(":")) {
      const item = source.kind === "export" ? this.providedItem(source) : this.declaredImports.get(source.name)?.item;
      if (item !== undefined && item.tag !== "interface") {
        throw new CompositionError(
          "INVALID_NAME",
          `export name "${as}" is an interface name, which names an instance; a ${item.tag} needs a plain name`,
          { export: as },
        );
      }
    }
    const clash = this.exportNames.clash(as);
    if (clash !== undefined) throw notStronglyUnique(clash, as, "export");
    if (source.kind === "export") this.alias(source.instance, source.name);
    else if (source.kind === "instance") this.checkWholeExport(source.instance, as);
    else if (!this.declaredImports.has(source.name)) {
      // An import without a declared type gets its type from the instances it is given to; the
      // composition cannot pass on what it has no type for.
      throw new CompositionError(
        "UNSUPPORTED",
        `exporting the import "${source.name}" needs its type: declare it with one (\`import(name, type)\`)`,
        { export: as },
      );
    }
    this.exports.set(as, source);
    this.exportNames.claim(as);
  }

  /**
   * An instance exported whole becomes one interface, which holds functions and types only: WIT has
   * no interface inside an interface, so no WIT tool could read a component exporting one.
   */
  private checkWholeExport(instance: InstanceId, as: string): void {
    const inst = this.instance(instance);
    const component = this.component(inst.component);
    const nested = [
      ...[...component.exports].filter(([, item]) => item.tag === "interface").map(([name]) => `the interface ${name}`),
      ...component.world.others.filter((o) => o.direction === "export").map((o) => `the ${o.sort} ${o.name}`),
    ];
    if (nested.length === 0) return;
    throw new CompositionError(
      "UNSUPPORTED",
      `cannot export instance "${inst.name}" whole as "${as}": it exports ${nested.join(", ")}, and an interface cannot hold ` +
        `another; export its exports one by one or all under their own names (WAC: \`export ${inst.name}...;\`)`,
      { export: as },
    );
  }

  /** Checks and encodes the graph as one component binary; throws a {@link CompositionError}. */
  encode(opts: EncodeOptions = {}): Uint8Array {
    return encodeGraph(this, opts);
  }

  /**
   * Checks the graph and works out its imports; throws a {@link CompositionError}. The result is
   * kept until the graph changes (encoding, the DOT view and the caller share one resolution).
   */
  resolve(): ResolvedGraph {
    this.resolved ??= this.resolveNow();
    return this.resolved;
  }

  private resolveNow(): ResolvedGraph {
    const order = this.order();
    // Open imports: arguments not given (and explicit imports), in the order first needed.
    const wanted: { instance: InstanceId; import: string; name: string }[] = [];
    for (const id of order) {
      const inst = this.instances[id];
      for (const name of this.component(inst.component).imports.keys()) {
        const arg = inst.args.get(name);
        if (arg === undefined) {
          if (!inst.openImports) {
            throw new CompositionError(
              "MISSING_ARGUMENT",
              `instance "${inst.name}": missing argument for import "${name}"`,
              {
                node: inst.name,
                import: name,
              },
            );
          }
          wanted.push({ instance: id, import: name, name });
        } else if (arg.kind === "import") wanted.push({ instance: id, import: name, name: arg.name });
      }
    }
    const merged = mergedNames([...this.declaredImports.keys(), ...wanted.map((w) => w.name)]);
    const merger = new ResolveMerger((q) => merged.get(q) ?? q);
    const world = merger.world("composed");
    const imports = new Map<string, OpenImport>();
    const args = new Map<InstanceId, Map<string, SourceRef>>();
    for (const id of order) args.set(id, new Map(this.instances[id].args));
    const openImport = (as: string) => {
      let open = imports.get(as);
      if (open === undefined) imports.set(as, (open = { name: as, users: [] }));
      return open;
    };
    // Declared imports first, so their declarations come first and users are checked against them.
    for (const [name, type] of this.declaredImports) {
      const as = merged.get(name) ?? name;
      this.mergeImport(merger, world, { ...type, node: "the import declaration", import: name }, as, openImport(as));
    }
    // A declared import keeps its declared type: its users are checked against it (below), not
    // merged into it, so a user can neither add items to it nor change them.
    const declaredAs = new Map<string, ItemType>();
    for (const [name, type] of this.declaredImports) declaredAs.set(merged.get(name) ?? name, type);
    const declaredUsers: { w: (typeof wanted)[number]; as: string }[] = [];
    for (const w of wanted) {
      const as = merged.get(w.name) ?? w.name;
      const open = openImport(as);
      const inst = this.instances[w.instance];
      const c = this.component(inst.component);
      const item = c.imports.get(w.import)!;
      if (declaredAs.has(as)) declaredUsers.push({ w, as });
      else
        this.mergeImport(
          merger,
          world,
          { resolve: c.world.resolve, item, node: inst.name, import: w.import },
          as,
          open,
        );
      open.users.push({ instance: w.instance, import: w.import });
      args.get(w.instance)!.set(w.import, { kind: "import", name: as });
    }
    const importNames = new StrongNames();
    for (const as of imports.keys()) {
      const clash = importNames.claim(as);
      if (clash !== undefined) throw notStronglyUnique(clash, as, "import");
    }
    this.checkImportsUseOnlyImportedTypes(merger, world, imports);
    // Wired arguments: the provider's export must fit the import.
    const resourceKey = this.resourceKeys(args);
    for (const { w, as } of declaredUsers) {
      this.checkDeclaredUser(declaredAs.get(as)!, w, as, (q) => merged.get(q) ?? q, resourceKey);
    }
    for (const id of order) {
      const inst = this.instances[id];
      for (const [name, arg] of inst.args) {
        if (arg.kind === "export") this.checkArgument(inst, name, arg, resourceKey);
        else if (arg.kind === "instance") this.checkInstanceArgument(inst, name, arg, resourceKey);
      }
    }
    return { order, imports: [...imports.values()], args, resolve: merger.target, world };
  }

  /**
   * An open import may only use types of other imports: the component model validates a
   * component's import types against its imported types alone ("instance not valid to be used as
   * import"), so a type that an instance inside the composition provides cannot appear in an
   * import, aliased or not. wac re-imports the providing interface instead, which gives the
   * import a second, different copy of the type (a resource then fails validation at the
   * instantiation). Neither is right, so it is an error that says what to do.
   */
  private checkImportsUseOnlyImportedTypes(
    merger: ResolveMerger,
    world: WorldId,
    imports: Map<string, OpenImport>,
  ): void {
    const t = merger.target;
    const items = t.worlds[world].imports;
    const open = new Set<InterfaceId>();
    for (const item of items.values()) if (item.tag === "interface") open.add(item.id);
    for (const [key, item] of items) {
      const as = worldKeyName(t, key);
      const used =
        item.tag === "interface" ? [...t.interfaces[item.id].types.values()] : item.tag === "type" ? [item.id] : [];
      for (const tid of used) {
        // A `use`d type is an alias of the type in the interface it comes from.
        const k = t.types[tid].kind;
        if (k.tag !== "type" || typeof k.type !== "number") continue;
        const def = t.types[k.type];
        if (def.owner.tag !== "interface" || open.has(def.owner.id)) continue;
        const from = interfaceQualifiedName(t, def.owner.id) ?? "an inline interface";
        const user = imports.get(as)?.users[0];
        throw new CompositionError(
          "IMPORT_USES_INSTANCE_TYPE",
          `import "${as}" is left open but uses type \`${def.name}\` of ${from}, which an instance inside the composition provides; a component's imports can only use imported types, so give "${as}" an argument too, or leave ${from} open`,
          user === undefined ? { import: as } : { node: this.instances[user.instance].name, import: user.import },
        );
      }
    }
  }

  /**
   * A user of a declared import must be satisfied by the declared type, as by an argument: every
   * item it needs, with equal types (the declaration may have more). A mismatch is a
   * `CONFLICTING_IMPORT` naming both.
   */
  private checkDeclaredUser(
    declared: ItemType,
    w: { instance: InstanceId; import: string },
    as: string,
    mergedName: (qualified: string) => string,
    key: (id: InstanceId, r: TypeId, prefer: "import" | "export") => string,
  ): void {
    const inst = this.instances[w.instance];
    const c = this.component(inst.component);
    const item = c.imports.get(w.import)!;
    const expected: TypeSide = { resolve: c.world.resolve, resourceKey: (r) => key(inst.id, r, "import") };
    const found: TypeSide = {
      resolve: declared.resolve,
      resourceKey: (r) => {
        const d = dealias(declared.resolve, r) as TypeId;
        const def = declared.resolve.types[d];
        if (def.owner.tag !== "interface") return `declared ${as}#${d}`;
        if (declared.item.tag === "interface" && def.owner.id === declared.item.id) return `import ${as}#${def.name}`;
        // A resource `use`d from another interface is that interface's import's.
        const q = interfaceQualifiedName(declared.resolve, def.owner.id);
        return q === null ? `declared ${as}#${d}` : `import ${mergedName(q)}#${def.name}`;
      },
    };
    const m = checkItem(expected, item, found, declared.item);
    if (m === null) return;
    const path = [`import ${as}`, ...m.path];
    const users = ["the import declaration", inst.name];
    throw new CompositionError(
      "CONFLICTING_IMPORT",
      `import "${as}" is declared differently by ${users.map((u) => `"${u}"`).join(" and ")}: ${path.join(" > ")}: "${inst.name}" expects ${m.expected}, the declaration has ${m.found}`,
      { node: inst.name, import: w.import, candidates: users, path },
    );
  }

  /** Adds one import's item (of an instance, or declared) to the merged import `as`. */
  private mergeImport(
    merger: ResolveMerger,
    world: WorldId,
    from: ItemType & { node: string; import: string },
    as: string,
    open: OpenImport,
  ) {
    const { resolve, item, node, import: imp } = from;
    const w = merger.target.worlds[world];
    const conflict = (detail: string, path?: string[]) => {
      const before = open.users.map((u) => this.instances[u.instance].name);
      if (this.declaredImports.has(as) && node !== "the import declaration") before.unshift("the import declaration");
      const users = [...new Set([...before, node])];
      return new CompositionError(
        "CONFLICTING_IMPORT",
        `import "${as}" is declared differently by ${users.map((u) => `"${u}"`).join(" and ")}: ${detail}`,
        { node, import: imp, candidates: users, ...(path === undefined ? {} : { path }) },
      );
    };
    try {
      if (item.tag === "interface") {
        const isNamed = resolve.interfaces[item.id].name !== null;
        const tid = merger.interface(resolve, item.id, isNamed ? undefined : as);
        // A named interface imported under another name (a WAC `import x as "..."`) keeps that name.
        const key = isNamed && interfaceQualifiedName(merger.target, tid) === as ? tid : as;
        const have = w.imports.get(key);
        if (have !== undefined && have.tag !== "interface") throw conflict("an interface and a function");
        if (have === undefined) w.imports.set(key, { tag: "interface", id: tid, stability: item.stability });
      } else if (item.tag === "function") {
        const f = merger.func(resolve, item.func);
        const have = w.imports.get(as);
        if (have === undefined) w.imports.set(as, { tag: "function", func: f });
        else if (have.tag !== "function") throw conflict("a function and an interface");
        else {
          const side: TypeSide = { resolve: merger.target, resourceKey: (r) => `${r}` };
          const m = equalFunctions(side, have.func, side, f);
          if (m !== null) throw conflict(m.message, [`import ${as}`, ...m.path]);
        }
      } else {
        // A world-level `use`: the type is imported (aliased from its interface's import).
        const t = merger.type(resolve, item.id) as TypeId;
        const have = w.imports.get(as);
        if (have === undefined) w.imports.set(as, { tag: "type", id: t });
        else if (have.tag !== "type" || have.id !== t) throw conflict("a type and another item");
      }
    } catch (e) {
      if (e instanceof MergeConflict) {
        const path = [`import ${e.iface}`, e.item, ...e.mismatch.path];
        throw conflict(`${path.join(" > ")}: expected ${e.mismatch.expected}, found ${e.mismatch.found}`, path);
      }
      throw e;
    }
  }

  /**
   * Resource identities: a resource is identified by the instance export (or open import) it comes
   * from. `prefer` says which side to take for an interface a component both imports and exports
   * (a middleware): its import when checking what it is given, its export when it gives.
   */
  private resourceKeys(args: Map<InstanceId, Map<string, SourceRef>>) {
    const key = (id: InstanceId, resource: TypeId, prefer: "import" | "export", depth = 0): string => {
      const inst = this.instances[id];
      const c = this.component(inst.component);
      const { resolve } = c.world;
      const r = dealias(resolve, resource) as TypeId;
      const def = resolve.types[r];
      const at = def.owner.tag === "interface" ? c.interfaces.get(def.owner.id) : undefined;
      if (at === undefined || depth > this.instances.length) return `${inst.name}#${r}`;
      const dir = at[prefer] !== undefined ? prefer : at.export !== undefined ? "export" : "import";
      if (dir === "export") return `${inst.name}/${at.export}#${def.name}`;
      const name = at.import!;
      const arg = args.get(id)?.get(name);
      if (arg === undefined || arg.kind === "import") return `import ${arg?.name ?? name}#${def.name}`;
      // A whole instance given for the interface provides its resources as exports of its own.
      if (arg.kind === "instance") return `${this.instances[arg.instance].name}#${def.name}`;
      const p = this.component(this.instances[arg.instance].component);
      const item = p.exports.get(arg.name);
      const t = item?.tag === "interface" ? p.world.resolve.interfaces[item.id].types.get(def.name ?? "") : undefined;
      if (t === undefined) return `${this.instances[arg.instance].name}/${arg.name}#${def.name}`;
      return key(arg.instance, t, "export", depth + 1);
    };
    return key;
  }

  private checkArgument(
    inst: InstanceNode,
    name: string,
    arg: ItemRef & { kind: "export" },
    key: (id: InstanceId, r: TypeId, prefer: "import" | "export") => string,
  ): void {
    const c = this.component(inst.component);
    const p = this.component(this.instances[arg.instance].component);
    const want = c.imports.get(name)!;
    const have = this.providedItem(arg);
    const from = this.instances[arg.instance].name;
    const expected: TypeSide = { resolve: c.world.resolve, resourceKey: (r) => key(inst.id, r, "import") };
    const found: TypeSide = { resolve: p.world.resolve, resourceKey: (r) => key(arg.instance, r, "export") };
    const m = checkItem(expected, want, found, have);
    if (m === null) return;
    const path = [`import ${name}`, ...m.path];
    throw new CompositionError(
      "TYPE_MISMATCH",
      `${path.join(" > ")}: expected ${m.expected}, found ${m.found} (instance "${inst.name}", argument from "${from}" export "${arg.member === undefined ? arg.name : `${arg.name}.${arg.member}`}")`,
      { node: inst.name, import: name, export: arg.name, path },
    );
  }

  /**
   * A whole instance given for an interface import must export every function and named type of
   * the interface under its own name, with equal types (the component model's instance subtyping).
   */
  private checkInstanceArgument(
    inst: InstanceNode,
    name: string,
    arg: InstanceRef,
    key: (id: InstanceId, r: TypeId, prefer: "import" | "export") => string,
  ): void {
    const c = this.component(inst.component);
    const from = this.instances[arg.instance];
    const p = this.component(from.component);
    const want = c.imports.get(name)!;
    const mismatch = (path: string[], expected: string, found: string): never => {
      const full = [`import ${name}`, ...path];
      throw new CompositionError(
        "TYPE_MISMATCH",
        `${full.join(" > ")}: expected ${expected}, found ${found} (instance "${inst.name}", argument: instance "${from.name}")`,
        { node: inst.name, import: name, path: full },
      );
    };
    if (want.tag !== "interface") {
      mismatch([], want.tag === "function" ? "a function" : "a type", "an instance");
      return;
    }
    const expected: TypeSide = { resolve: c.world.resolve, resourceKey: (r) => key(inst.id, r, "import") };
    const found: TypeSide = { resolve: p.world.resolve, resourceKey: (r) => key(arg.instance, r, "export") };
    const iface = c.world.resolve.interfaces[want.id];
    const missing = (what: string) =>
      `${what} (instance "${from.name}" exports ${[...p.exports.keys()].join(", ") || "nothing"})`;
    for (const [typeName, type] of iface.types) {
      const have = p.exports.get(typeName);
      if (have?.tag !== "type") mismatch([`type ${typeName}`], "an exported type", missing("none"));
      else {
        const m = equalTypes(expected, type, found, have.id, true);
        if (m !== null) mismatch([`type ${typeName}`, ...m.path], m.expected, m.found);
      }
    }
    for (const [funcName, func] of iface.functions) {
      const have = p.exports.get(funcName);
      if (have?.tag !== "function") mismatch([`function ${funcName}`], "an exported function", missing("none"));
      else {
        const m = equalFunctions(expected, func, found, have.func);
        if (m !== null) mismatch([`function ${funcName}`, ...m.path], m.expected, m.found);
      }
    }
  }

  /** Instances in dependency order; a cycle is an error naming its instances. */
  private order(): InstanceId[] {
    const state = new Map<InstanceId, "visiting" | "done">();
    const out: InstanceId[] = [];
    const stack: InstanceId[] = [];
    const visit = (id: InstanceId) => {
      const s = state.get(id);
      if (s === "done") return;
      if (s === "visiting") {
        const cycle = [...stack.slice(stack.indexOf(id)), id].map((i) => this.instances[i].name);
        throw new CompositionError("CYCLE", `instances depend on each other in a cycle: ${cycle.join(" -> ")}`, {
          node: this.instances[id].name,
          cycle,
        });
      }
      state.set(id, "visiting");
      stack.push(id);
      for (const arg of this.instances[id].args.values()) if (arg.kind !== "import") visit(arg.instance);
      stack.pop();
      state.set(id, "done");
      out.push(id);
    };
    for (const inst of this.instances) visit(inst.id);
    return out;
  }
}

/** The error for two import or export names that are the same but for case and hyphens. */
function notStronglyUnique(clash: string, as: string, kind: "import" | "export"): CompositionError {
  return new CompositionError(
    kind === "import" ? "DUPLICATE_IMPORT" : "DUPLICATE_EXPORT",
    `${kind}s "${clash}" and "${as}" are ${NOT_STRONGLY_UNIQUE}; a component cannot have both`,
    { [kind]: as },
  );
}
