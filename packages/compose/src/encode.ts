// Encodes a checked composition graph as one component: the open imports first (their types
// written once, `use`d types aliased from the import that owns them), then each component's
// bytes copied in as a nested component (or imported, per dependency), the instances in
// dependency order, the exports, and the name, producers and provenance custom sections.
import { ComponentBuilder, ComponentWitWriter, type WrittenItem } from "@wasm-compose/component";
import { interfaceQualifiedName, type WorldItem } from "@wasm-compose/wit";
import { CompositionError } from "./errors.js";
import type { ComponentId, CompositionGraph, InstanceId, ItemRef, ResolvedGraph } from "./graph.js";
import { sha256Hex } from "./sha256.js";
import { ResolveMerger } from "./types/merge.js";

/** The name of the custom section listing the composition's parts. */
export const PROVENANCE_SECTION = "wasm-compose:provenance";

/** The version written in the `producers` section. */
export const TOOL_VERSION = "0.1.0";

/** One part of a composition, as the provenance section lists it. */
export interface ProvenancePart {
  name: string;
  version: string | null;
  sha256: string;
  source: string | null;
  /** `embedded` (its bytes are inside) or `imported` (the composition imports it). */
  mode: "embedded" | "imported";
}

/** Options of {@link encodeGraph}. */
export interface EncodeOptions {
  /** The `component-name` of the result (default: none written). */
  name?: string;
  /** A faster SHA-256 (e.g. node:crypto's) returning lowercase hex; the default is a portable one. */
  sha256?: (bytes: Uint8Array) => string;
}

/** Encodes a graph; throws a {@link CompositionError} if it does not check. */
export function encodeGraph(graph: CompositionGraph, opts: EncodeOptions = {}): Uint8Array {
  const resolved = graph.resolve();
  return new Encoder(graph, resolved, opts).encode();
}

class Encoder {
  private readonly b = new ComponentBuilder();
  private readonly writer: ComponentWitWriter;
  private imported = new Map<string, WrittenItem>();
  private readonly componentIndex = new Map<ComponentId, number>();
  private readonly instanceIndex = new Map<InstanceId, number>();
  private readonly aliases = new Map<string, number>();

  constructor(
    private readonly graph: CompositionGraph,
    private readonly r: ResolvedGraph,
    private readonly opts: EncodeOptions,
  ) {
    this.writer = new ComponentWitWriter(this.b, r.resolve);
  }

  encode(): Uint8Array {
    this.imported = this.writer.importWorld(this.r.world);
    const used = [...new Set(this.r.order.map((id) => this.graph.componentOf(id).id))];
    // Dependencies imported as components come right after the other imports.
    for (const cid of used) {
      const c = this.graph.components[cid];
      if (!c.importDependency) continue;
      this.componentIndex.set(cid, this.importComponent(cid));
    }
    // The builder holds embedded components by reference, so each input is copied once, by finish.
    for (const cid of used) {
      const c = this.graph.components[cid];
      if (c.importDependency) continue;
      this.componentIndex.set(cid, this.b.component(c.bytes));
    }
    for (const id of this.r.order) {
      const c = this.graph.componentOf(id);
      const args: { name: string; item: { sort: "instance" | "func" | "type"; index: number } }[] = [];
      const given = this.r.args.get(id)!;
      for (const [name, item] of c.imports) {
        const ref = given.get(name)!;
        const sort = sortOf(item);
        const index = ref.kind === "instance" ? this.instanceIndex.get(ref.instance)! : this.item(ref, sort);
        args.push({ name, item: { sort, index } });
      }
      this.instanceIndex.set(id, this.b.instantiate(this.componentIndex.get(c.id)!, args));
    }
    for (const [name, ref] of this.graph.exports) {
      if (ref.kind === "instance")
        this.b.export(name, { sort: "instance", index: this.instanceIndex.get(ref.instance)! });
      if (ref.kind === "import") {
        // An import passed on as an export (WAC `export i;`): the imported item itself.
        const imported = this.imported.get(ref.name);
        if (imported === undefined) throw new CompositionError("INVALID_INPUT", `import "${ref.name}" was not written`);
        this.b.export(name, { sort: imported.sort, index: imported.index });
      }
      if (ref.kind !== "export") continue;
      const sort = sortOf(this.graph.providedItem(ref));
      this.b.export(name, { sort, index: this.item(ref, sort) });
    }
    if (this.opts.name !== undefined) this.b.componentName(this.opts.name);
    this.b.producers(new Map([["processed-by", new Map([["wasm-compose", TOOL_VERSION]])]]));
    this.b.custom(PROVENANCE_SECTION, new TextEncoder().encode(JSON.stringify({ parts: this.provenance(used) })));
    return this.b.finish();
  }

  private provenance(used: ComponentId[]): ProvenancePart[] {
    const hash = this.opts.sha256 ?? sha256Hex;
    return used.map((cid) => {
      const c = this.graph.components[cid];
      return {
        name: c.name,
        version: c.version,
        sha256: c.sha256 ?? hash(c.bytes),
        source: c.source,
        mode: c.importDependency ? "imported" : "embedded",
      };
    });
  }

  /** An import of the component itself, typed by its world (its own types, self-contained). */
  private importComponent(cid: ComponentId): number {
    const c = this.graph.components[cid];
    // The component type is written from a copy of its world, so its types are its own.
    const merger = new ResolveMerger();
    const src = c.world.resolve;
    const world = merger.world(c.name.replace(/[^a-z0-9-]/g, "-") || "dependency");
    const w = merger.target.worlds[world];
    const copy = (from: typeof w.imports, to: typeof w.imports) => {
      for (const [key, item] of from) {
        if (item.tag === "interface") {
          const named = interfaceQualifiedName(src, item.id) !== null;
          const id = merger.interface(src, item.id, named ? undefined : (key as string));
          to.set(named ? id : key, { ...item, id });
        } else if (item.tag === "function") to.set(key, { tag: "function", func: merger.func(src, item.func) });
        else throw new CompositionError("UNSUPPORTED", `${c.name}: type items cannot be imported as a component`);
      }
    };
    copy(src.worlds[c.world.world].imports, w.imports);
    copy(src.worlds[c.world.world].exports, w.exports);
    const writer = new ComponentWitWriter(this.b, merger.target);
    const type = writer.componentType(world);
    return this.b.import(dependencyImportName(c.name, c.version), { kind: "component", type });
  }

  /** The index of an argument or export source in its sort, aliasing instance exports once. */
  private item(ref: ItemRef, sort: "instance" | "func" | "type"): number {
    if (ref.kind === "import") {
      const w = this.imported.get(ref.name);
      if (w === undefined) throw new CompositionError("INVALID_INPUT", `import "${ref.name}" was not written`);
      return w.index;
    }
    if (ref.member !== undefined) {
      // A member of an exported interface instance: that instance first, then the member from it.
      const key = `${ref.instance}\0${ref.name}\0${ref.member}`;
      let idx = this.aliases.get(key);
      if (idx === undefined) {
        const instance = this.item({ kind: "export", instance: ref.instance, name: ref.name }, "instance");
        idx = this.b.alias({ kind: "export", sort, instance, name: ref.member });
        this.aliases.set(key, idx);
      }
      return idx;
    }
    const key = `${ref.instance}\0${ref.name}`;
    let idx = this.aliases.get(key);
    if (idx === undefined) {
      idx = this.b.alias({ kind: "export", sort, instance: this.instanceIndex.get(ref.instance)!, name: ref.name });
      this.aliases.set(key, idx);
    }
    return idx;
  }
}

/** The sort a world item has in a component. */
function sortOf(item: WorldItem): "instance" | "func" | "type" {
  return item.tag === "interface" ? "instance" : item.tag === "function" ? "func" : "type";
}

/** The import name of a dependency imported as a component: `unlocked-dep=<ns:pkg@{>=v}>` when it has a package name. */
function dependencyImportName(name: string, version: string | null): string {
  if (/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/.test(name)) {
    return version === null ? `unlocked-dep=<${name}>` : `unlocked-dep=<${name}@{>=${version}}>`;
  }
  const kebab = name
    .toLowerCase()
    .replace(/\.wasm$/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return /^[a-z]/.test(kebab) ? kebab : `dep-${kebab || "component"}`;
}
