// The `package-docs` custom section of binary WIT packages: docs and stability, which the
// component binary format has no place for, as JSON after a version byte (wit-parser's
// `PackageMetadata`: version 0 holds docs only, version 1 adds stability and export-only maps).
import type {
  Docs,
  InterfaceId,
  PackageId,
  Resolve,
  Stability,
  TypeId,
  WitFunction,
  WorldId,
  WorldItem,
  WorldKey,
} from "@wasm-compose/wit";
import { worldKeyName } from "@wasm-compose/wit";
import { ComponentError } from "../errors.js";

/** The custom section's name. */
export const PACKAGE_DOCS_SECTION = "package-docs";

type Json = Record<string, unknown>;
type StabilityJson =
  | { stable: { since: string; deprecated?: string } }
  | { unstable: { feature: string; deprecated?: string } };

function stabilityJson(s: Stability): StabilityJson | undefined {
  if (s.tag === "stable") {
    return { stable: s.deprecated === null ? { since: s.since } : { since: s.since, deprecated: s.deprecated } };
  }
  if (s.tag === "unstable") {
    return {
      unstable: s.deprecated === null ? { feature: s.feature } : { feature: s.feature, deprecated: s.deprecated },
    };
  }
  return undefined;
}

function stabilityFrom(j: unknown): Stability {
  const o = j as Record<string, Record<string, string> | undefined> | null;
  if (o?.stable && typeof o.stable.since === "string") {
    return { tag: "stable", since: o.stable.since, deprecated: o.stable.deprecated ?? null };
  }
  if (o?.unstable && typeof o.unstable.feature === "string") {
    return { tag: "unstable", feature: o.unstable.feature, deprecated: o.unstable.deprecated ?? null };
  }
  return { tag: "unknown" };
}

/** Drops undefined and empty-object members, as serde's skip_serializing_if does. */
function compact(o: Json): Json | undefined {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

class Extractor {
  /** Set when anything needs the v1 format (stability anywhere, or export-only maps). */
  v1 = false;
  constructor(readonly resolve: Resolve) {}

  private stab(s: Stability): StabilityJson | undefined {
    const j = stabilityJson(s);
    if (j) this.v1 = true;
    return j;
  }

  type(id: TypeId): Json | undefined {
    const t = this.resolve.types[id];
    const items: Json = {};
    const k = t.kind;
    const list: { name: string; docs: Docs }[] =
      k.tag === "record"
        ? k.fields
        : k.tag === "flags"
          ? k.flags
          : k.tag === "variant" || k.tag === "enum"
            ? k.cases
            : [];
    for (const it of list) if (it.docs !== null) items[it.name] = it.docs;
    return compact({ docs: t.docs, stability: this.stab(t.stability), items });
  }

  func(f: WitFunction): unknown {
    if (f.stability.tag === "unknown") return f.docs ?? undefined;
    return compact({ docs: f.docs, stability: this.stab(f.stability) }) ?? undefined;
  }

  iface(id: InterfaceId): Json | undefined {
    const i = this.resolve.interfaces[id];
    const funcs: Json = {};
    for (const [n, f] of i.functions) {
      const j = this.func(f);
      if (j !== undefined) funcs[n] = j;
    }
    const types: Json = {};
    for (const [n, t] of i.types) {
      const j = this.type(t);
      if (j !== undefined) types[n] = j;
    }
    return compact({ docs: i.docs, stability: this.stab(i.stability), funcs, types });
  }

  world(id: WorldId): Json | undefined {
    const w = this.resolve.worlds[id];
    const interfaces: Json = {};
    const types: Json = {};
    const funcs: Json = {};
    const interfaceExports: Json = {};
    const funcExports: Json = {};
    const importStability: Json = {};
    const exportStability: Json = {};
    const walk = (items: Map<WorldKey, WorldItem>, isImport: boolean) => {
      for (const [key, item] of items) {
        if (typeof key === "string") {
          if (item.tag === "interface") {
            const j = this.iface(item.id);
            if (j === undefined) continue;
            // Readers look a name up among the imports first: an export that shares its name with
            // an import of any kind goes in the export-only map.
            if (isImport || !w.imports.has(key)) interfaces[key] = j;
            else {
              interfaceExports[key] = j;
              this.v1 = true;
            }
          } else if (item.tag === "type") {
            const j = this.type(item.id);
            if (j !== undefined) types[key] = j;
          } else {
            const j = this.func(item.func);
            if (j === undefined) continue;
            if (isImport || !w.imports.has(key)) funcs[key] = j;
            else {
              funcExports[key] = j;
              this.v1 = true;
            }
          }
        } else if (item.tag === "interface") {
          const s = this.stab(item.stability);
          if (s) (isImport ? importStability : exportStability)[worldKeyName(this.resolve, key)] = s;
        }
      }
    };
    walk(w.imports, true);
    walk(w.exports, false);
    return compact({
      docs: w.docs,
      stability: this.stab(w.stability),
      interfaces,
      types,
      funcs,
      interface_exports: interfaceExports,
      func_exports: funcExports,
      interface_import_stability: importStability,
      interface_export_stability: exportStability,
    });
  }
}

/** The section payload for a package: a version byte, then JSON. */
export function encodePackageDocs(resolve: Resolve, pkg: PackageId): Uint8Array {
  const p = resolve.packages[pkg];
  const x = new Extractor(resolve);
  const worlds: Json = {};
  for (const [n, id] of p.worlds) {
    const j = x.world(id);
    if (j !== undefined) worlds[n] = j;
  }
  const interfaces: Json = {};
  for (const [n, id] of p.interfaces) {
    const j = x.iface(id);
    if (j !== undefined) interfaces[n] = j;
  }
  const json = compact({ docs: p.docs, worlds, interfaces }) ?? {};
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(text.length + 1);
  out[0] = x.v1 ? 1 : 0;
  out.set(text, 1);
  return out;
}

function bad(message: string, offset: number): never {
  throw new ComponentError("BAD_WIT", `package-docs: ${message}`, offset);
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** Applies a `package-docs` payload to a decoded package. */
export function applyPackageDocs(resolve: Resolve, pkg: PackageId, data: Uint8Array, offset: number): void {
  if (data.length === 0 || data[0] > 1) bad(`unsupported version ${data[0]}`, offset);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data.subarray(1)));
  } catch {
    bad("not valid JSON", offset);
  }
  const json = obj(parsed);
  const p = resolve.packages[pkg];
  if (json.docs !== undefined) p.docs = str(json.docs);

  const type = (id: TypeId, j: Record<string, unknown>) => {
    const t = resolve.types[id];
    if ("docs" in j) t.docs = str(j.docs);
    t.stability = stabilityFrom(j.stability);
    const items = obj(j.items);
    const k = t.kind;
    const list: { name: string; docs: Docs }[] =
      k.tag === "record"
        ? k.fields
        : k.tag === "flags"
          ? k.flags
          : k.tag === "variant" || k.tag === "enum"
            ? k.cases
            : [];
    for (const it of list) if (typeof items[it.name] === "string") it.docs = items[it.name] as string;
  };
  const func = (f: WitFunction, j: unknown) => {
    if (typeof j === "string" || j === null) f.docs = j;
    else {
      const o = obj(j);
      f.docs = str(o.docs);
      f.stability = stabilityFrom(o.stability);
    }
  };
  const iface = (id: InterfaceId, j: Record<string, unknown>) => {
    const i = resolve.interfaces[id];
    if ("docs" in j) i.docs = str(j.docs);
    i.stability = stabilityFrom(j.stability);
    for (const [n, tj] of Object.entries(obj(j.types))) {
      const t = i.types.get(n);
      if (t === undefined) bad(`missing type ${n}`, offset);
      type(t, obj(tj));
    }
    for (const [n, fj] of Object.entries(obj(j.funcs))) {
      const f = i.functions.get(n);
      if (f === undefined) bad(`missing function ${n}`, offset);
      func(f, fj);
    }
  };

  for (const [n, ij] of Object.entries(obj(json.interfaces))) {
    const id = p.interfaces.get(n);
    if (id === undefined) bad(`missing interface ${n}`, offset);
    iface(id, obj(ij));
  }
  for (const [n, wj0] of Object.entries(obj(json.worlds))) {
    const id = p.worlds.get(n);
    if (id === undefined) bad(`missing world ${n}`, offset);
    const w = resolve.worlds[id];
    const wj = obj(wj0);
    if ("docs" in wj) w.docs = str(wj.docs);
    w.stability = stabilityFrom(wj.stability);
    const item = (name: string, exportOnly: boolean) =>
      (exportOnly ? undefined : w.imports.get(name)) ?? w.exports.get(name);
    const named = (m: unknown, exportOnly: boolean) => {
      for (const [name, j] of Object.entries(obj(m))) {
        const it = item(name, exportOnly);
        if (it?.tag !== "interface") bad(`missing interface ${name}`, offset);
        it.stability = stabilityFrom(obj(j).stability);
        iface(it.id, obj(j));
      }
    };
    named(wj.interfaces, false);
    named(wj.interface_exports, true);
    for (const [name, j] of Object.entries(obj(wj.types))) {
      const it = w.imports.get(name);
      if (it?.tag !== "type") bad(`missing type ${name}`, offset);
      type(it.id, obj(j));
    }
    const funcs = (m: unknown, exportOnly: boolean) => {
      for (const [name, j] of Object.entries(obj(m))) {
        const it = item(name, exportOnly);
        if (it?.tag !== "function") bad(`missing function ${name}`, offset);
        func(it.func, j);
      }
    };
    funcs(wj.funcs, false);
    funcs(wj.func_exports, true);
    const stab = (m: unknown, items: Map<WorldKey, WorldItem>) => {
      for (const [name, s] of Object.entries(obj(m))) {
        for (const [key, it] of items) {
          if (typeof key !== "string" && it.tag === "interface" && worldKeyName(resolve, key) === name) {
            it.stability = stabilityFrom(s);
          }
        }
      }
    };
    stab(wj.interface_import_stability, w.imports);
    stab(wj.interface_export_stability, w.exports);
  }
}
