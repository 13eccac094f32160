// A structural view of a Resolve, independent of arena numbering, for round-trip comparisons.
//
// Printing a world fixes the order of its items, so re-parsing can allocate anonymous types and
// inline interfaces in another order than the original source did; the models are still equal.
// Functions brought in by `include ... with { a as b }` keep their old name in wit-parser's model
// while the printed WIT names them by their key, so world functions are compared by key.
import type { FunctionKind, Resolve, Stability, Type, TypeDefKind, TypeOwner, WitFunction } from "@wasm-compose/wit";
import { interfaceQualifiedName, packageNameToString } from "@wasm-compose/wit";

export function canonicalModel(r: Resolve): unknown {
  const inlineLabel = new Map<number, string>();
  const worldLabel = (id: number) => {
    const w = r.worlds[id];
    const p = w.package === null ? "?" : `${r.packages[w.package].name.namespace}:${r.packages[w.package].name.name}`;
    return `${p}/${w.name}`;
  };
  r.worlds.forEach((w, wid) => {
    for (const [dir, m] of [
      ["import", w.imports],
      ["export", w.exports],
    ] as const) {
      for (const [k, item] of m) {
        if (item.tag === "interface" && typeof k === "string")
          inlineLabel.set(item.id, `${worldLabel(wid)}#${dir}:${k}`);
      }
    }
  });
  const ifaceLabel = (id: number) => interfaceQualifiedName(r, id) ?? inlineLabel.get(id) ?? `inline-${id}`;
  // Types a world gets through `include` from another world print as definitions of its own (WIT
  // has no other spelling for them), so world-owned types are compared without their world.
  const owner = (o: TypeOwner) => (o.tag === "interface" ? ifaceLabel(o.id) : o.tag === "world" ? "world" : "");
  const stab = (s: Stability) => JSON.stringify(s);
  const ty = (t: Type | null): string => {
    if (t === null) return "_";
    if (typeof t === "string") return t;
    const d = r.types[t];
    if (d.name !== null) return `${owner(d.owner)}.${d.name}`;
    return kind(d.kind);
  };
  const kind = (k: TypeDefKind): string => {
    switch (k.tag) {
      case "record":
        return `record{${k.fields.map((f) => `${f.name}:${ty(f.type)}:${f.docs}`).join(",")}}`;
      case "variant":
        return `variant{${k.cases.map((c) => `${c.name}:${ty(c.type)}:${c.docs}`).join(",")}}`;
      case "flags":
        return `flags{${k.flags.map((f) => `${f.name}:${f.docs}`).join(",")}}`;
      case "enum":
        return `enum{${k.cases.map((c) => `${c.name}:${c.docs}`).join(",")}}`;
      case "tuple":
        return `tuple<${k.types.map(ty).join(",")}>`;
      case "handle":
        return `${k.handle}<${ty(k.resource)}>`;
      case "map":
        return `map<${ty(k.key)},${ty(k.value)}>`;
      case "fixed-size-list":
        return `list<${ty(k.type)},${k.size}>`;
      case "result":
        return `result<${ty(k.ok)},${ty(k.err)}>`;
      case "list":
      case "option":
      case "type":
      case "future":
      case "stream":
        return `${k.tag}<${ty(k.type)}>`;
      default:
        return k.tag;
    }
  };
  const fkind = (k: FunctionKind) => ("resource" in k ? `${k.tag}(${ty(k.resource)})` : k.tag);
  const func = (f: WitFunction, name = f.name) => ({
    name,
    kind: fkind(f.kind),
    params: f.params.map((p) => `${p.name}:${ty(p.type)}`),
    result: f.result === null ? null : ty(f.result),
    docs: f.docs,
    stability: stab(f.stability),
  });
  const typeDef = (id: number) => {
    const d = r.types[id];
    return { name: d.name, owner: owner(d.owner), kind: kind(d.kind), docs: d.docs, stability: stab(d.stability) };
  };
  const iface = (id: number) => {
    const i = r.interfaces[id];
    return {
      label: ifaceLabel(id),
      docs: i.docs,
      stability: stab(i.stability),
      types: [...i.types].map(([n, t]) => [n, typeDef(t)]),
      functions: [...i.functions].map(([n, f]) => [n, func(f)]),
    };
  };
  // Packages are compared by name: their arena order follows the order dependencies are met in.
  const packages = [...r.packages].sort((a, b) => (packageNameToString(a.name) < packageNameToString(b.name) ? -1 : 1));
  return packages.map((p) => ({
    name: p.name,
    docs: p.docs,
    interfaces: [...p.interfaces].map(([n, id]) => [n, iface(id)]),
    worlds: [...p.worlds].map(([n, wid]) => {
      const w = r.worlds[wid];
      const items = (m: typeof w.imports) =>
        [...m].map(([k, item]) => {
          const key = typeof k === "string" ? k : ifaceLabel(k);
          if (item.tag === "interface")
            return [key, typeof k === "string" ? iface(item.id) : ifaceLabel(item.id), stab(item.stability)];
          if (item.tag === "function")
            return [key, func(item.func, "resource" in item.func.kind ? item.func.name : key)];
          return [key, typeDef(item.id)];
        });
      return [n, { docs: w.docs, stability: stab(w.stability), imports: items(w.imports), exports: items(w.exports) }];
    }),
  }));
}
