// Builds component binaries item by item, tracking every index space so each call returns the
// index it defined; adjacent items of one kind share a section, so output stays compact. Large
// byte arrays (nested components, core modules) are held by reference and copied once, by finish.

import { ComponentError } from "../errors.js";
import { encodeProducers } from "../metadata.js";
import { externNameProblem, NOT_STRONGLY_UNIQUE, StrongNames } from "../names.js";
import type { Alias, Canon, CoreInstance, CoreSort, ExternDesc, Sort, SortIndex } from "../reader/model.js";
import { ByteWriter, u32Size } from "./bytes.js";
import {
  encodeAlias,
  encodeCanon,
  encodeCoreInstance,
  encodeExternDesc,
  encodeExternName,
  encodeInstance,
  encodeSortIndex,
  encodeTypeDef,
  type NameInput,
  type TypeDefInput,
} from "./encode.js";

/** The component preamble (version 0x0d, layer 1). */
export const COMPONENT_PREAMBLE: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

const SECTION_IDS = {
  custom: 0,
  "core-module": 1,
  "core-instance": 2,
  "core-type": 3,
  component: 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
} as const;
type SectionKind = keyof typeof SECTION_IDS;

type SpaceName = "type" | "func" | "value" | "instance" | "component" | `core ${CoreSort}`;

function spaceOf(s: Sort): SpaceName {
  return typeof s === "object" ? `core ${s.core}` : s;
}

function spaceOfDesc(d: ExternDesc): SpaceName {
  return d.kind === "module" ? "core module" : d.kind;
}

/** Byte arrays at least this long are referenced rather than copied into the running buffer. */
const REFERENCE_MIN = 4096;

/**
 * Writes a component binary. Indices returned are positions in the matching index space.
 *
 * Byte arrays passed in (nested components, core modules, custom section data) may be held by
 * reference until {@link ComponentBuilder.finish}: do not change them before then.
 */
export class ComponentBuilder {
  /** The output so far, in order: closed pieces (encoded runs and referenced arrays), then `out`. */
  private readonly chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  /** The small pieces written since the last referenced array. */
  private out = new ByteWriter();
  /** The section being filled with vector items, if any. */
  private open: { kind: SectionKind; items: ByteWriter; count: number } | null = null;
  private readonly counts = new Map<SpaceName, number>();
  private readonly typeKeys = new Map<string, number>();
  /** Import and export names so far, by their strong-uniqueness keys. */
  private readonly names = { import: new StrongNames(), export: new StrongNames() };

  constructor() {
    this.out.bytes(COMPONENT_PREAMBLE);
  }

  /** How many items an index space has so far. */
  count(space: SpaceName): number {
    return this.counts.get(space) ?? 0;
  }

  private next(space: SpaceName): number {
    const n = this.count(space);
    this.counts.set(space, n + 1);
    return n;
  }

  private item(kind: SectionKind): ByteWriter {
    if (this.open?.kind !== kind) {
      this.flush();
      this.open = { kind, items: new ByteWriter(), count: 0 };
    }
    this.open.count++;
    return this.open.items;
  }

  private flush(): void {
    if (this.open === null) return;
    const { kind, items, count } = this.open;
    this.out
      .u8(SECTION_IDS[kind])
      .u32(u32Size(count) + items.length)
      .u32(count)
      .bytes(items.view());
    this.open = null;
  }

  /** Appends bytes: small ones are copied, large ones referenced (closing the running buffer). */
  private append(bytes: Uint8Array): void {
    if (bytes.length < REFERENCE_MIN) {
      this.out.bytes(bytes);
      return;
    }
    // The running buffer is not written again, so a view of it stays valid.
    this.chunks.push(this.out.view(), bytes);
    this.chunkBytes += this.out.length + bytes.length;
    this.out = new ByteWriter();
  }

  private rawSection(id: number, body: Uint8Array): void {
    this.out.u8(id).u32(body.length);
    this.append(body);
  }

  /** Throws unless `name` is strongly-unique among this component's imports or exports. */
  private claim(kind: "import" | "export", name: NameInput): void {
    const plain = typeof name === "string" ? name : name.name;
    const problem = externNameProblem(plain, kind);
    if (problem !== null) throw new ComponentError("UNENCODABLE", `${kind} name ${problem}`);
    if (typeof name !== "string" && name.implements !== undefined && /[:/]/.test(plain)) {
      // Validators allow `implements` only on a plain label: an interface name says what it is itself.
      throw new ComponentError(
        "UNENCODABLE",
        `${kind} "${plain}" is an interface name, so it cannot say it implements "${name.implements}"; ` +
          "name the item as that interface or give it a plain name",
      );
    }
    const before = this.names[kind].claim(plain);
    if (before !== undefined) {
      throw new ComponentError(
        "UNENCODABLE",
        `${kind}s "${before}" and "${plain}" are ${NOT_STRONGLY_UNIQUE}; a component cannot have both`,
      );
    }
  }

  /** A type, memoised by structure: the same definition twice gives the same index. Resources are always new. */
  type(def: TypeDefInput): number {
    if (def.kind === "resource") return this.defineType(def);
    const key = JSON.stringify(def);
    const known = this.typeKeys.get(key);
    if (known !== undefined) return known;
    const idx = this.defineType(def);
    this.typeKeys.set(key, idx);
    return idx;
  }

  /** A type, always a new definition. */
  defineType(def: TypeDefInput): number {
    encodeTypeDef(this.item("type"), def);
    return this.next("type");
  }

  import(name: NameInput, desc: ExternDesc): number {
    this.claim("import", name);
    const w = this.item("import");
    encodeExternName(w, name);
    encodeExternDesc(w, desc);
    return this.next(spaceOfDesc(desc));
  }

  /** Exports an item (optionally ascribing a type); returns the index the export adds to its space. */
  export(name: NameInput, item: SortIndex, desc: ExternDesc | null = null): number {
    this.claim("export", name);
    const w = this.item("export");
    encodeExternName(w, name);
    encodeSortIndex(w, item);
    if (desc === null) w.u8(0x00);
    else {
      w.u8(0x01);
      encodeExternDesc(w, desc);
    }
    return this.next(spaceOf(item.sort));
  }

  alias(a: Alias): number {
    encodeAlias(this.item("alias"), a);
    return this.next(spaceOf(a.sort));
  }

  /** `(instance (instantiate c (with name item)*))` */
  instantiate(component: number, args: { name: string; item: SortIndex }[]): number {
    encodeInstance(this.item("instance"), { kind: "instantiate", component, args });
    return this.next("instance");
  }

  /** An instance made of exports. */
  instance(exports: { name: string; item: SortIndex }[]): number {
    encodeInstance(this.item("instance"), { kind: "exports", exports });
    return this.next("instance");
  }

  coreInstance(i: CoreInstance): number {
    encodeCoreInstance(this.item("core-instance"), i);
    return this.next("core instance");
  }

  canon(c: Canon): number {
    encodeCanon(this.item("canon"), c);
    return this.next(c.kind === "lift" ? "func" : "core func");
  }

  /** A core module, as is (referenced until {@link ComponentBuilder.finish}). */
  coreModule(bytes: Uint8Array): number {
    this.flush();
    this.rawSection(SECTION_IDS["core-module"], bytes);
    return this.next("core module");
  }

  /** A nested component, as is (referenced until {@link ComponentBuilder.finish}). */
  component(bytes: Uint8Array): number {
    this.flush();
    this.rawSection(SECTION_IDS.component, bytes);
    return this.next("component");
  }

  /** A custom section (its data referenced until {@link ComponentBuilder.finish}). */
  custom(name: string, data: Uint8Array): void {
    this.flush();
    const encodedName = new ByteWriter().name(name);
    this.out
      .u8(SECTION_IDS.custom)
      .u32(encodedName.length + data.length)
      .bytes(encodedName.view());
    this.append(data);
  }

  /** A `producers` section (field, e.g. `processed-by`, to tool name to version). */
  producers(p: Map<string, Map<string, string>>): void {
    this.custom("producers", encodeProducers(p));
  }

  /** A `component-name` section naming this component. */
  componentName(name: string): void {
    const inner = new ByteWriter().name(name);
    this.custom("component-name", new ByteWriter().u8(0).u32(inner.length).bytes(inner.view()).finish());
  }

  /** The finished binary, allocated at its exact size. The builder can keep going afterwards. */
  finish(): Uint8Array {
    this.flush();
    const result = new Uint8Array(this.chunkBytes + this.out.length);
    let at = 0;
    for (const c of this.chunks) {
      result.set(c, at);
      at += c.length;
    }
    result.set(this.out.view(), at);
    return result;
  }
}
